#include <iostream>

#include "ca/encoding.h"
#include "enroll/cli/commands.h"
#include "enroll/device/renewal_schedule.h"

namespace homeca::enroll_cli {
namespace {

CommandSpec PairSpec() {
  CommandSpec spec{"pair",
                   "homeca-enroll pair --code CODE --ca URL [options]",
                   "Pair this device with a homeca CA using a pairing code, then install its key,\n"
                   "certificate, chain and the CA's root.",
                   {}};
  spec.options = {
      {"code", "CODE",
       "the pairing code, e.g. 1234-5678-9012 ('-' reads it from stdin, which "
       "keeps it out of the process list)"},
      {"ca", "URL", "the CA: https://host[:port][/path] or host[:port] (port 8443)"},
      {"device-id", "ID",
       "pair with this device's own code, identified by ID (the admin arms "
       "it with 'homeca pair device')"},
      {"name-hint", "NAME",
       "a name for the certificate request's subject (the CA decides the "
       "certificate's names)"},
  };
  for (OptionSpec& o : CommonOptions(true)) spec.options.push_back(std::move(o));
  return spec;
}

}  // namespace

int RunPair(const Args& args) {
  const CommandSpec spec = PairSpec();
  ParsedArgs parsed;
  int exit_code = 0;
  if (!ParseOrExit(spec, args, parsed, exit_code)) return exit_code;
  std::optional<std::string> code = parsed.Get("code");
  if (!code) return Error("pair needs --code (see 'homeca-enroll pair --help')", kExitUsage);
  if (!parsed.Has("ca")) {
    return Error("pair needs --ca URL: finding the CA over mDNS is not available yet", kExitUsage);
  }
  Result<enroll::EnrollerConfig> config = ConfigFrom(parsed);
  if (!config.ok()) return Error(config.status().message(), kExitUsage);
  if (*code == "-") {
    code->clear();
    std::getline(std::cin, *code);
  }

  enroll::DeviceResult<enroll::Enrollment> paired = enroll::PairAndInstall(*config, *code);
  Cleanse(*code);
  if (!paired.ok()) {
    std::string message = paired.status().message();
    if (paired.error() == enroll::DeviceError::kNoPairing && !config->device_id.empty()) {
      message += "; once the admin has armed it, run this again";
    }
    return Error(message + " [" + std::string(enroll::DeviceErrorName(paired.error())) + "]");
  }
  const ca::Certificate& leaf = paired->chain.front();
  const std::int64_t now = config->clock->Now();
  const std::int64_t renew_at = enroll::RenewalTimeFor(leaf);
  std::string names;
  for (const std::string& name : paired->names) names += (names.empty() ? "" : ", ") + name;
  std::cout << "paired: " << names << "\n"
            << "valid until: " << When(paired->not_after, now) << "\n"
            << "renews at:   " << When(renew_at, now) << " (run 'homeca-enroll run' to renew "
            << "automatically)\n"
            << "chain:       " << config->paths.chain.string() << "\n"
            << "key:         " << config->paths.key.string() << "\n"
            << "root:        " << config->paths.root.string() << " (SHA-256 "
            << ColonHex(paired->root.FingerprintSha256()) << ")\n";
  return 0;
}

}  // namespace homeca::enroll_cli
