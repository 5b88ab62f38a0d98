// `homeca admin set-password`: sets or resets the web UI's admin password
// from the server itself (a forgotten password, or no browser at hand for
// the first-run link). The password is read from the terminal without echo,
// or as one line from standard input when that is not a terminal (scripts);
// never from the command line, where any user could read it in the process
// list.
#include <unistd.h>

#include <iostream>
#include <string>

#include "ca/admin_password.h"
#include "ca/cli/commands.h"
#include "ca/cli/common.h"
#include "ca/cli/no_echo.h"

namespace homeca::cli {
namespace {

const CommandSpec kSetPasswordSpec{
    "admin set-password",
    "homeca admin set-password",
    "Sets the admin password of the web UI (homecad). Asks twice on a terminal, without\n"
    "echo; otherwise reads one line from standard input. Ends every logged-in session.",
    {}};

Result<std::string> ReadLine(const char* prompt, bool terminal) {
  std::string line;
  if (terminal) {
    std::cerr << prompt << std::flush;
    NoEcho quiet;
    std::getline(std::cin, line);
    std::cerr << "\n";
  } else {
    std::getline(std::cin, line);
  }
  if (!std::cin && line.empty()) return Status::InvalidArgument("no password given");
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

Status SetPassword(const ParsedArgs& args) {
  const bool terminal = isatty(STDIN_FILENO) == 1;
  Result<std::string> password = ReadLine("New admin password: ", terminal);
  if (!password.ok()) return password.status();
  if (terminal) {
    Result<std::string> again = ReadLine("Repeat it: ", terminal);
    if (!again.ok()) return again.status();
    const bool same = *again == *password;
    Cleanse(*again);
    if (!same) {
      Cleanse(*password);
      return Status::InvalidArgument("the two passwords differ; nothing was changed");
    }
  }
  auto authority = OpenAuthority(args);
  if (!authority.ok()) {
    Cleanse(*password);
    return authority.status();
  }
  Status set =
      ca::SetAdminPassword((*authority)->admin(), *password, (*authority)->clock().Now(), "cli");
  Cleanse(*password);
  HOMECA_RETURN_IF_ERROR(set);
  std::cerr << "admin password set; homecad ends every logged-in session\n";
  return Status::Ok();
}

int AdminUsage(std::ostream& out, int status) {
  out << "usage: homeca admin set-password   (takes --help)\n\n"
         "  set-password   set or reset the web UI's admin password\n";
  return status;
}

}  // namespace

int RunAdmin(const Args& args) {
  if (args.empty()) return AdminUsage(std::cerr, kExitUsage);
  const std::string& sub = args.front();
  if (sub == "--help" || sub == "-h" || sub == "help") return AdminUsage(std::cout, kExitOk);
  const Args rest(args.begin() + 1, args.end());
  if (sub == "set-password") return RunCommand(kSetPasswordSpec, rest, SetPassword);
  std::cerr << "homeca admin: unknown subcommand\n";
  return AdminUsage(std::cerr, kExitUsage);
}

}  // namespace homeca::cli
