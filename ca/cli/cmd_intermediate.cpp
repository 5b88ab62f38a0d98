// `homeca intermediate renew`: re-certifies the online intermediate with the
// root key, from this box or, once it is offline, from the exported file.
#include <iostream>

#include "ca/base/file_util.h"
#include "ca/cli/commands.h"
#include "ca/cli/common.h"
#include "ca/cli/passphrase.h"
#include "ca/intermediate_renewal.h"
#include "ca/root_key_offline.h"

namespace homeca::cli {
namespace {

const CommandSpec kRenewSpec{
    "intermediate renew",
    "homeca intermediate renew [--root-key FILE] [--days N] [--passphrase-file FILE]",
    "Signs a new certificate for the online intermediate (same key and name, so everything\n"
    "it signed stays valid) with the root key. Once the root key is offline, give the\n"
    "exported file with --root-key; its passphrase is asked for. Restart homecad afterwards.",
    {{"root-key", "FILE", "the root key (default: the one on this box)"},
     {"days", "N",
      "lifetime in days (default " + std::to_string(ca::kDefaultIntermediateDays) +
          ", capped at the root's)"},
     PassphraseFileOption("", "the root key's passphrase"),
     PassphraseFdOption("", "the root key's passphrase")}};

Status Renew(const ParsedArgs& args) {
  int days = ca::kDefaultIntermediateDays;
  if (auto text = args.Get("days")) {
    auto value = ParseInt("days", *text, 1, 30 * 365);
    if (!value.ok()) return value.status();
    days = *value;
  }
  auto authority = OpenAuthority(args);
  if (!authority.ok()) return authority.status();
  std::filesystem::path key_file = (*authority)->data_dir().root_key();
  if (auto given = args.Get("root-key")) {
    key_file = *given;
  } else {
    auto state = ca::GetRootKeyState(**authority);
    if (!state.ok()) return state.status();
    if (!state->on_box) {
      return Status::InvalidArgument("the root key is " + ca::DescribeRootKeyLocation(*state) +
                                     "; give the exported file with --root-key FILE");
    }
  }
  auto pem = ReadFile(key_file, 64 * 1024);
  if (!pem.ok()) return pem.status();
  std::string passphrase;
  if (pem->find("ENCRYPTED") != std::string::npos) {
    auto read = ReadPassphrase(args, "", "Passphrase of the root key", false);
    if (!read.ok()) return read.status();
    passphrase = std::move(*read);
  }
  auto key = ca::ReadRootKey((*authority)->root(), *pem, passphrase);
  Cleanse(*pem);
  Cleanse(passphrase);
  if (!key.ok()) return key.status().WithContext(key_file.string());
  auto renewed = ca::RenewIntermediate(**authority, *key, days, "cli");
  if (!renewed.ok()) return renewed.status();
  std::cout << "intermediate " << renewed->SubjectCommonName() << " renewed until "
            << ca::FormatTime(renewed->NotAfter()) << "; restart homecad to serve it\n";
  return Status::Ok();
}

int Usage(std::ostream& out, int status) {
  out << "usage: homeca intermediate renew [options]   (takes --help)\n\n"
         "  renew   re-certify the online intermediate with the root key\n";
  return status;
}

}  // namespace

int RunIntermediate(const Args& args) {
  if (args.empty()) return Usage(std::cerr, kExitUsage);
  const std::string& sub = args.front();
  if (sub == "--help" || sub == "-h" || sub == "help") return Usage(std::cout, kExitOk);
  const Args rest(args.begin() + 1, args.end());
  if (sub == "renew") return RunCommand(kRenewSpec, rest, Renew);
  std::cerr << "homeca intermediate: unknown subcommand\n";
  return Usage(std::cerr, kExitUsage);
}

}  // namespace homeca::cli
