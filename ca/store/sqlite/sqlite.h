// RAII over the SQLite C API for the certificate store: a connection, a
// prepared statement and a transaction that rolls back unless committed.
//
// Every failure becomes a Status::Store whose message is safe to show a user
// and whose detail carries sqlite3_errmsg() for the log. Values are always
// bound to statements, never pasted into SQL text.
//
// Thread-safety: none. A SqliteDatabase is opened without SQLite's own
// per-connection mutex; its owner (SqliteStore) serializes every use of
// the connection and of its statements. Statements and transactions borrow
// the database and must not outlive it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "ca/base/encoding.h"
#include "ca/base/status.h"

typedef struct sqlite3 sqlite3;            // NOLINT: SQLite's own forward declaration
typedef struct sqlite3_stmt sqlite3_stmt;  // NOLINT

namespace homeca::ca {

class SqliteDatabase {
 public:
  enum class Access {
    // Creates the file (mode 0600) if missing; WAL, foreign keys,
    // synchronous=FULL.
    kReadWrite,
    // For inspecting a file we did not write (a backup to restore from).
    kReadOnly,
  };

  static Result<std::unique_ptr<SqliteDatabase>> Open(const std::filesystem::path& path,
                                                      Access access);
  ~SqliteDatabase();
  SqliteDatabase(const SqliteDatabase&) = delete;
  SqliteDatabase& operator=(const SqliteDatabase&) = delete;

  // Runs fixed SQL (possibly several statements) that takes no values.
  Status Exec(const char* sql);
  // Runs one statement with `args` bound to its parameters ?1, ?2, ...
  template <typename... Args>
  Status Execute(std::string_view sql, const Args&... args);
  // The first column of the first row of fixed SQL, e.g. "PRAGMA user_version".
  Result<std::int64_t> QueryInt64(const char* sql);
  Result<std::string> QueryText(const char* sql);

  std::int64_t LastInsertRowId() const;
  // A Store error with `message` for the user and sqlite3_errmsg() as detail.
  Status Error(std::string message) const;

  const std::filesystem::path& path() const { return path_; }
  sqlite3* handle() const { return db_; }

 private:
  friend class SqliteStatement;
  SqliteDatabase(sqlite3* db, std::filesystem::path path) : db_(db), path_(std::move(path)) {}
  // Statements not in use, by SQL text. Compiling SQL costs more than running
  // most of the store's queries, so a finished statement is reset and kept
  // for the next caller instead of being finalized.
  sqlite3_stmt* TakeIdleStatement(const std::string& sql);
  void ReturnIdleStatement(std::string sql, sqlite3_stmt* stmt);

  sqlite3* db_;
  std::filesystem::path path_;
  std::unordered_multimap<std::string, sqlite3_stmt*> idle_statements_;
};

class SqliteStatement {
 public:
  enum class StepResult { kRow, kDone };

  static Result<SqliteStatement> Prepare(SqliteDatabase& db, std::string_view sql);
  // Prepare, then `args` bound to parameters ?1, ?2, ... in order.
  template <typename... Args>
  static Result<SqliteStatement> PrepareBound(SqliteDatabase& db, std::string_view sql,
                                              const Args&... args);
  ~SqliteStatement();
  SqliteStatement(SqliteStatement&& other) noexcept;
  SqliteStatement& operator=(SqliteStatement&& other) noexcept;
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  // Parameter indexes start at 1, as in SQLite. Text and blobs are copied.
  Status Bind(int index, std::int64_t value);
  Status Bind(int index, std::string_view text);
  Status Bind(int index, const Bytes& blob);
  Status BindNull(int index);

  Result<StepResult> Step();
  // Steps a statement that returns no rows (or whose rows are not wanted).
  Status Run();
  // Makes the statement ready to run again and clears its bindings.
  void Reset();

  // Column indexes start at 0. Only valid after Step() returned kRow.
  bool ColumnIsNull(int column) const;
  std::int64_t ColumnInt64(int column) const;
  std::string ColumnText(int column) const;
  Bytes ColumnBlob(int column) const;

 private:
  SqliteStatement(SqliteDatabase* db, sqlite3_stmt* stmt, std::string sql)
      : db_(db), stmt_(stmt), sql_(std::move(sql)) {}
  Status BindResult(int rc, int index);
  // Hands the statement back to the database's idle set (or finalizes it).
  void Release();
  SqliteDatabase* db_;
  sqlite3_stmt* stmt_;
  std::string sql_;  // the key it is kept under while idle
};

class SqliteTransaction {
 public:
  enum class Mode {
    // Takes the write lock up front, so a writer never fails half-way with
    // SQLITE_BUSY on a lock upgrade that the busy timeout cannot resolve.
    kImmediate,
    // A read snapshot: several SELECTs see one consistent state.
    kDeferred,
  };

  enum class Durability {
    // COMMIT returns once the transaction is on disk (synchronous=FULL).
    kSynced,
    // COMMIT appends to the WAL without an fsync: the transaction becomes
    // durable with the next kSynced commit on this database (WAL frames are
    // synced in the order they were appended), and a power cut before that
    // loses it whole, never half. For records whose loss costs a client a
    // retry and nothing more (an ACME order before its certificate).
    kWithNextSync,
  };

  explicit SqliteTransaction(SqliteDatabase& db, Mode mode = Mode::kImmediate,
                             Durability durability = Durability::kSynced);
  // Rolls back unless Commit() succeeded.
  ~SqliteTransaction();
  SqliteTransaction(const SqliteTransaction&) = delete;
  SqliteTransaction& operator=(const SqliteTransaction&) = delete;

  Status Begin();
  Status Commit();

 private:
  // Back to synchronous=FULL after a kWithNextSync transaction ends.
  void RestoreSynced();

  SqliteDatabase& db_;
  Mode mode_;
  Durability durability_;
  bool active_ = false;
  bool relaxed_ = false;  // synchronous is NORMAL until RestoreSynced()
};

template <typename... Args>
Result<SqliteStatement> SqliteStatement::PrepareBound(SqliteDatabase& db, std::string_view sql,
                                                      const Args&... args) {
  Result<SqliteStatement> stmt = Prepare(db, sql);
  if (!stmt.ok()) return stmt;
  int index = 0;
  Status bound;
  ((bound = bound.ok() ? stmt->Bind(++index, args) : bound), ...);
  if (!bound.ok()) return bound;
  return stmt;
}

template <typename... Args>
Status SqliteDatabase::Execute(std::string_view sql, const Args&... args) {
  Result<SqliteStatement> stmt = SqliteStatement::PrepareBound(*this, sql, args...);
  if (!stmt.ok()) return stmt.status();
  return stmt->Run();
}

// Copies the whole of `source` into `destination` through SQLite's online
// backup API, in one step, so `destination` changes completely or not at all.
Status CopyDatabase(SqliteDatabase& source, SqliteDatabase& destination);

}  // namespace homeca::ca
