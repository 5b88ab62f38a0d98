// `homeca-enroll checkin`: tell the CA once, now, where this device is (the
// address it sees the connection come from), over the same mutual TLS as a
// renewal. For hooks (a DHCP or NetworkManager dispatcher script) and tests;
// `run` checks in by itself when the addresses change.
#include <iostream>

#include "enroll/cli/commands.h"

namespace homeca::enroll_cli {

int RunCheckIn(const Args& args) {
  std::vector<OptionSpec> options = {
      {"ca", "URL", "the CA, only if no renew URL was stored at pairing"},
  };
  for (OptionSpec& o : CommonOptions(true)) options.push_back(std::move(o));
  CommandSpec spec{"checkin", "homeca-enroll checkin [options]",
                   "Tell the CA where this device is now, over TLS authenticated both ways\n"
                   "(this device's certificate; the CA's against the stored root), and print\n"
                   "the address the CA saw. Changes no file.",
                   options};
  ParsedArgs parsed;
  int exit_code = 0;
  if (!ParseOrExit(spec, args, parsed, exit_code)) return exit_code;
  Result<enroll::EnrollerConfig> config = ConfigFrom(parsed);
  if (!config.ok()) return Error(config.status().message(), kExitUsage);

  Result<enroll::CheckInAnswer> answer = enroll::CheckInInstalled(*config);
  if (!answer.ok()) {
    std::string message = answer.status().message() + " [" +
                          std::string(enroll::ErrorWord(enroll::ErrorOf(answer))) + "]";
    if (answer.status().retry_after_seconds() > 0) {
      message += "; try again in " + std::to_string(answer.status().retry_after_seconds()) + " s";
    }
    return Error(message);
  }
  std::string names;
  for (const std::string& name : answer->names) names += (names.empty() ? "" : ", ") + name;
  std::cout << "checked in: the CA sees this device at " << answer->address << "\n"
            << "names:      " << names << "\n";
  return 0;
}

}  // namespace homeca::enroll_cli
