#include "ca/store/sqlite/sqlite.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <system_error>

namespace homeca::ca {
namespace {

constexpr int kBusyTimeoutMs = 5000;

std::string ErrorDetail(sqlite3* db) {
  return std::string(sqlite3_errmsg(db)) + " (code " +
         std::to_string(sqlite3_extended_errcode(db)) + ")";
}

}  // namespace

Result<std::unique_ptr<SqliteDatabase>> SqliteDatabase::Open(const std::filesystem::path& path,
                                                             Access access) {
  // Debian builds SQLite with URI filenames on; an absolute path can never be
  // read as "file:...?mode=..." and so always names a plain file.
  std::error_code ec;
  const std::filesystem::path abs_path = std::filesystem::absolute(path, ec);
  if (ec) return Status::Io("cannot resolve the path " + path.string(), ec.message());

  int flags = SQLITE_OPEN_NOMUTEX;
  if (access == Access::kReadWrite) {
    // Created here rather than by SQLite so the file is 0600 from the start;
    // SQLite gives the -wal and -shm files the mode of the database file.
    int fd = ::open(abs_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
      return Status::Io("cannot open the database " + path.string() + ": " + std::strerror(errno));
    }
    ::close(fd);
    flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  } else {
    if (!std::filesystem::exists(abs_path, ec)) {
      return Status::NotFound("no such database: " + path.string());
    }
    flags |= SQLITE_OPEN_READONLY;
  }

  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(abs_path.c_str(), &raw, flags, nullptr);
  if (raw == nullptr) {
    return Status::Store("cannot open the database " + path.string(), "no memory");
  }
  // Owns the handle from here on, including when the open itself failed.
  std::unique_ptr<SqliteDatabase> db(new SqliteDatabase(raw, abs_path));
  if (rc != SQLITE_OK) return db->Error("cannot open the database " + path.string());

  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, kBusyTimeoutMs);
  // Ordinary SQL must not be able to corrupt the file (writable_schema and
  // the like), and a restored file's schema must not call functions.
  sqlite3_db_config(raw, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
  sqlite3_db_config(raw, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);

  if (access == Access::kReadWrite) {
    Result<std::string> mode = db->QueryText("PRAGMA journal_mode=WAL");
    if (!mode.ok()) return mode.status().WithContext(path.string());
    if (*mode != "wal") {
      return Status::Store("cannot use write-ahead logging for " + path.string(),
                           "journal_mode is " + *mode);
    }
    // FULL: an issuance is on disk before the certificate leaves the CA.
    // secure_delete: what a row loses (a spent pairing's w0 and L, an old
    // password hash) is zeroed, not left in free space for backups to carry.
    // Debian's SQLite defaults to it; other builds do not.
    HOMECA_RETURN_IF_ERROR(
        db->Exec("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON;"));
  }
  return db;
}

namespace {
// Enough for every distinct query the store makes; past it, statements are
// finalized as before rather than piling up.
constexpr std::size_t kMaxIdleStatements = 128;
}  // namespace

SqliteDatabase::~SqliteDatabase() {
  for (auto& [sql, stmt] : idle_statements_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

sqlite3_stmt* SqliteDatabase::TakeIdleStatement(const std::string& sql) {
  auto it = idle_statements_.find(sql);
  if (it == idle_statements_.end()) return nullptr;
  sqlite3_stmt* stmt = it->second;
  idle_statements_.erase(it);
  return stmt;
}

void SqliteDatabase::ReturnIdleStatement(std::string sql, sqlite3_stmt* stmt) {
  if (idle_statements_.size() >= kMaxIdleStatements) {
    sqlite3_finalize(stmt);
    return;
  }
  // sqlite3_reset repeats the last step's error, which Step() already reported.
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  idle_statements_.emplace(std::move(sql), stmt);
}

Status SqliteDatabase::Exec(const char* sql) {
  char* errmsg = nullptr;
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &errmsg);
  if (rc == SQLITE_OK) return Status::Ok();
  std::string detail = errmsg != nullptr ? errmsg : sqlite3_errstr(rc);
  sqlite3_free(errmsg);
  return Status::Store("certificate store query failed",
                       detail + " (code " + std::to_string(rc) + ")");
}

Result<std::int64_t> SqliteDatabase::QueryInt64(const char* sql) {
  Result<SqliteStatement> stmt = SqliteStatement::Prepare(*this, sql);
  if (!stmt.ok()) return stmt.status();
  Result<SqliteStatement::StepResult> step = stmt->Step();
  if (!step.ok()) return step.status();
  if (*step != SqliteStatement::StepResult::kRow) {
    return Status::Store("certificate store query returned nothing", sql);
  }
  return stmt->ColumnInt64(0);
}

Result<std::string> SqliteDatabase::QueryText(const char* sql) {
  Result<SqliteStatement> stmt = SqliteStatement::Prepare(*this, sql);
  if (!stmt.ok()) return stmt.status();
  Result<SqliteStatement::StepResult> step = stmt->Step();
  if (!step.ok()) return step.status();
  if (*step != SqliteStatement::StepResult::kRow) {
    return Status::Store("certificate store query returned nothing", sql);
  }
  return stmt->ColumnText(0);
}

std::int64_t SqliteDatabase::LastInsertRowId() const { return sqlite3_last_insert_rowid(db_); }

Status SqliteDatabase::Error(std::string message) const {
  return Status::Store(std::move(message), ErrorDetail(db_));
}

Result<SqliteStatement> SqliteStatement::Prepare(SqliteDatabase& db, std::string_view sql) {
  std::string key(sql);
  if (sqlite3_stmt* idle = db.TakeIdleStatement(key)) {
    return SqliteStatement(&db, idle, std::move(key));
  }
  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  int rc = sqlite3_prepare_v3(db.handle(), sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
  SqliteStatement owned(&db, stmt, std::move(key));
  if (rc != SQLITE_OK) {
    return Status::Store("cannot prepare a certificate store query",
                         ErrorDetail(db.handle()) + " in: " + std::string(sql));
  }
  // One statement per Prepare: anything after it would be silently ignored.
  std::string_view rest(tail, static_cast<std::size_t>(sql.data() + sql.size() - tail));
  if (stmt == nullptr || rest.find_first_not_of(" \t\r\n;") != std::string_view::npos) {
    owned.sql_.clear();  // never hand this one out again
    return Status::Internal("not exactly one SQL statement", std::string(sql));
  }
  return owned;
}

SqliteStatement::~SqliteStatement() { Release(); }

void SqliteStatement::Release() {
  if (stmt_ == nullptr) return;
  // A statement that failed to compile completely (see Prepare) is not kept.
  if (db_ != nullptr && !sql_.empty()) {
    db_->ReturnIdleStatement(std::move(sql_), std::exchange(stmt_, nullptr));
  } else {
    sqlite3_finalize(std::exchange(stmt_, nullptr));
  }
}

SqliteStatement::SqliteStatement(SqliteStatement&& other) noexcept
    : db_(other.db_), stmt_(std::exchange(other.stmt_, nullptr)), sql_(std::move(other.sql_)) {}

SqliteStatement& SqliteStatement::operator=(SqliteStatement&& other) noexcept {
  if (this != &other) {
    Release();
    db_ = other.db_;
    stmt_ = std::exchange(other.stmt_, nullptr);
    sql_ = std::move(other.sql_);
  }
  return *this;
}

Status SqliteStatement::BindResult(int rc, int index) {
  if (rc == SQLITE_OK) return Status::Ok();
  return db_->Error("cannot bind parameter " + std::to_string(index) +
                    " of a certificate store query");
}

Status SqliteStatement::Bind(int index, std::int64_t value) {
  return BindResult(sqlite3_bind_int64(stmt_, index, value), index);
}

Status SqliteStatement::Bind(int index, std::string_view text) {
  return BindResult(
      sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8),
      index);
}

Status SqliteStatement::Bind(int index, const Bytes& blob) {
  // A null pointer would bind NULL rather than an empty blob.
  static const std::uint8_t kEmpty = 0;
  const void* data = blob.empty() ? &kEmpty : blob.data();
  return BindResult(sqlite3_bind_blob64(stmt_, index, data, blob.size(), SQLITE_TRANSIENT), index);
}

Status SqliteStatement::BindNull(int index) {
  return BindResult(sqlite3_bind_null(stmt_, index), index);
}

Result<SqliteStatement::StepResult> SqliteStatement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return StepResult::kRow;
  if (rc == SQLITE_DONE) return StepResult::kDone;
  return db_->Error("certificate store query failed");
}

Status SqliteStatement::Run() {
  for (;;) {
    Result<StepResult> step = Step();
    if (!step.ok()) return step.status();
    if (*step == StepResult::kDone) return Status::Ok();
  }
}

void SqliteStatement::Reset() {
  // sqlite3_reset repeats the last step's error, which Step() already reported.
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

bool SqliteStatement::ColumnIsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::int64_t SqliteStatement::ColumnInt64(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

std::string SqliteStatement::ColumnText(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return {};
  // Length after the text call, as SQLite documents: the call may convert.
  int len = sqlite3_column_bytes(stmt_, column);
  return std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(len));
}

Bytes SqliteStatement::ColumnBlob(int column) const {
  const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_, column));
  int len = sqlite3_column_bytes(stmt_, column);
  if (data == nullptr || len <= 0) return {};
  return Bytes(data, data + len);
}

SqliteTransaction::SqliteTransaction(SqliteDatabase& db, Mode mode, Durability durability)
    : db_(db), mode_(mode), durability_(durability) {}

SqliteTransaction::~SqliteTransaction() {
  // SQLite may already have rolled back on its own (e.g. after an I/O error).
  if (active_ && sqlite3_get_autocommit(db_.handle()) == 0) {
    sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
  }
  RestoreSynced();
}

Status SqliteTransaction::Begin() {
  // SQLite refuses to change the safety level inside a transaction, so it is
  // lowered before BEGIN and raised again as soon as the transaction ends.
  if (durability_ == Durability::kWithNextSync) {
    HOMECA_RETURN_IF_ERROR(db_.Exec("PRAGMA synchronous=NORMAL"));
    relaxed_ = true;
  }
  Status begun = db_.Execute(mode_ == Mode::kImmediate ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED");
  if (!begun.ok()) {
    RestoreSynced();
    return begun;
  }
  active_ = true;
  return Status::Ok();
}

Status SqliteTransaction::Commit() {
  HOMECA_RETURN_IF_ERROR(db_.Execute("COMMIT"));
  active_ = false;
  RestoreSynced();
  return Status::Ok();
}

void SqliteTransaction::RestoreSynced() {
  if (!relaxed_) return;
  // Cannot fail outside a transaction short of a broken connection, and
  // every other write on this connection assumes FULL: better to stop.
  if (sqlite3_exec(db_.handle(), "PRAGMA synchronous=FULL", nullptr, nullptr, nullptr) !=
      SQLITE_OK) {
    std::abort();
  }
  relaxed_ = false;
}

Status CopyDatabase(SqliteDatabase& source, SqliteDatabase& destination) {
  sqlite3_backup* backup =
      sqlite3_backup_init(destination.handle(), "main", source.handle(), "main");
  if (backup == nullptr) return destination.Error("cannot start copying the database");
  // -1: every page in one step, so the destination is written in a single
  // transaction and a failure leaves it as it was.
  int step_rc = sqlite3_backup_step(backup, -1);
  int finish_rc = sqlite3_backup_finish(backup);
  if (step_rc != SQLITE_DONE) {
    return Status::Store("cannot copy the database", std::string(sqlite3_errstr(step_rc)) +
                                                         " (code " + std::to_string(step_rc) + ")");
  }
  if (finish_rc != SQLITE_OK) return destination.Error("cannot copy the database");
  return Status::Ok();
}

}  // namespace homeca::ca
