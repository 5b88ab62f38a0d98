// Authority: the CA engine's front door. It ties the hierarchy, the name
// policy, the leaf profile, the store and the CRL together so that every
// caller (the `homeca` CLI, the enrollment service, the web UI) goes through
// the one signing path: validate CSR -> check names -> apply profile -> sign
// -> store durably -> return.
//
// Thread-safety: Issue, Revoke and PublishCrl may be called concurrently from
// several threads; the store serializes writes and signing keys are only read.
#pragma once

#include <atomic>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "ca/base/clock.h"
#include "ca/base/status.h"
#include "ca/crl.h"
#include "ca/csr.h"
#include "ca/data_dir.h"
#include "ca/leaf_profile.h"
#include "ca/name_policy.h"
#include "ca/store/store.h"
#include "ca/x509/certificate.h"
#include "ca/x509/key.h"

namespace homeca::ca {

// Lifetimes `homeca init` gives the root and the intermediate unless told.
inline constexpr int kDefaultRootDays = 3650;
inline constexpr int kDefaultIntermediateDays = 1825;

struct InitOptions {
  KeyAlgorithm algorithm = KeyAlgorithm::kEcP256;
  std::string organization;              // default "homeca <hostname>"
  std::string root_common_name;          // default "<organization> Root CA"
  std::string intermediate_common_name;  // default "<organization> Intermediate CA"
  int root_days = kDefaultRootDays;
  int intermediate_days = kDefaultIntermediateDays;
  bool permit_local = true;  // also permit names under .local (opt out at init)
  std::vector<IpRange> permitted_ip_ranges;
  bool allow_wildcards = false;
  int default_leaf_days = kDefaultLeafDays;
  std::string crl_url;          // optional http:// URL put in leaves
  std::string root_passphrase;  // empty: root key stored unencrypted
  std::string actor = "cli";
};

struct IssueRequest {
  std::string csr;                 // PEM or DER
  std::vector<std::string> names;  // decided by the caller, never taken from the CSR
  int lifetime_days = 0;           // 0: the CA's default
  std::string requester = "cli";
  // The device pairing this certificate completes: it is marked paired in the
  // transaction that stores the certificate, and the issue fails with
  // NotFound (storing nothing) when that pairing is no longer armed.
  std::optional<std::int64_t> pairing_id = std::nullopt;
  // The same CSR already parsed and checked by CertificateRequest::Parse, for
  // a caller that had to inspect it first (the enrollment service): used
  // instead of `csr`, which then may be empty, to avoid parsing it twice.
  std::optional<CertificateRequest> checked_csr = std::nullopt;
  // The id of the certificate this one renews: the new certificate becomes
  // the head of that one's lineage, or the issue fails with
  // PermissionDenied (storing nothing) when that certificate is no longer
  // the head or its device was revoked (ca/store/certificate_store.h).
  std::optional<std::int64_t> renews = std::nullopt;
  // The ACME order this certificate finalizes: made valid in the same
  // transaction, or the issue fails with FailedPrecondition (storing
  // nothing) when the order is no longer ready.
  std::optional<std::int64_t> acme_order = std::nullopt;
};

struct IssuedCertificate {
  CertificateRecord record;
  Certificate leaf;
  std::vector<Certificate> chain;  // leaf, intermediate (what a TLS server sends)
};

class Authority {
 public:
  // Creates a new CA in `dir`. Refuses (AlreadyExists) if one is there.
  static Result<std::unique_ptr<Authority>> Init(const std::filesystem::path& dir,
                                                 const InitOptions& options,
                                                 const Clock& clock = SystemClock::Instance());
  // Opens the CA in `dir`; needs only the intermediate key.
  static Result<std::unique_ptr<Authority>> Open(const std::filesystem::path& dir,
                                                 const Clock& clock = SystemClock::Instance());

  Result<IssuedCertificate> Issue(const IssueRequest& request);
  // homecad's own TLS certificate: Issue, requester "homecad", except that
  // the names reserved for the CA itself (IsReservedForCa) are allowed. The
  // one, explicit way to those names; every other rule still applies.
  Result<IssuedCertificate> IssueServerIdentity(const std::string& csr,
                                                const std::vector<std::string>& names);
  // Issues several certificates and stores them in one durable transaction
  // before returning any: for bulk renewal, where one fsync per certificate
  // would dominate. Each request succeeds or fails on its own.
  std::vector<Result<IssuedCertificate>> IssueBatch(const std::vector<IssueRequest>& requests);
  Status Revoke(std::string_view serial, RevocationReason reason, const std::string& actor);
  // Revokes every certificate of paired pairing `pairing_id` and ends its
  // renewal lineage (CertificateStore::RevokeDevice, ca/store/), then publishes a CRL.
  // Returns how many certificates were revoked.
  Result<int> RevokeDevice(std::int64_t pairing_id, RevocationReason reason,
                           const std::string& actor);
  // Signs a fresh CRL with the next CRL number and writes crl.pem / crl.der.
  Result<Crl> PublishCrl(const std::string& actor);

  const Certificate& root() const { return root_; }
  const Certificate& intermediate() const { return intermediate_; }
  const NamePolicy& policy() const { return policy_; }
  int default_leaf_days() const { return default_leaf_days_.load(); }
  // Changes the lifetime of certificates issued from now on (1 to the
  // profile's maximum), stored with an audit entry; safe while Issue runs on
  // other threads. Other processes see it when they next open the CA.
  Status SetDefaultLeafDays(int days, const std::string& actor);
  const DataDir& data_dir() const { return dir_; }
  // The store, one narrow interface at a time (ca/store/): whoever needs to
  // read certificates, arm pairings, keep settings or read the audit log
  // gets only that; issuing and revoking stay with Issue and Revoke above.
  CertificateReader& certificates() { return *store_; }
  PairingStore& pairings() { return *store_; }
  AdminStore& admin() { return *store_; }
  AuditLog& audit_log() { return *store_; }
  StoreMaintenance& maintenance() { return *store_; }
  AcmeRecords& acme() { return store_->acme(); }
  const Clock& clock() const { return clock_; }

 private:
  Authority(DataDir dir, const Clock& clock, std::unique_ptr<Store> store, Certificate root,
            Certificate intermediate, PrivateKey intermediate_key);
  Status LoadSettings();
  struct Signed {
    IssuedCertificate issued;
    AuditEntry audit;
  };
  // Everything up to storage: CSR checks, name policy, profile, signature.
  Result<Signed> SignRequest(const IssueRequest& request, std::int64_t now, NameHolder holder);
  Result<IssuedCertificate> IssueFor(const IssueRequest& request, NameHolder holder);

  DataDir dir_;
  const Clock& clock_;
  std::unique_ptr<Store> store_;
  Certificate root_;
  Certificate intermediate_;
  PrivateKey intermediate_key_;
  NamePolicy policy_;
  std::atomic<int> default_leaf_days_ = kDefaultLeafDays;
  std::string crl_url_;
  std::mutex crl_mu_;  // one CRL publication at a time, so numbers land in order
};

Result<RevocationReason> ParseRevocationReason(std::string_view text);
const char* ToString(RevocationReason reason);

}  // namespace homeca::ca
