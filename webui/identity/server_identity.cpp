#include "webui/identity/server_identity.h"

#include <openssl/pem.h>
#include <openssl/x509.h>
#include <unistd.h>

#include <algorithm>

#include "ca/base/file_util.h"
#include "ca/base/openssl_error.h"
#include "ca/base/openssl_handles.h"
#include "ca/base/renewal_rule.h"
#include "ca/key_bundle.h"
#include "ca/x509/key.h"

namespace homeca::webui {
namespace {

std::filesystem::path KeyPath(const ca::Authority& a) {
  return a.data_dir().root() / "server-key.pem";
}
std::filesystem::path ChainPath(const ca::Authority& a) {
  return a.data_dir().root() / "server-chain.pem";
}

Result<ServerIdentity> Load(const ca::Authority& authority) {
  auto chain = ReadFile(ChainPath(authority), 1 << 20);
  if (!chain.ok()) return chain.status();
  auto leaf = ca::Certificate::FromPem(*chain);
  if (!leaf.ok()) return leaf.status();
  auto key_pem = ReadFile(KeyPath(authority), 1 << 20);
  if (!key_pem.ok()) return key_pem.status();
  auto key = ca::PrivateKey::FromPem(*key_pem);
  Cleanse(*key_pem);
  if (!key.ok()) return key.status();
  if (X509_check_private_key(leaf->native(), key->native()) != 1 ||
      X509_verify(leaf->native(), X509_get0_pubkey(authority.intermediate().native())) != 1) {
    ossl::ClearErrors();
    return Status::InvalidArgument("the daemon's certificate does not match its key or this CA");
  }
  return ServerIdentity{KeyPath(authority), ChainPath(authority), leaf->FingerprintSha256(),
                        leaf->NotBefore(),  leaf->NotAfter(),     leaf->SubjectAltNames()};
}

Result<ServerIdentity> Issue(ca::Authority& authority, const std::vector<std::string>& names) {
  auto key = ca::PrivateKey::Generate(ca::KeyAlgorithm::kEcP256);
  if (!key.ok()) return key.status();
  auto csr = ca::MakeCsrPem(*key);
  if (!csr.ok()) return csr.status();
  // The one caller allowed the names reserved for the CA (ca.home.arpa).
  auto issued = authority.IssueServerIdentity(*csr, names);
  if (!issued.ok()) return issued.status().WithContext("issuing the daemon's own certificate");
  auto key_pem = key->ToPem();
  if (!key_pem.ok()) return key_pem.status();
  // Key first: a chain without its key is useless, a key without a chain is
  // simply replaced on the next start.
  HOMECA_RETURN_IF_ERROR(WriteFileAtomic(KeyPath(authority), *key_pem, 0600));
  Cleanse(*key_pem);
  HOMECA_RETURN_IF_ERROR(WriteFileAtomic(ChainPath(authority), ca::ChainPem(issued->chain), 0644));
  return Load(authority);
}

}  // namespace

std::vector<std::string> DefaultServerNames(const ca::Authority& authority,
                                            const std::vector<std::string>& configured) {
  if (!configured.empty()) return configured;
  std::vector<std::string> names = {"ca.home.arpa"};
  const auto& domains = authority.policy().permitted_domains;
  const std::string& label = authority.policy().box_host_label;
  if (std::find(domains.begin(), domains.end(), "local") != domains.end() && !label.empty()) {
    // First, so that it is the name every link and the renew URL use: the
    // box's avahi-daemon announces it, so it resolves on every OS with no
    // setup, where ca.home.arpa needs the router's help.
    names.insert(names.begin(), label + ".local");
  }
  return names;
}

bool NeedsRenewal(const ServerIdentity& identity, std::int64_t now) {
  return ca::IsRenewalDue(identity.not_before, identity.not_after, now);
}

Result<ServerIdentity> EnsureServerIdentity(ca::Authority& authority,
                                            const std::vector<std::string>& names) {
  auto existing = Load(authority);
  if (existing.ok()) {
    auto wanted = ca::CheckNames(authority.policy(), names, ca::NameHolder::kCaItself);
    std::vector<std::string> wanted_text;
    if (wanted.ok()) {
      for (const auto& n : *wanted) wanted_text.push_back(n.text);
    }
    if (wanted_text == existing->names && !NeedsRenewal(*existing, authority.clock().Now())) {
      return existing;
    }
  }
  return Issue(authority, names);
}

}  // namespace homeca::webui
