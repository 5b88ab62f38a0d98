#include "ca/authority.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <sstream>

#include "ca/base/file_util.h"
#include "ca/cert_builder.h"
#include "ca/csr.h"
#include "ca/leaf_profile.h"
#include "ca/settings_keys.h"

namespace homeca::ca {
namespace {

constexpr std::int64_t kDay = 24 * 3600;

std::vector<std::string> SplitCommas(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ",") + n;
  return out;
}

}  // namespace

Authority::Authority(DataDir dir, const Clock& clock, std::unique_ptr<Store> store,
                     Certificate root, Certificate intermediate, PrivateKey intermediate_key)
    : dir_(std::move(dir)),
      clock_(clock),
      store_(std::move(store)),
      root_(std::move(root)),
      intermediate_(std::move(intermediate)),
      intermediate_key_(std::move(intermediate_key)) {}

Result<std::unique_ptr<Authority>> Authority::Open(const std::filesystem::path& path,
                                                   const Clock& clock) {
  DataDir dir(path);
  std::error_code ec;
  const bool found = std::filesystem::exists(dir.root_cert(), ec);
  if (ec == std::errc::permission_denied ||
      (found && access(dir.root_cert().c_str(), R_OK) != 0 && errno == EACCES)) {
    // Not "no CA": the CA may well be there, for another user.
    return Status::PermissionDenied("cannot read " + path.string() +
                                    ": permission denied (run as the homeca user or with sudo)");
  }
  if (!found) {
    return Status::NotFound("no CA in " + path.string() + " (run 'homeca init' first)");
  }
  auto load_cert = [](const std::filesystem::path& p) -> Result<Certificate> {
    Result<std::string> pem = ReadFile(p, 1 << 20);
    if (!pem.ok()) return pem.status();
    return Certificate::FromPem(*pem);
  };
  Result<Certificate> root = load_cert(dir.root_cert());
  if (!root.ok()) return root.status().WithContext("root certificate");
  Result<Certificate> intermediate = load_cert(dir.intermediate_cert());
  if (!intermediate.ok()) return intermediate.status().WithContext("intermediate certificate");
  Result<std::string> key_pem = ReadFile(dir.intermediate_key(), 1 << 20);
  if (!key_pem.ok()) return key_pem.status().WithContext("intermediate key");
  Result<PrivateKey> key = PrivateKey::FromPem(*key_pem);
  Cleanse(*key_pem);
  if (!key.ok()) return key.status().WithContext("intermediate key");
  auto store = OpenStore(dir.database());
  if (!store.ok()) return store.status();
  std::unique_ptr<Authority> authority(
      new Authority(dir, clock, std::move(*store), *root, *intermediate, std::move(*key)));
  HOMECA_RETURN_IF_ERROR(authority->LoadSettings());
  return authority;
}

Status Authority::LoadSettings() {
  auto get = [&](const char* key) -> Result<std::string> {
    auto value = store_->GetSetting(key);
    if (!value.ok()) return value.status();
    return value->value_or("");
  };
  auto domains = get(settings::kPermittedDomains);
  auto ranges = get(settings::kPermittedIpRanges);
  auto wildcards = get(settings::kAllowWildcards);
  auto max_names = get(settings::kMaxNames);
  auto days = get(settings::kDefaultLeafDays);
  auto crl_url = get(settings::kCrlUrl);
  for (auto* r : {&domains, &ranges, &wildcards, &max_names, &days, &crl_url}) {
    if (!r->ok()) return r->status();
  }
  policy_ = NamePolicy{};
  if (!domains->empty()) policy_.permitted_domains = SplitCommas(*domains);
  for (const std::string& text : SplitCommas(*ranges)) {
    auto range = ParseIpRange(text);
    if (!range.ok()) return range.status().WithContext("stored settings");
    policy_.permitted_ip_ranges.push_back(*range);
  }
  policy_.allow_wildcards = *wildcards == "1";
  policy_.box_host_label = LocalHostLabel();
  if (!max_names->empty()) policy_.max_names = std::stoul(*max_names);
  if (!days->empty()) default_leaf_days_ = std::stoi(*days);
  crl_url_ = *crl_url;
  return Status::Ok();
}

Result<Authority::Signed> Authority::SignRequest(const IssueRequest& request, std::int64_t now,
                                                 NameHolder holder) {
  Result<CertificateRequest> csr = request.checked_csr
                                       ? Result<CertificateRequest>(*request.checked_csr)
                                       : CertificateRequest::Parse(request.csr);
  if (!csr.ok()) return csr.status();
  std::vector<std::string> expanded;
  for (const std::string& n : request.names) expanded.push_back(ExpandDeviceName(n, policy_));
  // The one place on the signing path where names are judged, for every
  // caller; only IssueServerIdentity passes NameHolder::kCaItself.
  auto names = CheckNames(policy_, expanded, holder);
  if (!names.ok()) return names.status();
  const int days = request.lifetime_days == 0 ? default_leaf_days_.load() : request.lifetime_days;
  if (days < 1 || days > kMaxLeafDays) {
    return Status::PolicyViolation("lifetime must be between 1 and " +
                                   std::to_string(kMaxLeafDays) + " days");
  }
  if (now >= intermediate_.NotAfter()) {
    return Status::FailedPrecondition("the intermediate certificate has expired");
  }
  LeafSpec spec{*names, Validity{now - kLeafBackdateSeconds, now + days * kDay}, crl_url_};
  // A leaf may not outlive the intermediate that signed it.
  spec.validity.not_after = std::min(spec.validity.not_after, intermediate_.NotAfter());
  Result<Certificate> leaf = SignLeaf(*csr, spec, intermediate_, intermediate_key_);
  if (!leaf.ok()) return leaf.status();

  CertificateRecord record;
  record.serial_hex = leaf->SerialHex();
  record.subject_cn = leaf->SubjectCommonName();
  record.names = leaf->SubjectAltNames();
  record.not_before = leaf->NotBefore();
  record.not_after = leaf->NotAfter();
  record.requester = request.requester;
  record.key_type = csr->KeyDescription();
  record.fingerprint_sha256 = HexEncode(leaf->FingerprintSha256());
  record.der = leaf->der();
  record.issued_at = now;
  AuditEntry audit{0, now, request.requester, "issue",
                   "serial " + record.serial_hex + " for " + JoinNames(record.names) + ", " +
                       std::to_string(days) + " days"};
  return Signed{IssuedCertificate{std::move(record), *leaf, {*leaf, intermediate_}},
                std::move(audit)};
}

Result<IssuedCertificate> Authority::Issue(const IssueRequest& request) {
  return IssueFor(request, NameHolder::kDevice);
}

Result<IssuedCertificate> Authority::IssueServerIdentity(const std::string& csr,
                                                         const std::vector<std::string>& names) {
  return IssueFor(IssueRequest{csr, names, 0, "homecad"}, NameHolder::kCaItself);
}

Result<IssuedCertificate> Authority::IssueFor(const IssueRequest& request, NameHolder holder) {
  const std::int64_t now = clock_.Now();
  // A serial collision at 128 random bits means a broken RNG more than bad
  // luck; retry a couple of times and then give up loudly.
  for (int attempt = 0; attempt < 3; ++attempt) {
    Result<Signed> signed_leaf = SignRequest(request, now, holder);
    if (!signed_leaf.ok()) return signed_leaf.status();
    IssuedCertificate& issued = signed_leaf->issued;
    Result<std::int64_t> id = store_->InsertIssued(
        issued.record, signed_leaf->audit, request.pairing_id, request.renews, request.acme_order);
    if (id.ok()) {
      issued.record.id = *id;
      return std::move(issued);
    }
    if (!id.status().IsAlreadyExists()) return id.status();
  }
  return Status::Internal("three serial number collisions in a row; the RNG is suspect");
}

std::vector<Result<IssuedCertificate>> Authority::IssueBatch(
    const std::vector<IssueRequest>& requests) {
  const std::int64_t now = clock_.Now();
  std::vector<Result<Signed>> signed_leaves;
  std::vector<CertificateStore::IssuedEntry> entries;
  signed_leaves.reserve(requests.size());
  for (const IssueRequest& request : requests) {
    signed_leaves.push_back(SignRequest(request, now, NameHolder::kDevice));
    if (signed_leaves.back().ok()) {
      entries.push_back({&signed_leaves.back()->issued.record, &signed_leaves.back()->audit,
                         request.pairing_id, request.renews, request.acme_order});
    }
  }
  std::vector<Result<std::int64_t>> ids = store_->InsertIssuedBatch(entries);
  std::vector<Result<IssuedCertificate>> out;
  std::size_t next_id = 0;
  for (Result<Signed>& s : signed_leaves) {
    if (!s.ok()) {
      out.emplace_back(s.status());
      continue;
    }
    Result<std::int64_t>& id = ids[next_id++];
    if (!id.ok()) {
      out.emplace_back(id.status());
      continue;
    }
    s->issued.record.id = *id;
    out.emplace_back(std::move(s->issued));
  }
  return out;
}

Status Authority::Revoke(std::string_view serial, RevocationReason reason,
                         const std::string& actor) {
  Result<std::string> normalized = NormalizeSerial(serial);
  if (!normalized.ok()) return normalized.status();
  const std::int64_t now = clock_.Now();
  AuditEntry audit{0, now, actor, "revoke",
                   "serial " + *normalized + ", reason " + ToString(reason)};
  HOMECA_RETURN_IF_ERROR(store_->Revoke(*normalized, Revocation{reason, now}, audit));
  // The revocation is already durable; a failure here leaves the old CRL in
  // place and is reported, and the next publication will include it.
  Result<Crl> crl = PublishCrl(actor);
  return crl.ok() ? Status::Ok() : crl.status().WithContext("revoked, but the CRL was not updated");
}

Result<int> Authority::RevokeDevice(std::int64_t pairing_id, RevocationReason reason,
                                    const std::string& actor) {
  const std::int64_t now = clock_.Now();
  Result<int> revoked = store_->RevokeDevice(
      pairing_id, Revocation{reason, now},
      AuditEntry{0, now, actor, "device-revoke", std::string("reason ") + ToString(reason)});
  if (!revoked.ok()) return revoked.status();
  // As for Revoke: the revocations are durable whatever the CRL does.
  Result<Crl> crl = PublishCrl(actor);
  if (!crl.ok()) return crl.status().WithContext("device revoked, but the CRL was not updated");
  return revoked;
}

Result<Crl> Authority::PublishCrl(const std::string& actor) {
  std::lock_guard<std::mutex> lock(crl_mu_);
  const std::int64_t now = clock_.Now();
  auto revoked = store_->ListRevokedUnexpired(now);
  if (!revoked.ok()) return revoked.status();
  auto number = store_->NextCrlNumber();
  if (!number.ok()) return number.status();
  Result<Crl> crl = BuildCrl(intermediate_, intermediate_key_, *number, now, *revoked);
  if (!crl.ok()) return crl.status();
  HOMECA_RETURN_IF_ERROR(WriteFileAtomic(dir_.crl_pem(), crl->pem, 0644));
  HOMECA_RETURN_IF_ERROR(WriteFileAtomic(dir_.crl_der(), homeca::ToString(crl->der), 0644));
  HOMECA_RETURN_IF_ERROR(
      store_->AppendAudit(AuditEntry{0, now, actor, "crl",
                                     "CRL number " + std::to_string(*number) + " with " +
                                         std::to_string(revoked->size()) + " revoked"}));
  return crl;
}

Status Authority::SetDefaultLeafDays(int days, const std::string& actor) {
  if (days < 1 || days > kMaxLeafDays) {
    return Status::InvalidArgument("the default lifetime must be 1 to " +
                                   std::to_string(kMaxLeafDays) + " days");
  }
  HOMECA_RETURN_IF_ERROR(store_->SetSettingAudited(
      settings::kDefaultLeafDays, std::to_string(days),
      AuditEntry{0, clock_.Now(), actor, "settings",
                 "default certificate lifetime set to " + std::to_string(days) + " days"}));
  default_leaf_days_.store(days);
  return Status::Ok();
}

Result<RevocationReason> ParseRevocationReason(std::string_view text) {
  if (text == "unspecified") return RevocationReason::kUnspecified;
  if (text == "keyCompromise" || text == "key-compromise") return RevocationReason::kKeyCompromise;
  if (text == "affiliationChanged" || text == "affiliation-changed") {
    return RevocationReason::kAffiliationChanged;
  }
  if (text == "superseded") return RevocationReason::kSuperseded;
  if (text == "cessationOfOperation" || text == "cessation-of-operation") {
    return RevocationReason::kCessationOfOperation;
  }
  return Status::InvalidArgument(
      "unknown reason '" + std::string(text.substr(0, 40)) +
      "' (unspecified, keyCompromise, affiliationChanged, superseded, cessationOfOperation)");
}

const char* ToString(RevocationReason reason) {
  switch (reason) {
    case RevocationReason::kUnspecified:
      return "unspecified";
    case RevocationReason::kKeyCompromise:
      return "keyCompromise";
    case RevocationReason::kAffiliationChanged:
      return "affiliationChanged";
    case RevocationReason::kSuperseded:
      return "superseded";
    case RevocationReason::kCessationOfOperation:
      return "cessationOfOperation";
  }
  return "unspecified";
}

}  // namespace homeca::ca
