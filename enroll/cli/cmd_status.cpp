#include <iostream>

#include "enroll/cli/commands.h"
#include "enroll/device/renewal_schedule.h"

namespace homeca::enroll_cli {

int RunStatus(const Args& args) {
  CommandSpec spec{"status", "homeca-enroll status [options]",
                   "Show the installed certificate: names, validity, and when it will renew.",
                   CommonOptions(false)};
  ParsedArgs parsed;
  int exit_code = 0;
  if (!ParseOrExit(spec, args, parsed, exit_code)) return exit_code;
  Result<enroll::EnrollerConfig> config = ConfigFrom(parsed);
  if (!config.ok()) return Error(config.status().message(), kExitUsage);

  Result<enroll::Enrollment> installed = enroll::LoadEnrollment(config->paths);
  if (!installed.ok()) return Error(installed.status().message());
  const ca::Certificate& leaf = installed->chain.front();
  const std::int64_t now = config->clock->Now();
  const std::int64_t renew_at = enroll::RenewalTimeFor(leaf);
  std::string names;
  for (const std::string& name : installed->names) names += (names.empty() ? "" : ", ") + name;
  const char* state = now >= leaf.NotAfter()   ? "EXPIRED: pair this device again"
                      : now < leaf.NotBefore() ? "not yet valid (check the clock)"
                      : now >= renew_at        ? "due for renewal"
                                               : "valid";
  std::cout << "certificate: " << config->paths.chain.string() << "\n"
            << "names:       " << names << "\n"
            << "serial:      " << leaf.SerialHex() << "\n"
            << "issuer:      " << leaf.IssuerText() << "\n"
            << "valid from:  " << When(leaf.NotBefore(), now) << "\n"
            << "valid until: " << When(leaf.NotAfter(), now) << "\n"
            << "renews at:   " << When(renew_at, now) << "\n"
            << "state:       " << state << "\n"
            << "renew URL:   "
            << (installed->renew_url.empty() ? "(none stored)" : installed->renew_url) << "\n"
            << "root:        " << installed->root.SubjectCommonName() << " (SHA-256 "
            << ColonHex(installed->root.FingerprintSha256()) << ")\n";
  return 0;
}

}  // namespace homeca::enroll_cli
