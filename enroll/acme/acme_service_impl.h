// Internals of AcmeService, shared by acme_service.cpp (routing, directory,
// nonces, the request check), acme_accounts.cpp (newAccount, account, key
// change), acme_orders.cpp (orders and authorizations), acme_finalize.cpp
// (finalize, issuance) and acme_certificates.cpp (download, revocation).
// Not a public header.
//
// Thread-safety: as AcmeService. The origin has its own mutex, the rate
// limit is atomic; the nonce pool, the store and the Authority are
// thread-safe.
#pragma once

#include <Poco/JSON/Object.h>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "ca/authority.h"
#include "ca/store/acme_records.h"
#include "enroll/acme/account_key_cache.h"
#include "enroll/acme/acme_service.h"
#include "enroll/acme/nonce_pool.h"
#include "enroll/acme/problem.h"
#include "enroll/acme/request_verifier.h"
#include "enroll/store_failure.h"

namespace homeca::enroll::acme {

// How long an order (and its authorizations) waits for its finalize.
inline constexpr std::int64_t kOrderLifetimeSeconds = 7 * 24 * 3600;
// How long a bound account may take to order the pairing's first
// certificate: the pairing's expiry moves this far when the account binds.
inline constexpr std::int64_t kAccountFirstOrderSeconds = 90 * 24 * 3600;
// The rate limit's window: certificates per device in any rolling day
// (acme_rate_limits.h).
inline constexpr std::int64_t kCertificateWindowSeconds = 24 * 3600;
// What an orders list shows, newest first.
inline constexpr int kMaxListedOrders = 1000;

// The URLs of one origin: "<origin>/acme/...".
struct AcmeUrls {
  std::string origin;
  std::string Url(std::string_view path) const { return origin + std::string(path); }
  std::string Account(std::int64_t id) const { return Url("/acme/acct/" + std::to_string(id)); }
  std::string Order(std::int64_t id) const { return Url("/acme/order/" + std::to_string(id)); }
  std::string Authorization(std::int64_t order, std::size_t position) const {
    return Url("/acme/authz/" + std::to_string(order) + "/" + std::to_string(position));
  }
  std::string Certificate(const std::string& serial) const { return Url("/acme/cert/" + serial); }
};

// An account whose request verified, with the pairing it is bound to.
struct Requester {
  ca::AcmeAccount account;
  std::string url;  // its kid
};

// A verified request with "kid" and the valid account it names.
struct AccountRequest {
  VerifiedRequest verified;
  Requester requester;
};

// An AccountRequest about one of the account's orders.
struct OrderRequest {
  AccountRequest checked;
  ca::AcmeOrder order;
};

// What a pairing allows now: the names, and how a new certificate joins the
// device's lineage (the first one completes the pairing; later ones renew
// the lineage's head).
struct DeviceStanding {
  ca::PairingSummary pairing;
  std::optional<std::int64_t> head_id;  // set once the pairing is paired
  // The lineage's renewals in the rate limit's window (the last
  // kCertificateWindowSeconds), once paired.
  int recent_renewals = 0;
  std::int64_t oldest_recent_renewal = 0;
};

struct AcmeService::Impl {
  Impl(ca::Authority& a, AcmeServiceOptions o);

  AcmeUrls Urls();
  ca::AcmeRecords& records() { return authority.acme(); }
  std::int64_t Now() const { return authority.clock().Now(); }
  // Records `entry` after a step that is already durable: the answer does
  // not depend on it, a failure is reported to homecad's log.
  void AuditAfter(ca::AuditEntry entry) {
    const std::string action = entry.action;
    Status written = authority.audit_log().AppendAudit(std::move(entry));
    if (!written.ok()) ReportStoreFailure(action, written);
  }

  // The request check for a POST to `path`; nonce spent on success. With
  // `signer`, a request signed by an account ("kid") leaves that account
  // there, as read for the check.
  Result<VerifiedRequest> Verify(const AcmeHttpRequest& request, const AcmeUrls& urls,
                                 KeyReference reference,
                                 std::optional<ca::AcmeAccount>* signer = nullptr);
  // The account named by a verified request's kid (valid, or the lookup
  // would have refused it).
  Result<Requester> AccountOf(const VerifiedRequest& verified, const AcmeUrls& urls);
  // Verify with "kid", then AccountOf: what most resources start with.
  Result<AccountRequest> VerifyAccount(const AcmeHttpRequest& request, const AcmeUrls& urls);
  // unauthorized unless the pairing can still get certificates.
  Result<DeviceStanding> Standing(std::int64_t pairing_id);

  AcmeHttpResponse NewAccount(const AcmeHttpRequest& request, const AcmeUrls& urls);
  AcmeHttpResponse Account(const AcmeHttpRequest& request, const AcmeUrls& urls, std::int64_t id);
  AcmeHttpResponse KeyChange(const AcmeHttpRequest& request, const AcmeUrls& urls);
  AcmeHttpResponse NewOrder(const AcmeHttpRequest& request, const AcmeUrls& urls);
  AcmeHttpResponse Order(const AcmeHttpRequest& request, const AcmeUrls& urls, std::int64_t id);
  AcmeHttpResponse Orders(const AcmeHttpRequest& request, const AcmeUrls& urls,
                          std::int64_t account_id);
  AcmeHttpResponse Authorization(const AcmeHttpRequest& request, const AcmeUrls& urls,
                                 std::int64_t order_id, std::int64_t position);
  AcmeHttpResponse Finalize(const AcmeHttpRequest& request, const AcmeUrls& urls,
                            std::int64_t order_id);
  AcmeHttpResponse Certificate(const AcmeHttpRequest& request, const AcmeUrls& urls,
                               const std::string& serial);
  AcmeHttpResponse RevokeCert(const AcmeHttpRequest& request, const AcmeUrls& urls);

  // An order the requester may see (one of its pairing's accounts made it).
  Result<ca::AcmeOrder> OwnOrder(const Requester& requester, std::int64_t order_id);
  // VerifyAccount, then OwnOrder: what the order's resources start with.
  Result<OrderRequest> VerifyOrder(const AcmeHttpRequest& request, const AcmeUrls& urls,
                                   std::int64_t order_id);

  ca::Authority& authority;
  NoncePool nonces;
  AccountKeyCache account_keys;
  std::mutex origin_mu;
  std::string origin;                     // guarded by origin_mu
  std::atomic<int> certificates_per_day;  // acme_rate_limits.h
};

// Answers.
AcmeHttpResponse JsonAnswer(int status, const Poco::JSON::Object& body);
AcmeHttpResponse ProblemAnswer(const Status& status);
std::string Stringify(const Poco::JSON::Object& object);
// `payload` as a strict JSON object; "{}" for a POST-as-GET.
Result<Poco::JSON::Object::Ptr> PayloadObject(const VerifiedRequest& verified);

// The RFC 8555 objects (acme_objects.cpp).
Poco::JSON::Object AccountObject(const ca::AcmeAccount& account, const AcmeUrls& urls);
Poco::JSON::Object OrderObject(const ca::AcmeOrder& order, const AcmeUrls& urls, std::int64_t now);
Poco::JSON::Object AuthorizationObject(const ca::AcmeOrder& order, std::size_t position,
                                       std::int64_t now);

// The actor of audit entries for an account: "acme:account-<id>".
std::string AccountActor(std::int64_t account_id);

}  // namespace homeca::enroll::acme
