#include <iostream>

#include "enroll/cli/commands.h"
#include "enroll/device/renewal_schedule.h"

namespace homeca::enroll_cli {

std::vector<OptionSpec> RenewOptions() {
  std::vector<OptionSpec> options = {
      {"ca", "URL", "the CA, only if no renew URL was stored at pairing"},
      {"exec", "CMD",
       "run CMD with /bin/sh -c after each successful renewal, e.g. "
       "'systemctl reload nginx'"},
  };
  for (OptionSpec& o : CommonOptions(true)) options.push_back(std::move(o));
  return options;
}

int RunRenew(const Args& args) {
  CommandSpec spec{"renew", "homeca-enroll renew [options]",
                   "Renew the installed certificate now, over TLS authenticated both ways\n"
                   "(this device's certificate; the CA's against the stored root).",
                   RenewOptions()};
  ParsedArgs parsed;
  int exit_code = 0;
  if (!ParseOrExit(spec, args, parsed, exit_code)) return exit_code;
  Result<enroll::EnrollerConfig> config = ConfigFrom(parsed);
  if (!config.ok()) return Error(config.status().message(), kExitUsage);

  Result<enroll::Enrollment> renewed = enroll::RenewAndInstall(*config);
  if (!renewed.ok()) {
    return Error(renewed.status().message() + " [" +
                 std::string(enroll::ErrorWord(enroll::ErrorOf(renewed))) + "]");
  }
  const ca::Certificate& leaf = renewed->chain.front();
  const std::int64_t now = config->clock->Now();
  std::cout << "renewed: valid until " << When(leaf.NotAfter(), now) << "\n"
            << "renews at: " << When(enroll::RenewalTimeFor(leaf), now) << "\n";
  if (auto hook = parsed.Get("exec")) {
    if (Status s = RunHook(*hook); !s.ok()) return Error(s.message());
  }
  return 0;
}

}  // namespace homeca::enroll_cli
