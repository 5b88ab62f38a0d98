#include <iostream>

#include "ca/cli/commands.h"
#include "ca/cli/common.h"
#include "ca/leaf_profile.h"
#include "ca/root_export.h"

namespace homeca::cli {
namespace {

const CommandSpec kSpec{
    "init",
    "homeca init [options]",
    "Creates a root and an online intermediate CA, both name-constrained to home.arpa\n"
    "(and IP addresses excluded unless you permit private ranges).",
    {
        {"key", "ALG", "p256 (default) or p384"},
        {"org", "NAME", "organisation name (default \"homeca <hostname>\")"},
        {"root-cn", "NAME", "root common name (default \"<org> Root CA\")"},
        {"intermediate-cn", "NAME", "intermediate common name"},
        {"root-days", "N",
         "root lifetime in days (default " + std::to_string(ca::kDefaultRootDays) + ")"},
        {"intermediate-days", "N",
         "intermediate lifetime in days (default " + std::to_string(ca::kDefaultIntermediateDays) +
             ")"},
        {"default-days", "N",
         "default certificate lifetime in days (default " + std::to_string(ca::kDefaultLeafDays) +
             ", max " + std::to_string(ca::kMaxLeafDays) + ")"},
        {"no-local", "", "do not permit names under .local (permitted by default)"},
        {"permit-local", "", "permit names under .local (the default; kept for scripts)"},
        {"permit-ip", "CIDR", "permit IP names in this private range instead of excluding all IPs",
         true},
        {"allow-wildcards", "", "allow wildcard names such as *.lab.home.arpa"},
        {"crl-url", "URL", "http:// URL to put in certificates as CRL distribution point"},
        {"root-passphrase-file", "FILE", "encrypt the root key with the passphrase in FILE"},
    },
};

Status Init(const ParsedArgs& args) {
  ca::InitOptions options;
  if (auto key = args.Get("key")) {
    auto alg = ca::ParseKeyAlgorithm(*key);
    if (!alg.ok()) return alg.status();
    options.algorithm = *alg;
  }
  options.organization = args.Get("org").value_or("");
  options.root_common_name = args.Get("root-cn").value_or("");
  options.intermediate_common_name = args.Get("intermediate-cn").value_or("");
  const std::pair<const char*, int*> numbers[] = {{"root-days", &options.root_days},
                                                  {"intermediate-days", &options.intermediate_days},
                                                  {"default-days", &options.default_leaf_days}};
  for (const auto& [name, target] : numbers) {
    if (auto text = args.Get(name)) {
      auto value = ParseInt(name, *text, 1, 30 * 365);
      if (!value.ok()) return value.status();
      *target = *value;
    }
  }
  if (args.Has("no-local") && args.Has("permit-local")) {
    return Status::InvalidArgument("--no-local and --permit-local contradict each other");
  }
  options.permit_local = !args.Has("no-local");
  options.allow_wildcards = args.Has("allow-wildcards");
  for (const std::string& cidr : args.GetAll("permit-ip")) {
    auto range = ca::ParseIpRange(cidr);
    if (!range.ok()) return range.status();
    options.permitted_ip_ranges.push_back(*range);
  }
  options.crl_url = args.Get("crl-url").value_or("");
  if (auto file = args.Get("root-passphrase-file")) {
    auto pass = ReadInput(*file, 1024);
    if (!pass.ok()) return pass.status();
    while (!pass->empty() && (pass->back() == '\n' || pass->back() == '\r')) pass->pop_back();
    if (pass->size() < 8)
      return Status::InvalidArgument("the root passphrase is shorter than 8 characters");
    options.root_passphrase = std::move(*pass);
  }
  auto authority = ca::Authority::Init(DataDirFrom(args), options);
  Cleanse(options.root_passphrase);
  if (!authority.ok()) return authority.status();
  const ca::Certificate& root = (*authority)->root();
  std::cout << "Created a CA in " << (*authority)->data_dir().root().string() << "\n"
            << "  root:         " << root.SubjectCommonName() << " (" << root.KeyDescription()
            << ", until " << ca::FormatTime(root.NotAfter()) << ")\n"
            << "  intermediate: " << (*authority)->intermediate().SubjectCommonName() << "\n"
            << "  permitted:    ";
  for (const std::string& d : (*authority)->policy().permitted_domains) std::cout << d << " ";
  for (const ca::IpRange& r : (*authority)->policy().permitted_ip_ranges) {
    std::cout << r.ToString() << " ";
  }
  std::cout << "\n  SHA-256 fingerprint:\n    " << ca::RootFingerprint(root) << "\n";
  return Status::Ok();
}

}  // namespace

int RunInit(const Args& args) { return RunCommand(kSpec, args, Init); }

}  // namespace homeca::cli
