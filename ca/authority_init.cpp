// Authority::Init: creating a new CA (root, intermediate, store, first CRL).
#include <unistd.h>

#include <algorithm>

#include "ca/authority.h"
#include "ca/base/file_util.h"
#include "ca/hierarchy.h"
#include "ca/leaf_profile.h"
#include "ca/settings_keys.h"

namespace homeca::ca {
namespace {

constexpr std::int64_t kDay = 24 * 3600;

std::string HostName() {
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) != 0 || buf[0] == '\0') return "home";
  std::string name(buf);
  return name.substr(0, name.find('.'));
}

// The CRL URL ends up inside an OpenSSL config string and every leaf, so it
// must be a plain http URL without config metacharacters.
Status CheckCrlUrl(const std::string& url) {
  if (url.empty()) return Status::Ok();
  bool plain = url.rfind("http://", 0) == 0 && url.size() <= 200 &&
               std::all_of(url.begin(), url.end(), [](char c) {
                 return c > 0x20 && c < 0x7f && c != ',' && c != '"' && c != '\\';
               });
  if (!plain) return Status::InvalidArgument("CRL URL must be a plain http:// URL");
  return Status::Ok();
}

Status CheckOptions(const InitOptions& o) {
  if (o.root_days < 1 || o.root_days > 30 * 365) {
    return Status::InvalidArgument("root lifetime must be 1 to 10950 days");
  }
  if (o.intermediate_days < 1 || o.intermediate_days > o.root_days) {
    return Status::InvalidArgument("intermediate lifetime must be 1 day to the root's lifetime");
  }
  if (o.default_leaf_days < 1 || o.default_leaf_days > kMaxLeafDays) {
    return Status::InvalidArgument("default certificate lifetime must be 1 to " +
                                   std::to_string(kMaxLeafDays) + " days");
  }
  for (const std::string* s : {&o.organization, &o.root_common_name, &o.intermediate_common_name}) {
    if (s->size() > 64) return Status::InvalidArgument("names are limited to 64 characters");
  }
  return CheckCrlUrl(o.crl_url);
}

}  // namespace

Result<std::unique_ptr<Authority>> Authority::Init(const std::filesystem::path& path,
                                                   const InitOptions& options, const Clock& clock) {
  HOMECA_RETURN_IF_ERROR(CheckOptions(options));
  DataDir dir(path);
  if (dir.HasCa()) {
    return Status::AlreadyExists("a CA already exists in " + path.string());
  }
  NamePolicy policy;
  if (options.permit_local) policy.permitted_domains.push_back("local");
  policy.permitted_ip_ranges = options.permitted_ip_ranges;
  policy.allow_wildcards = options.allow_wildcards;

  const std::string org =
      options.organization.empty() ? "homeca " + HostName() : options.organization;
  CaSubject root_subject{
      org, options.root_common_name.empty() ? org + " Root CA" : options.root_common_name};
  CaSubject intermediate_subject{org, options.intermediate_common_name.empty()
                                          ? org + " Intermediate CA"
                                          : options.intermediate_common_name};
  const std::int64_t now = clock.Now();
  // Everything is made in memory first, so a failure leaves no files behind.
  auto root_key = PrivateKey::Generate(options.algorithm);
  if (!root_key.ok()) return root_key.status();
  auto intermediate_key = PrivateKey::Generate(options.algorithm);
  if (!intermediate_key.ok()) return intermediate_key.status();
  auto root = CreateRootCertificate(
      *root_key, root_subject, {now - kCaBackdateSeconds, now + options.root_days * kDay}, policy);
  if (!root.ok()) return root.status();
  auto intermediate = CreateIntermediateCertificate(
      *intermediate_key, intermediate_subject,
      {now - kCaBackdateSeconds, now + options.intermediate_days * kDay}, policy, *root, *root_key);
  if (!intermediate.ok()) return intermediate.status();
  auto root_key_pem = root_key->ToPem(options.root_passphrase);
  if (!root_key_pem.ok()) return root_key_pem.status();
  auto intermediate_key_pem = intermediate_key->ToPem();
  if (!intermediate_key_pem.ok()) return intermediate_key_pem.status();

  HOMECA_RETURN_IF_ERROR(EnsureDirectory(dir.root(), 0700));
  HOMECA_RETURN_IF_ERROR(WriteFileAtomic(dir.root_key(), *root_key_pem, 0600));
  HOMECA_RETURN_IF_ERROR(WriteFileAtomic(dir.intermediate_key(), *intermediate_key_pem, 0600));
  Cleanse(*root_key_pem);
  Cleanse(*intermediate_key_pem);
  HOMECA_RETURN_IF_ERROR(WriteFileAtomic(dir.intermediate_cert(), intermediate->Pem(), 0644));
  auto store = OpenStore(dir.database());
  if (!store.ok()) return store.status();
  std::string domains;
  for (const std::string& d : policy.permitted_domains) domains += (domains.empty() ? "" : ",") + d;
  std::string ranges;
  for (const IpRange& r : policy.permitted_ip_ranges) {
    ranges += (ranges.empty() ? "" : ",") + r.ToString();
  }
  const std::pair<const char*, std::string> values[] = {
      {settings::kOrganization, org},
      {settings::kPermittedDomains, domains},
      {settings::kPermittedIpRanges, ranges},
      {settings::kAllowWildcards, policy.allow_wildcards ? "1" : "0"},
      {settings::kMaxNames, std::to_string(policy.max_names)},
      {settings::kDefaultLeafDays, std::to_string(options.default_leaf_days)},
      {settings::kCrlUrl, options.crl_url},
  };
  for (const auto& [key, value] : values) HOMECA_RETURN_IF_ERROR((*store)->SetSetting(key, value));
  HOMECA_RETURN_IF_ERROR((*store)->AppendAudit(
      AuditEntry{0, now, options.actor, "init",
                 "created " + root_subject.common_name + " (" + root_key->Description() +
                     (options.root_passphrase.empty() ? "" : ", root key encrypted") +
                     "), fingerprint " + ColonHex(root->FingerprintSha256())}));
  // root.pem last: its presence is what marks the directory as holding a CA.
  HOMECA_RETURN_IF_ERROR(WriteFileAtomic(dir.root_cert(), root->Pem(), 0644));

  std::unique_ptr<Authority> authority(new Authority(dir, clock, std::move(*store), *root,
                                                     *intermediate, std::move(*intermediate_key)));
  HOMECA_RETURN_IF_ERROR(authority->LoadSettings());
  auto crl = authority->PublishCrl(options.actor);
  if (!crl.ok()) return crl.status();
  return authority;
}

}  // namespace homeca::ca
