// Fuzz target: certificate request intake, as Authority::Issue runs it
// (docs/architecture.md, "The signing path", steps 1 and 2): the PKCS#10
// checks (CertificateRequest::Parse) and the name policy (ExpandDeviceName,
// CheckNames, ParseIpRange) under two policies, the default one and a
// permissive one (".local", private ranges, wildcards).
//
// Input: the requested names, one per line, then an empty line, then the CSR
// as PEM or DER. Without an empty line the whole input is the CSR and also
// the one name.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "ca/csr.h"
#include "ca/name_policy.h"
#include "tests/fuzz/fuzz_input.h"

namespace {

using homeca::ca::NamePolicy;

NamePolicy PermissivePolicy() {
  NamePolicy policy;
  policy.permitted_domains = {"home.arpa", "local"};
  for (const char* range : {"192.168.0.0/16", "10.0.0.0/8", "fd00::/8"}) {
    auto parsed = homeca::ca::ParseIpRange(range);
    if (parsed.ok()) policy.permitted_ip_ranges.push_back(*parsed);
  }
  policy.allow_wildcards = true;
  return policy;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const NamePolicy kDefault;
  static const NamePolicy kPermissive = PermissivePolicy();
  std::string_view input = homeca::fuzz::AsText(data, size);

  std::string_view csr = input;
  std::string_view names_text = input;
  if (const std::size_t blank = input.find("\n\n"); blank != std::string_view::npos) {
    names_text = input.substr(0, blank);
    csr = input.substr(blank + 2);
  }

  auto request = homeca::ca::CertificateRequest::Parse(csr);
  if (request.ok()) {
    (void)request->KeyDescription();
    (void)request->IsRsa();
  }

  // At most 64 names per input: more only repeats the same checks.
  std::vector<std::string> names;
  for (std::string_view line : homeca::fuzz::Split(names_text, '\n', 64)) {
    names.emplace_back(line);
    (void)homeca::ca::ParseIpRange(line);
  }
  for (const NamePolicy* policy : {&kDefault, &kPermissive}) {
    std::vector<std::string> expanded;
    for (const std::string& name : names) {
      expanded.push_back(homeca::ca::ExpandDeviceName(name, *policy));
    }
    (void)homeca::ca::CheckNames(*policy, names);
    (void)homeca::ca::CheckNames(*policy, expanded);
  }
  return 0;
}
