// AcmeRecords: what the ACME server keeps (docs/acme.md), as its own narrow
// seam of the store. External account bindings belong to a pairing; an
// account is bound to the pairing whose binding created it; an order belongs
// to an account, holds one authorization per identifier, and names the
// certificate once one was issued for it.
//
// Each write is one transaction with its audit entry (actions acme-eab,
// acme-account, acme-order, acme-key-change, acme-account-deactivated,
// acme-authz-deactivated), durable before it returns except a new order (see
// CreateOrder). Certificates themselves are stored by the Authority, like
// every other certificate; the transaction that stores one for an order also
// makes the order valid (acme-issue).
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ca/audit_entry.h"
#include "ca/base/encoding.h"
#include "ca/base/status.h"

namespace homeca::ca {

struct AcmeEab {
  std::string key_id;
  std::int64_t pairing_id = 0;
  // The HMAC key until an account bound with it; then gone for good.
  std::optional<Bytes> hmac_key;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> used_at;
};

enum class AcmeAccountStatus { kValid, kDeactivated };
const char* ToString(AcmeAccountStatus status);

struct AcmeAccount {
  std::int64_t id = 0;
  std::string thumbprint;  // RFC 7638, unpadded base64url: one account per key
  std::string jwk;         // the public key, canonical JSON
  AcmeAccountStatus status = AcmeAccountStatus::kValid;
  std::string key_id;  // the binding it was created with
  std::int64_t pairing_id = 0;
  std::vector<std::string> contact;  // URLs such as "mailto:admin@example.org"
  std::int64_t created_at = 0;
};

struct NewAcmeAccount {
  std::string thumbprint;
  std::string jwk;
  std::vector<std::string> contact;  // each printable, no newline
  std::int64_t created_at = 0;
};

enum class AcmeOrderStatus { kReady, kProcessing, kValid, kInvalid };
const char* ToString(AcmeOrderStatus status);

struct AcmeAuthorization {
  std::string name;
  bool deactivated = false;
  bool operator==(const AcmeAuthorization&) const = default;
};

struct AcmeOrder {
  std::int64_t id = 0;
  std::int64_t account_id = 0;
  AcmeOrderStatus status = AcmeOrderStatus::kReady;
  std::vector<AcmeAuthorization> authorizations;  // in the order's identifier order
  std::int64_t created_at = 0;
  std::int64_t expires_at = 0;
  std::string certificate_serial;  // set once valid
  bool operator==(const AcmeOrder&) const = default;
};

// An account's orders that are ready and unexpired (the ACME server's limit
// on them, enroll/acme/acme_rate_limits.h).
struct AcmeReadyOrders {
  int count = 0;
  std::int64_t first_expiry = 0;  // the soonest expiry among them; 0 if none
};

class AcmeRecords {
 public:
  virtual ~AcmeRecords() = default;

  // A binding for pairing `pairing_id` with a fresh HMAC key (32 bytes).
  // AlreadyExists when the key id or the pairing already has one.
  virtual Status CreateEab(const std::string& key_id, std::int64_t pairing_id,
                           const Bytes& hmac_key, std::int64_t now, const std::string& actor) = 0;
  // NotFound for an unknown key id.
  virtual Result<AcmeEab> FindEab(const std::string& key_id) = 0;
  virtual Result<AcmeEab> FindEabForPairing(std::int64_t pairing_id) = 0;

  // Creates the account bound to `key_id`'s pairing and wipes the binding's
  // HMAC key, in one transaction. When the pairing is still waiting, its
  // expiry moves to `pairing_expires_at`: an account may order its first
  // certificate later than a pairing code would wait. PermissionDenied when
  // the HMAC key is already gone (another account took it first);
  // AlreadyExists when an account has this key.
  virtual Result<AcmeAccount> BindAccount(const NewAcmeAccount& account, const std::string& key_id,
                                          std::int64_t pairing_expires_at) = 0;
  // NotFound for an unknown id or key.
  virtual Result<AcmeAccount> FindAccount(std::int64_t id) = 0;
  virtual Result<AcmeAccount> FindAccountByThumbprint(const std::string& thumbprint) = 0;
  virtual Status SetAccountContact(std::int64_t id, const std::vector<std::string>& contact) = 0;
  // valid -> deactivated, for good; audited.
  virtual Status DeactivateAccount(std::int64_t id, std::int64_t now, const std::string& actor) = 0;
  // Replaces the account's key (RFC 8555 section 7.3.5) if it is still
  // `old_thumbprint`: PermissionDenied when it changed meanwhile,
  // AlreadyExists when another account has the new key.
  virtual Status ChangeAccountKey(std::int64_t id, const std::string& old_thumbprint,
                                  const std::string& new_thumbprint, const std::string& new_jwk,
                                  std::int64_t now, const std::string& actor) = 0;

  // A ready order for `names`, each authorization valid, stored with the
  // audit entry `audit` (its detail gets the order's id in front). Durable
  // with the next durable write rather than at once: a power cut before
  // that loses the order whole, which costs its client one new order, and
  // any certificate issued for it is a durable write that takes the order
  // along (docs/acme.md, "What is stored").
  virtual Result<AcmeOrder> CreateOrder(std::int64_t account_id,
                                        const std::vector<std::string>& names, std::int64_t now,
                                        std::int64_t expires_at, const AuditEntry& audit) = 0;
  virtual Result<AcmeOrder> FindOrder(std::int64_t id) = 0;
  // The order that a certificate was issued for; NotFound if none.
  virtual Result<AcmeOrder> FindOrderByCertificate(const std::string& serial_hex) = 0;
  // The account's order ids, newest first, at most `limit`.
  virtual Result<std::vector<std::int64_t>> ListOrderIds(std::int64_t account_id, int limit) = 0;
  // An order becomes valid in the transaction that stores its certificate:
  // CertificateStore::InsertIssued with `acme_order`.
  // Deactivates authorization `position` of order `order_id`; an order not
  // yet valid becomes invalid. NotFound for an unknown one.
  virtual Status DeactivateAuthorization(std::int64_t order_id, int position, std::int64_t now,
                                         const std::string& actor) = 0;
  // The account's orders that are ready and expire after `now`.
  virtual Result<AcmeReadyOrders> CountReadyOrders(std::int64_t account_id, std::int64_t now) = 0;
};

}  // namespace homeca::ca
