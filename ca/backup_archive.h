// The plain archive inside a backup: a gzip-compressed tar (pax) of named
// members, read and written in memory. Internal to backup.cpp, which seals it
// with a passphrase (ca/pwri_envelope.h) before it touches the disk; declared
// here so the fuzzer can drive ParseBackupArchive with hostile bytes.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "ca/base/status.h"

namespace homeca::ca {

// Member name -> contents.
using BackupFiles = std::map<std::string, std::string>;

inline constexpr const char* kBackupMarkerName = "HOMECA-BACKUP";
inline constexpr const char* kBackupMarkerVersion = "homeca backup 1\n";

// Every name a backup may hold; anything else is refused.
bool IsBackupMemberName(std::string_view name);

// tar.gz of `files`, each mode 0600 with `mtime`.
Result<std::string> BuildBackupArchive(const BackupFiles& files, std::int64_t mtime);

// Parses decrypted archive bytes, refusing unknown, duplicate, non-regular or
// oversized members, a missing or foreign marker, and a missing required
// member (the root key is optional: it may be offline).
Result<BackupFiles> ParseBackupArchive(std::string_view tar_gz);

}  // namespace homeca::ca
