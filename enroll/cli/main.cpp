// homeca-enroll: the device CLI of homeca (pair, wait, renew, checkin, run,
// status). Only dispatches.
#include <iostream>
#include <string_view>

#include "ca/base/version.h"
#include "enroll/cli/commands.h"

namespace {

struct Command {
  const char* name;
  int (*run)(const homeca::enroll_cli::Args&);
  const char* summary;
};

constexpr Command kCommands[] = {
    {"pair", homeca::enroll_cli::RunPair, "pair this device with a CA using a pairing code"},
    {"wait", homeca::enroll_cli::RunWait,
     "announce this device as waiting to pair, then pair with its own code"},
    {"renew", homeca::enroll_cli::RunRenew, "renew the installed certificate now"},
    {"checkin", homeca::enroll_cli::RunCheckIn, "tell the CA where this device is now"},
    {"run", homeca::enroll_cli::RunDaemon,
     "stay running: renew before expiry, check in when addresses change"},
    {"status", homeca::enroll_cli::RunStatus, "show the installed certificate and its renewal"},
};

int Usage(std::ostream& out, int status) {
  out << "usage: homeca-enroll <command> [options]   (homeca-enroll <command> --help)\n"
         "       homeca-enroll --version\n\n"
         "commands:\n";
  for (const Command& c : kCommands) {
    std::string name = c.name;
    name.resize(10, ' ');
    out << "  " << name << c.summary << "\n";
  }
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return Usage(std::cerr, homeca::enroll_cli::kExitUsage);
  const std::string_view name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") return Usage(std::cout, 0);
  if (name == "--version" || name == "version") {
    std::cout << "homeca-enroll " << homeca::HomecaVersion() << "\n";
    return 0;
  }
  const homeca::enroll_cli::Args args(argv + 2, argv + argc);
  try {
    for (const Command& c : kCommands) {
      if (name == c.name) return c.run(args);
    }
  } catch (const std::exception& e) {
    return homeca::enroll_cli::Error(std::string("internal error: ") + e.what());
  }
  std::cerr << "homeca-enroll: unknown command '" << name << "'\n";
  return Usage(std::cerr, homeca::enroll_cli::kExitUsage);
}
