// AcmeService: routing, the directory, nonces, the request check and the
// headers every answer carries.
#include "enroll/acme/acme_service.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>

#include <charconv>
#include <sstream>
#include <vector>

#include "enroll/acme/acme_rate_limits.h"
#include "enroll/acme/acme_service_impl.h"
#include "enroll/acme/json_strict.h"

namespace homeca::enroll::acme {
namespace {

// The path's segments after "/acme/": "order/7/finalize" -> {"order","7","finalize"}.
std::vector<std::string_view> Segments(std::string_view path) {
  path.remove_prefix(kAcmePathPrefix.size());
  std::vector<std::string_view> out;
  while (!path.empty()) {
    const std::size_t slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
    if (path.empty()) out.emplace_back();  // a trailing slash is a segment of its own
  }
  return out;
}

// A positive decimal id with no sign, no leading zero and nothing after it.
std::optional<std::int64_t> ParseId(std::string_view text) {
  if (text.empty() || text.size() > 18 || text[0] == '0') return std::nullopt;
  std::int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value <= 0) return std::nullopt;
  return value;
}

bool IsSerial(std::string_view text) {
  return !text.empty() && text.size() <= 64 &&
         text.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

AcmeHttpResponse NotFound() {
  return ProblemAnswer(AcmeError(ProblemType::kMalformed, "no such ACME resource", {}, 404));
}

AcmeHttpResponse MethodNotAllowed(std::string_view allow) {
  AcmeHttpResponse answer =
      ProblemAnswer(AcmeError(ProblemType::kMalformed, "method not allowed", {}, 405));
  answer.headers.emplace_back("Allow", std::string(allow));
  return answer;
}

AcmeHttpResponse Directory(const AcmeUrls& urls) {
  Poco::JSON::Object body;
  body.set("newNonce", urls.Url("/acme/new-nonce"));
  body.set("newAccount", urls.Url("/acme/new-account"));
  body.set("newOrder", urls.Url("/acme/new-order"));
  body.set("revokeCert", urls.Url("/acme/revoke-cert"));
  body.set("keyChange", urls.Url("/acme/key-change"));
  Poco::JSON::Object meta;
  // No account without a pairing: every account comes with an external
  // account binding the admin made (docs/acme.md).
  meta.set("externalAccountRequired", true);
  meta.set("website", urls.origin + "/");
  body.set("meta", meta);
  return JsonAnswer(200, body);
}

}  // namespace

std::string Stringify(const Poco::JSON::Object& object) {
  std::ostringstream out;
  object.stringify(out);
  return out.str();
}

AcmeHttpResponse JsonAnswer(int status, const Poco::JSON::Object& body) {
  AcmeHttpResponse answer;
  answer.status = status;
  answer.content_type = "application/json";
  answer.body = Stringify(body);
  return answer;
}

AcmeHttpResponse ProblemAnswer(const Status& status) {
  const Problem problem = ToProblem(status);
  AcmeHttpResponse answer;
  answer.status = problem.status;
  answer.content_type = std::string(kProblemContentType);
  answer.body = RenderProblem(problem);
  if (problem.retry_after > 0)
    answer.headers.emplace_back("Retry-After", std::to_string(problem.retry_after));
  if (problem.status >= 500) {
    answer.log_detail = status.message();
    if (!status.detail().empty()) answer.log_detail += " (" + status.detail() + ")";
  }
  return answer;
}

Result<Poco::JSON::Object::Ptr> PayloadObject(const VerifiedRequest& verified) {
  if (verified.post_as_get()) return Poco::JSON::Object::Ptr(new Poco::JSON::Object);
  return ParseStrictObject(verified.payload, "the payload");
}

std::string AccountActor(std::int64_t account_id) {
  return "acme:account-" + std::to_string(account_id);
}

AcmeService::Impl::Impl(ca::Authority& a, AcmeServiceOptions o)
    : authority(a),
      nonces(a.clock(), o.nonce_limits, std::move(o.nonce_random)),
      origin(std::move(o.origin)),
      certificates_per_day(ClampCertificatesPerDay(o.certificates_per_day)) {}

AcmeUrls AcmeService::Impl::Urls() {
  std::lock_guard<std::mutex> lock(origin_mu);
  return AcmeUrls{origin};
}

Result<VerifiedRequest> AcmeService::Impl::Verify(const AcmeHttpRequest& request,
                                                  const AcmeUrls& urls, KeyReference reference,
                                                  std::optional<ca::AcmeAccount>* signer) {
  const std::string url = urls.Url(request.path);
  const std::string account_prefix = urls.Url("/acme/acct/");
  AccountKeyLookup lookup = [&](std::string_view kid) -> Result<Jwk> {
    std::optional<std::int64_t> id;
    if (kid.substr(0, account_prefix.size()) == account_prefix) {
      id = ParseId(kid.substr(account_prefix.size()));
    }
    if (!id) return AcmeError(ProblemType::kAccountDoesNotExist, "no account has this URL");
    Result<ca::AcmeAccount> account = records().FindAccount(*id);
    if (!account.ok()) {
      if (account.status().IsNotFound()) {
        return AcmeError(ProblemType::kAccountDoesNotExist, "no account has this URL");
      }
      return account.status();
    }
    if (account->status != ca::AcmeAccountStatus::kValid) {
      return AcmeError(ProblemType::kUnauthorized, "this account is deactivated");
    }
    Result<Jwk> key = account_keys.Get(account->jwk);
    if (signer != nullptr) *signer = std::move(*account);
    return key;
  };
  return VerifyAcmeRequest({url, request.content_type, request.body}, reference, nonces, lookup);
}

Result<Requester> AcmeService::Impl::AccountOf(const VerifiedRequest& verified,
                                               const AcmeUrls& urls) {
  const std::string prefix = urls.Url("/acme/acct/");
  std::optional<std::int64_t> id = ParseId(std::string_view(verified.kid).substr(prefix.size()));
  if (!id) return AcmeError(ProblemType::kAccountDoesNotExist, "no account has this URL");
  Result<ca::AcmeAccount> account = records().FindAccount(*id);
  if (!account.ok()) return account.status();
  if (account->status != ca::AcmeAccountStatus::kValid) {
    return AcmeError(ProblemType::kUnauthorized, "this account is deactivated");
  }
  return Requester{*account, verified.kid};
}

Result<AccountRequest> AcmeService::Impl::VerifyAccount(const AcmeHttpRequest& request,
                                                        const AcmeUrls& urls) {
  std::optional<ca::AcmeAccount> signer;
  Result<VerifiedRequest> verified = Verify(request, urls, KeyReference::kKid, &signer);
  if (!verified.ok()) return verified.status();
  // The account the signature was checked against, valid when it was read.
  if (!signer) return Status::Internal("a request signed by an account without its account");
  Requester requester{std::move(*signer), verified->kid};
  return AccountRequest{std::move(*verified), std::move(requester)};
}

Result<DeviceStanding> AcmeService::Impl::Standing(std::int64_t pairing_id) {
  Result<ca::PairingSummary> pairing = authority.pairings().GetPairing(pairing_id, Now());
  if (!pairing.ok()) return pairing.status();
  DeviceStanding standing{*pairing, std::nullopt};
  switch (pairing->state) {
    case ca::PairingState::kArmed:
      return standing;
    case ca::PairingState::kPaired:
      break;
    default:
      return AcmeError(ProblemType::kUnauthorized, std::string("this account's pairing is ") +
                                                       ca::ToString(pairing->state) +
                                                       "; the admin has to add the device again");
  }
  Result<ca::CertificateRecord> first =
      authority.certificates().FindBySerial(pairing->certificate_serial);
  if (!first.ok()) return first.status().WithContext("the device's first certificate");
  Result<ca::LineageStanding> lineage =
      authority.certificates().GetLineageStanding(first->id, Now() - kCertificateWindowSeconds);
  if (!lineage.ok()) return lineage.status();
  if (lineage->ended_at) {
    return AcmeError(ProblemType::kUnauthorized, "this device was revoked by the admin");
  }
  standing.head_id = lineage->head_id;
  standing.recent_renewals = lineage->renewals_since;
  standing.oldest_recent_renewal = lineage->oldest_renewal_since;
  return standing;
}

Result<ca::AcmeOrder> AcmeService::Impl::OwnOrder(const Requester& requester,
                                                  std::int64_t order_id) {
  Result<ca::AcmeOrder> order = records().FindOrder(order_id);
  if (order.ok() && order->account_id != requester.account.id) {
    Result<ca::AcmeAccount> owner = records().FindAccount(order->account_id);
    if (!owner.ok() || owner->pairing_id != requester.account.pairing_id) {
      return AcmeError(ProblemType::kUnauthorized, "this order belongs to another account");
    }
  }
  if (!order.ok() && order.status().IsNotFound()) {
    return AcmeError(ProblemType::kMalformed, "no such order", {}, 404);
  }
  return order;
}

Result<OrderRequest> AcmeService::Impl::VerifyOrder(const AcmeHttpRequest& request,
                                                    const AcmeUrls& urls, std::int64_t order_id) {
  Result<AccountRequest> checked = VerifyAccount(request, urls);
  if (!checked.ok()) return checked.status();
  Result<ca::AcmeOrder> order = OwnOrder(checked->requester, order_id);
  if (!order.ok()) return order.status();
  return OrderRequest{std::move(*checked), std::move(*order)};
}

AcmeService::AcmeService(ca::Authority& authority, AcmeServiceOptions options)
    : impl_(std::make_unique<Impl>(authority, std::move(options))) {}

AcmeService::~AcmeService() = default;

void AcmeService::SetOrigin(std::string origin) {
  while (!origin.empty() && origin.back() == '/') origin.pop_back();
  std::lock_guard<std::mutex> lock(impl_->origin_mu);
  impl_->origin = std::move(origin);
}

void AcmeService::SetCertificatesPerDay(int limit) {
  impl_->certificates_per_day.store(ClampCertificatesPerDay(limit));
}

std::string AcmeService::DirectoryUrl() const { return impl_->Urls().Url("/acme/directory"); }

AcmeHttpResponse AcmeService::Handle(const AcmeHttpRequest& request) {
  const AcmeUrls urls = impl_->Urls();
  AcmeHttpResponse answer;
  try {
    answer = [&]() -> AcmeHttpResponse {
      if (request.path.substr(0, kAcmePathPrefix.size()) != kAcmePathPrefix) return NotFound();
      const std::vector<std::string_view> s = Segments(request.path);
      const bool post = request.method == "POST";
      if (s.size() == 1 && s[0] == "directory") {
        if (request.method != "GET" && request.method != "HEAD") return MethodNotAllowed("GET");
        return Directory(urls);
      }
      if (s.size() == 1 && s[0] == "new-nonce") {
        // RFC 8555 section 7.2: HEAD answers 200, GET 204, neither a body.
        if (request.method == "HEAD") return AcmeHttpResponse{200, {}, {}, {}, {}};
        if (request.method == "GET") return AcmeHttpResponse{204, {}, {}, {}, {}};
        return MethodNotAllowed("GET, HEAD");
      }
      if (!post) return MethodNotAllowed("POST");
      if (s.size() == 1 && s[0] == "new-account") return impl_->NewAccount(request, urls);
      if (s.size() == 1 && s[0] == "new-order") return impl_->NewOrder(request, urls);
      if (s.size() == 1 && s[0] == "revoke-cert") return impl_->RevokeCert(request, urls);
      if (s.size() == 1 && s[0] == "key-change") return impl_->KeyChange(request, urls);
      std::optional<std::int64_t> id = s.size() >= 2 ? ParseId(s[1]) : std::nullopt;
      if (s.size() == 2 && s[0] == "acct" && id) return impl_->Account(request, urls, *id);
      if (s.size() == 3 && s[0] == "acct" && id && s[2] == "orders") {
        return impl_->Orders(request, urls, *id);
      }
      if (s.size() == 2 && s[0] == "order" && id) return impl_->Order(request, urls, *id);
      if (s.size() == 3 && s[0] == "order" && id && s[2] == "finalize") {
        return impl_->Finalize(request, urls, *id);
      }
      if (s.size() == 3 && s[0] == "authz" && id) {
        std::optional<std::int64_t> position =
            s[2] == "0" ? std::optional<std::int64_t>(0) : ParseId(s[2]);
        if (position) return impl_->Authorization(request, urls, *id, *position);
      }
      if (s.size() == 2 && s[0] == "cert" && IsSerial(s[1])) {
        return impl_->Certificate(request, urls, std::string(s[1]));
      }
      return NotFound();
    }();
  } catch (const Poco::Exception& e) {
    answer = ProblemAnswer(Status::Internal("the ACME server failed", e.displayText()));
  } catch (const std::exception& e) {
    answer = ProblemAnswer(Status::Internal("the ACME server failed", e.what()));
  }
  // RFC 8555 section 6.5: a fresh nonce on every answer, errors included,
  // so a client never needs an extra round trip; section 7.1: the index.
  answer.headers.emplace_back("Replay-Nonce", impl_->nonces.Issue());
  answer.headers.emplace_back("Link", "<" + urls.Url("/acme/directory") + ">;rel=\"index\"");
  answer.headers.emplace_back("Cache-Control", "no-store");
  return answer;
}

}  // namespace homeca::enroll::acme
