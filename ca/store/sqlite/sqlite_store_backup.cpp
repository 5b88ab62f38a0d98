// SqliteStore: integrity check, backup and restore.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>

#include "ca/store/sqlite/sqlite.h"
#include "ca/store/sqlite/sqlite_store.h"
#include "ca/store/sqlite/store_migrations.h"

namespace homeca::ca {
namespace {

constexpr char kIntegrityFailed[] = "database integrity check failed";

// Whatever goes wrong, including a file SQLite cannot read at all, is
// reported as a failed check; SQLite's own words go to the detail.
Status AsIntegrityFailure(const Status& status) {
  return Status::Store(kIntegrityFailed, status.detail());
}

Status CheckIntegrity(SqliteDatabase& db) {
  // At most 10 problems: enough to log, bounded for a badly damaged file.
  Result<SqliteStatement> check = SqliteStatement::Prepare(db, "PRAGMA integrity_check(10)");
  if (!check.ok()) return AsIntegrityFailure(check.status());
  std::string problems;
  for (;;) {
    Result<SqliteStatement::StepResult> step = check->Step();
    if (!step.ok()) return AsIntegrityFailure(step.status());
    if (*step == SqliteStatement::StepResult::kDone) break;
    std::string line = check->ColumnText(0);
    if (line != "ok") problems += (problems.empty() ? "" : "; ") + line;
  }
  if (!problems.empty()) return Status::Store(kIntegrityFailed, problems);

  // integrity_check does not look at foreign keys.
  Result<SqliteStatement> fk = SqliteStatement::Prepare(db, "PRAGMA foreign_key_check");
  if (!fk.ok()) return AsIntegrityFailure(fk.status());
  Result<SqliteStatement::StepResult> step = fk->Step();
  if (!step.ok()) return AsIntegrityFailure(step.status());
  if (*step == SqliteStatement::StepResult::kRow) {
    return Status::Store(kIntegrityFailed, "foreign key violation in table " + fk->ColumnText(0));
  }
  return Status::Ok();
}

// Checks a file before it may replace the live database.
Status CheckRestorable(SqliteDatabase& source) {
  HOMECA_RETURN_IF_ERROR(CheckIntegrity(source));
  Result<int> version = ReadSchemaVersion(source);
  if (!version.ok()) return version.status();
  if (*version == 0) return Status::InvalidArgument("not a homeca database");
  return CheckSchemaSupported(*version);
}

void RemoveDatabaseFiles(const std::filesystem::path& path) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::error_code ignored;
    std::filesystem::remove(path.string() + suffix, ignored);
  }
}

Status SyncDirectory(const std::filesystem::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Status::Io("cannot open directory " + dir.string(), std::strerror(errno));
  int rc = ::fsync(fd);
  int saved_errno = errno;
  ::close(fd);
  if (rc != 0) {
    return Status::Io("cannot sync directory " + dir.string(), std::strerror(saved_errno));
  }
  return Status::Ok();
}

Status WriteBackupFile(SqliteDatabase& live, const std::filesystem::path& destination) {
  Result<std::unique_ptr<SqliteDatabase>> out =
      SqliteDatabase::Open(destination, SqliteDatabase::Access::kReadWrite);
  if (!out.ok()) return out.status();
  HOMECA_RETURN_IF_ERROR(CopyDatabase(live, **out));
  // A rollback-journal file is complete on its own: it can be copied off the
  // appliance without a -wal file beside it.
  Result<std::string> mode = (*out)->QueryText("PRAGMA journal_mode=DELETE");
  if (!mode.ok()) return mode.status();
  if (*mode != "delete") return Status::Store("cannot finish the backup", "journal_mode " + *mode);
  return CheckIntegrity(**out);
}

}  // namespace

Status SqliteStore::IntegrityCheck() {
  std::lock_guard<std::mutex> lock(mu_);
  return CheckIntegrity(*db_);
}

Status SqliteStore::BackupTo(const std::filesystem::path& destination) {
  std::lock_guard<std::mutex> lock(mu_);
  // O_EXCL: never overwrite a file, nor follow a symlink planted at the path.
  int fd = ::open(destination.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0 && errno == EEXIST) {
    return Status::AlreadyExists("backup destination already exists: " + destination.string());
  }
  if (fd < 0) {
    return Status::Io("cannot create the backup " + destination.string(), std::strerror(errno));
  }
  ::close(fd);
  Status written = WriteBackupFile(*db_, destination);
  if (!written.ok()) {
    RemoveDatabaseFiles(destination);
    return written.WithContext("cannot back up to " + destination.string());
  }
  std::filesystem::path dir = destination.parent_path();
  return SyncDirectory(dir.empty() ? "." : dir);
}

Status SqliteStore::RestoreFrom(const std::filesystem::path& source) {
  std::lock_guard<std::mutex> lock(mu_);
  const std::string context = "cannot restore from " + source.string();
  std::error_code ec;
  if (std::filesystem::equivalent(source, db_->path(), ec)) {
    return Status::InvalidArgument(context + ": it is the live database");
  }
  Result<std::unique_ptr<SqliteDatabase>> src =
      SqliteDatabase::Open(source, SqliteDatabase::Access::kReadOnly);
  if (!src.ok()) return src.status().WithContext(context);
  Status restorable = CheckRestorable(**src);
  if (!restorable.ok()) {
    // A bad file is the caller's input, whatever SQLite called it.
    return Status::InvalidArgument(context + ": " + restorable.message(), restorable.detail());
  }
  Status copied = CopyDatabase(**src, *db_);
  if (!copied.ok()) return copied.WithContext(context);
  Status migrated = Migrate(*db_);
  if (!migrated.ok()) return migrated.WithContext("restored from " + source.string());
  return Status::Ok();
}

}  // namespace homeca::ca
