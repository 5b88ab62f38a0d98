// `homeca root-key status|export|delete`: taking the root key off the box
// (ca/root_key_offline.h). export writes it encrypted; delete needs that file
// and its passphrase back, proving the export is readable before the only
// other copy goes.
#include <iostream>

#include "ca/base/file_util.h"
#include "ca/cli/commands.h"
#include "ca/cli/common.h"
#include "ca/cli/passphrase.h"
#include "ca/root_key_offline.h"

namespace homeca::cli {
namespace {

const CommandSpec kStatusSpec{"root-key status",
                              "homeca root-key status",
                              "Says where the root key is: on this box, or offline since when.",
                              {}};

const CommandSpec kExportSpec{
    "root-key export",
    "homeca root-key export --out FILE [--passphrase-file FILE | --passphrase-fd N]",
    "Writes the root key to FILE (mode 0600) as encrypted PKCS#8 (PBKDF2-HMAC-SHA256,\n"
    "AES-256-CBC), readable with openssl pkey -in FILE -passin .... Asks for a new\n"
    "passphrase twice. Copy FILE off the box, then run homeca root-key delete.",
    {{"out", "FILE", "the file to create (must not exist)"},
     PassphraseFileOption("", "the new passphrase (at least 12 characters)"),
     PassphraseFdOption("", "the new passphrase"),
     PassphraseFileOption("current-", "the passphrase of a root key encrypted at init")}};

const CommandSpec kDeleteSpec{
    "root-key delete",
    "homeca root-key delete --exported FILE [--passphrase-file FILE | --passphrase-fd N]",
    "Deletes the root key from this box once FILE (made by homeca root-key export) opens\n"
    "with its passphrase and holds this CA's root key. Issuing, renewal, pairing and CRLs\n"
    "keep working; only homeca intermediate renew needs the file again.",
    {{"exported", "FILE", "the exported root key"},
     PassphraseFileOption("", "the export's passphrase"),
     PassphraseFdOption("", "the export's passphrase")}};

Status ShowStatus(const ParsedArgs& args) {
  auto authority = OpenAuthority(args);
  if (!authority.ok()) return authority.status();
  auto state = ca::GetRootKeyState(**authority);
  if (!state.ok()) return state.status();
  std::cout << "root key: " << ca::DescribeRootKeyLocation(*state) << "\n";
  return Status::Ok();
}

Status Export(const ParsedArgs& args) {
  auto out = args.Get("out");
  if (!out) return Status::InvalidArgument("--out is required");
  std::error_code ec;
  if (std::filesystem::exists(*out, ec)) return Status::AlreadyExists(*out + " already exists");
  auto authority = OpenAuthority(args);
  if (!authority.ok()) return authority.status();
  std::string current;
  if (auto file = args.Get("current-passphrase-file")) {
    auto read = ReadPassphrase(args, "current-", "", false);
    if (!read.ok()) return read.status();
    current = std::move(*read);
  }
  auto passphrase = ReadPassphrase(args, "", "New passphrase for the root key", true);
  if (!passphrase.ok()) return passphrase.status();
  auto pem = ca::ExportRootKey(**authority, *passphrase, current, "cli");
  Cleanse(*passphrase);
  Cleanse(current);
  if (!pem.ok()) return pem.status();
  HOMECA_RETURN_IF_ERROR(WriteFileAtomic(*out, *pem, 0600));
  std::cerr << "encrypted root key written to " << *out
            << "; copy it off this box, then run homeca root-key delete --exported " << *out
            << "\n";
  return Status::Ok();
}

Status Delete(const ParsedArgs& args) {
  auto exported = args.Get("exported");
  if (!exported) return Status::InvalidArgument("--exported FILE is required");
  auto authority = OpenAuthority(args);
  if (!authority.ok()) return authority.status();
  auto pem = ReadFile(*exported, 64 * 1024);
  if (!pem.ok()) return pem.status();
  if (pem->find("BEGIN ENCRYPTED PRIVATE KEY") == std::string::npos) {
    return Status::InvalidArgument(*exported +
                                   " is not an encrypted key; export it with "
                                   "homeca root-key export");
  }
  auto passphrase = ReadPassphrase(args, "", "Passphrase of the exported root key", false);
  if (!passphrase.ok()) return passphrase.status();
  auto key = ca::ReadRootKey((*authority)->root(), *pem, *passphrase);
  Cleanse(*passphrase);
  if (!key.ok()) return key.status().WithContext(*exported);
  HOMECA_RETURN_IF_ERROR(ca::DeleteRootKey(**authority, "cli"));
  std::cerr << "root key deleted from this box; keep " << *exported
            << " and its passphrase safe: homeca intermediate renew needs them\n";
  return Status::Ok();
}

int Usage(std::ostream& out, int status) {
  out << "usage: homeca root-key status|export|delete   (each takes --help)\n\n"
         "  status   where the root key is\n"
         "  export   write it encrypted with a passphrase\n"
         "  delete   delete it from this box after checking the export\n";
  return status;
}

}  // namespace

int RunRootKey(const Args& args) {
  if (args.empty()) return Usage(std::cerr, kExitUsage);
  const std::string& sub = args.front();
  if (sub == "--help" || sub == "-h" || sub == "help") return Usage(std::cout, kExitOk);
  const Args rest(args.begin() + 1, args.end());
  if (sub == "status") return RunCommand(kStatusSpec, rest, ShowStatus);
  if (sub == "export") return RunCommand(kExportSpec, rest, Export);
  if (sub == "delete") return RunCommand(kDeleteSpec, rest, Delete);
  std::cerr << "homeca root-key: unknown subcommand\n";
  return Usage(std::cerr, kExitUsage);
}

}  // namespace homeca::cli
