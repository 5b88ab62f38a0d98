// Backup and restore of a whole CA as one passphrase-encrypted file (mode
// 0600): a consistent copy of the store made with SQLite's online backup API,
// so it can run while homecad is serving, plus the keys, certificates and CRL,
// as a tar.gz (ca/backup_archive.h) sealed in CMS EnvelopedData with a
// password recipient (ca/pwri_envelope.h), so stock OpenSSL opens it:
//   openssl cms -decrypt -inform DER -in FILE -pwri_password PASS | tar -tz
// A root key that was taken offline (ca/root_key_offline.h) is not on the box
// and so not in the backup.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "ca/authority.h"
#include "ca/base/status.h"

namespace homeca::ca {

// A backup made in memory, for a download (the web UI's Settings).
struct SealedBackup {
  std::string bytes;  // the CMS EnvelopedData, DER
  bool root_key_included = false;
};

// Makes the backup without writing it anywhere but a moment's copy of the
// database in the data directory. InvalidArgument for a passphrase shorter
// than kMinPassphraseLength. Records nothing: the caller audits with
// AuditBackup once the backup has left.
Result<SealedBackup> SealBackup(Authority& authority, std::string_view passphrase);
Status AuditBackup(Authority& authority, const SealedBackup& backup, const std::string& where,
                   const std::string& actor);

// Writes the backup to `archive` (refusing to overwrite an existing file or
// a passphrase shorter than kMinPassphraseLength) and records the backup in
// the audit log (never the passphrase).
Status WriteBackup(Authority& authority, const std::filesystem::path& archive,
                   std::string_view passphrase, const std::string& actor);

// Restores the CA in `archive` into `dir`. The file is decrypted and checked
// whole (known entries only, certificates parse, the intermediate key matches
// its certificate and chains to the root, a root key present matches the
// root, the database passes integrity_check) before anything is written; a
// wrong passphrase is PermissionDenied and changes nothing. Refuses to replace
// an existing CA unless `force` is set.
Status RestoreBackup(const std::filesystem::path& archive, const std::filesystem::path& dir,
                     std::string_view passphrase, bool force, const std::string& actor);

}  // namespace homeca::ca
