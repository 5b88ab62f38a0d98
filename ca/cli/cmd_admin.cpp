// Commands that change or export the CA: revoke, crl, export-root, backup, restore.
#include <iostream>

#include "ca/backup.h"
#include "ca/cli/commands.h"
#include "ca/cli/common.h"
#include "ca/cli/passphrase.h"
#include "ca/root_export.h"

namespace homeca::cli {
namespace {

const CommandSpec kRevokeSpec{"revoke",
                              "homeca revoke SERIAL [--reason REASON]",
                              "Revokes a certificate and publishes a new CRL.",
                              {{"reason", "REASON",
                                "unspecified (default), keyCompromise, affiliationChanged, "
                                "superseded, cessationOfOperation"}},
                              1,
                              1};

const CommandSpec kCrlSpec{"crl",
                           "homeca crl [--der] [--out FILE]",
                           "Signs and publishes a fresh CRL (next CRL number) and prints it.",
                           {{"der", "", "print DER instead of PEM"},
                            {"out", "FILE", "write to FILE instead of standard output"}}};

const CommandSpec kExportSpec{
    "export-root",
    "homeca export-root --format pem|der|mobileconfig [--out FILE]",
    "Exports the root certificate: PEM for Linux and Firefox, DER (.crt/.cer) for Android\n"
    "and Windows, an Apple configuration profile for iPhone, iPad and macOS. The SHA-256\n"
    "fingerprint to compare on each device is printed on standard error.",
    {{"format", "FORMAT", "pem, der or mobileconfig"},
     {"out", "FILE", "write to FILE instead of standard output"}}};

const CommandSpec kBackupSpec{
    "backup",
    "homeca backup --out FILE [--passphrase-file FILE | --passphrase-fd N]",
    "Writes the whole CA (database, keys, certificates) to one file, mode 0600, encrypted\n"
    "with a passphrase (CMS EnvelopedData, PBKDF2-HMAC-SHA256, AES-256; stock openssl opens\n"
    "it: openssl cms -decrypt -inform DER -pwri_password ...). Asks for the passphrase twice\n"
    "on the terminal, without echo. A root key taken offline is not in it. Safe while\n"
    "homecad is running.",
    {{"out", "FILE", "the backup to create (must not exist)"},
     PassphraseFileOption("", "the passphrase (at least 12 characters)"),
     PassphraseFdOption("", "the passphrase")}};

const CommandSpec kRestoreSpec{
    "restore",
    "homeca restore --from FILE [--force] [--passphrase-file FILE | --passphrase-fd N]",
    "Restores a CA from a backup into the data directory. Asks for the backup's passphrase;\n"
    "a wrong one changes nothing.",
    {{"from", "FILE", "the backup"},
     {"force", "", "replace an existing CA"},
     PassphraseFileOption("", "the backup's passphrase"),
     PassphraseFdOption("", "the backup's passphrase")}};

Status Revoke(const ParsedArgs& args) {
  auto reason = ca::ParseRevocationReason(args.Get("reason").value_or("unspecified"));
  if (!reason.ok()) return reason.status();
  auto authority = OpenAuthority(args);
  if (!authority.ok()) return authority.status();
  HOMECA_RETURN_IF_ERROR((*authority)->Revoke(args.positional()[0], *reason, "cli"));
  std::cerr << "revoked " << args.positional()[0] << "; CRL updated\n";
  return Status::Ok();
}

Status Crl(const ParsedArgs& args) {
  auto authority = OpenAuthority(args);
  if (!authority.ok()) return authority.status();
  auto crl = (*authority)->PublishCrl("cli");
  if (!crl.ok()) return crl.status();
  return WriteOutput(args.Get("out").value_or(""),
                     args.Has("der") ? homeca::ToString(crl->der) : crl->pem);
}

Status ExportRoot(const ParsedArgs& args) {
  auto format_text = args.Get("format");
  if (!format_text)
    return Status::InvalidArgument("--format is required (pem, der or mobileconfig)");
  auto format = ca::ParseRootFormat(*format_text);
  if (!format.ok()) return format.status();
  auto authority = OpenAuthority(args);
  if (!authority.ok()) return authority.status();
  const ca::Certificate& root = (*authority)->root();
  HOMECA_RETURN_IF_ERROR(WriteOutput(args.Get("out").value_or(""), ca::ExportRoot(root, *format)));
  std::cerr << "SHA-256 fingerprint: " << ca::RootFingerprint(root) << "\n";
  return Status::Ok();
}

Status Backup(const ParsedArgs& args) {
  auto out = args.Get("out");
  if (!out) return Status::InvalidArgument("--out is required");
  auto authority = OpenAuthority(args);
  if (!authority.ok()) return authority.status();
  auto passphrase = ReadPassphrase(args, "", "Passphrase for the backup", /*confirm=*/true);
  if (!passphrase.ok()) return passphrase.status();
  Status written = ca::WriteBackup(**authority, *out, *passphrase, "cli");
  Cleanse(*passphrase);
  HOMECA_RETURN_IF_ERROR(written);
  std::cerr << "encrypted backup written to " << *out << " (mode 0600)\n";
  return Status::Ok();
}

Status Restore(const ParsedArgs& args) {
  auto from = args.Get("from");
  if (!from) return Status::InvalidArgument("--from is required");
  auto passphrase = ReadPassphrase(args, "", "Passphrase of the backup", /*confirm=*/false);
  if (!passphrase.ok()) return passphrase.status();
  Status restored =
      ca::RestoreBackup(*from, DataDirFrom(args), *passphrase, args.Has("force"), "cli");
  Cleanse(*passphrase);
  HOMECA_RETURN_IF_ERROR(restored);
  auto authority = OpenAuthority(args);
  if (!authority.ok()) return authority.status();
  std::cerr << "restored CA " << (*authority)->root().SubjectCommonName() << " into "
            << DataDirFrom(args).string() << "\n";
  return Status::Ok();
}

}  // namespace

int RunRevoke(const Args& args) { return RunCommand(kRevokeSpec, args, Revoke); }
int RunCrl(const Args& args) { return RunCommand(kCrlSpec, args, Crl); }
int RunExportRoot(const Args& args) { return RunCommand(kExportSpec, args, ExportRoot); }
int RunBackup(const Args& args) { return RunCommand(kBackupSpec, args, Backup); }
int RunRestore(const Args& args) { return RunCommand(kRestoreSpec, args, Restore); }

}  // namespace homeca::cli
