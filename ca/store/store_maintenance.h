// Keeping the store itself healthy: its integrity check, a consistent copy
// for a backup, replacing its content from one, and its schema version.
// Used by ca/backup.h and the tests; nothing on a request path needs it.
//
// Thread-safety: callable from any thread; a restore waits for writes in
// flight and replaces the content under them.
#pragma once

#include <filesystem>

#include "ca/base/status.h"

namespace homeca::ca {

class StoreMaintenance {
 public:
  virtual ~StoreMaintenance() = default;

  // OK when the store finds nothing wrong with itself; a Store error with
  // what it found otherwise.
  virtual Status IntegrityCheck() = 0;
  // A consistent copy, written 0600, at `destination` (AlreadyExists if
  // something is there).
  virtual Status BackupTo(const std::filesystem::path& destination) = 0;
  // Replaces this store's content with the copy at `source` (after checking
  // its integrity and schema).
  virtual Status RestoreFrom(const std::filesystem::path& source) = 0;
  // The schema version the store is at; -1 if it cannot be read.
  virtual int SchemaVersion() = 0;
};

}  // namespace homeca::ca
