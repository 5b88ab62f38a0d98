// homeca: the admin CLI of the homeca certificate authority. Only dispatches.
#include <iostream>
#include <string_view>

#include "ca/base/version.h"
#include "ca/cli/commands.h"

namespace {

struct Command {
  const char* name;
  int (*run)(const homeca::cli::Args&);
  const char* summary;
};

constexpr Command kCommands[] = {
    {"init", homeca::cli::RunInit, "create a new CA (root and intermediate)"},
    {"info", homeca::cli::RunInfo, "show the CA: fingerprint, validity, policy, counts"},
    {"issue", homeca::cli::RunIssue, "issue a certificate from a CSR for the names you give"},
    {"list", homeca::cli::RunList, "list issued certificates"},
    {"show", homeca::cli::RunShow, "show one certificate"},
    {"revoke", homeca::cli::RunRevoke, "revoke a certificate and publish a new CRL"},
    {"crl", homeca::cli::RunCrl, "publish a fresh CRL and print it"},
    {"export-root", homeca::cli::RunExportRoot, "export the root for browsers and phones"},
    {"backup", homeca::cli::RunBackup, "write an encrypted backup of the whole CA"},
    {"restore", homeca::cli::RunRestore, "restore a CA from an encrypted backup"},
    {"root-key", homeca::cli::RunRootKey, "take the root key offline: status, export, delete"},
    {"intermediate", homeca::cli::RunIntermediate, "renew the intermediate with the root key"},
    {"audit", homeca::cli::RunAudit, "show the audit log"},
    {"pair", homeca::cli::RunPair, "pair a device: make or arm a pairing code, list, cancel"},
    {"device", homeca::cli::RunDevice, "list paired devices, or revoke one and end its renewal"},
    {"admin", homeca::cli::RunAdmin, "set the web UI's admin password"},
};

int Usage(std::ostream& out, int status) {
  out << "usage: homeca <command> [options]   (homeca <command> --help for details)\n"
         "       homeca --version\n\n"
         "commands:\n";
  for (const Command& c : kCommands) {
    std::string name = c.name;
    name.resize(14, ' ');
    out << "  " << name << c.summary << "\n";
  }
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return Usage(std::cerr, 2);
  std::string_view name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") return Usage(std::cout, 0);
  if (name == "--version" || name == "version") {
    std::cout << "homeca " << homeca::HomecaVersion() << "\n";
    return 0;
  }
  homeca::cli::Args args(argv + 2, argv + argc);
  for (const Command& c : kCommands) {
    if (name == c.name) return c.run(args);
  }
  std::cerr << "homeca: unknown command '" << name << "'\n";
  return Usage(std::cerr, 2);
}
