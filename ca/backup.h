// Backup and restore of a whole CA as one archive (tar + gzip, mode 0600):
// a consistent copy of the store made with SQLite's online backup API, so it
// can run while homecad is serving, plus the keys, certificates and CRL.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>

#include "ca/authority.h"
#include "ca/status.h"

namespace homeca::ca {

// Writes the archive to `archive` (refusing to overwrite an existing file)
// and records the backup in the audit log.
Status WriteBackup(Authority& authority, const std::filesystem::path& archive,
                   const std::string& actor);

// The members of a backup archive held in memory (tar + gzip), by name.
// Refuses anything a backup does not hold: unknown or repeated entries,
// non-regular files, entries over their size limit, a missing or foreign
// marker, a missing required member. Touches no files. This is the whole of
// what RestoreBackup reads from an archive; the fuzz target
// tests/fuzz/fuzz_backup_archive.cpp calls it directly.
Result<std::map<std::string, std::string>> ParseBackupArchive(std::string_view archive_bytes);

// Restores the CA in `archive` into `dir`. The archive is read and checked
// whole (known entries only, certificates parse, the intermediate key matches
// its certificate and chains to the root, the database passes integrity_check)
// before anything is written. Refuses to replace an existing CA unless
// `force` is set.
Status RestoreBackup(const std::filesystem::path& archive, const std::filesystem::path& dir,
                     bool force, const std::string& actor);

}  // namespace homeca::ca
