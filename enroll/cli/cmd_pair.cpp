#include <iostream>

#include "ca/base/encoding.h"
#include "enroll/cli/commands.h"
#include "enroll/cli/discover.h"
#include "enroll/device/renewal_schedule.h"

namespace homeca::enroll_cli {
namespace {

CommandSpec PairSpec() {
  CommandSpec spec{"pair",
                   "homeca-enroll pair --code CODE [--ca URL] [options]",
                   "Pair this device with a homeca CA using a pairing code, then install its key,\n"
                   "certificate, chain and the CA's root. Without --ca, finds the CA on the LAN\n"
                   "over mDNS (_homeca._tcp) and checks its root against the fingerprint it\n"
                   "announces.",
                   {}};
  spec.options = {
      {"code", "CODE",
       "the pairing code, e.g. 0735-2918-6402 ('-' reads it from stdin, which "
       "keeps it out of the process list)"},
      {"ca", "URL",
       "the CA: https://host[:port][/path] or host[:port] (port 8443); default: "
       "found over mDNS"},
      {"device-id", "ID",
       "pair with this device's own code, identified by ID (the admin arms "
       "it with 'homeca pair device')"},
      {"name-hint", "NAME",
       "a name for the certificate request's subject (the CA decides the "
       "certificate's names)"},
  };
  for (OptionSpec& o : DiscoveryOptions()) spec.options.push_back(std::move(o));
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
  if (Status ok = CheckDiscoveryArgs(parsed); !ok.ok()) return Error(ok.message(), kExitUsage);
  Result<enroll::EnrollerConfig> config = ConfigFrom(parsed);
  if (!config.ok()) return Error(config.status().message(), kExitUsage);
  if (!ReadPairingCode(*code, exit_code)) return exit_code;

  std::optional<enroll::Endpoint> found_at;
  std::unique_ptr<mdns::Mdns> mdns;
  if (!parsed.Has("ca")) {
    Result<std::unique_ptr<mdns::Mdns>> started = StartMdns();
    if (!started.ok()) return Error(started.status().message());
    mdns = std::move(started).value();
    Result<enroll::FoundCa> ca = DiscoverCa(parsed, *mdns);
    if (!ca.ok()) {
      Cleanse(*code);
      return Error(ca.status().message(),
                   ca.status().IsInvalidArgument() ? kExitUsage : kExitFailed);
    }
    config->root_fingerprint_prefix = ca->fingerprint_prefix;
    found_at = ca->endpoint;
  }
  Result<enroll::Enrollment> paired = found_at ? enroll::PairAndInstallAt(*config, *found_at, *code)
                                               : enroll::PairAndInstall(*config, *code);
  Cleanse(*code);
  mdns.reset();
  if (!paired.ok()) {
    std::string message = paired.status().message();
    if (enroll::ErrorOf(paired) == enroll::EnrollError::kNoPairing && !config->device_id.empty()) {
      message += "; once the admin has armed it, run this again (or use 'homeca-enroll wait')";
    }
    return Error(message + " [" + std::string(enroll::ErrorWord(enroll::ErrorOf(paired))) + "]");
  }
  return ReportPaired(*config, *paired);
}

int ReportPaired(const enroll::EnrollerConfig& config, const enroll::Enrollment& paired) {
  const enroll::Enrollment* p = &paired;
  const ca::Certificate& leaf = p->chain.front();
  const std::int64_t now = config.clock->Now();
  const std::int64_t renew_at = enroll::RenewalTimeFor(leaf);
  std::string names;
  for (const std::string& name : p->names) names += (names.empty() ? "" : ", ") + name;
  std::cout << "paired: " << names << "\n"
            << "valid until: " << When(p->not_after, now) << "\n"
            << "renews at:   " << When(renew_at, now) << " (run 'homeca-enroll run' to renew "
            << "automatically)\n"
            << "chain:       " << config.paths.chain.string() << "\n"
            << "key:         " << config.paths.key.string() << "\n"
            << "root:        " << config.paths.root.string() << " (SHA-256 "
            << ColonHex(p->root.FingerprintSha256()) << ")\n";
  return 0;
}

}  // namespace homeca::enroll_cli
