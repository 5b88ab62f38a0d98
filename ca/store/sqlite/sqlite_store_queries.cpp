// SqliteStore: the read side (lookups, filtered lists, the CRL's
// revoked set and the audit log).
#include <algorithm>
#include <string>
#include <string_view>

#include "ca/store/sqlite/sqlite.h"
#include "ca/store/sqlite/sqlite_store.h"

namespace homeca::ca {
namespace {

constexpr int kMaxLimit = 1000;
// Longer than any DNS name (253) or CN (64): nothing could match it.
constexpr std::size_t kMaxSearchLength = 256;

constexpr char kSelectRecord[] =
    "SELECT c.id, c.serial_hex, c.subject_cn, c.not_before, c.not_after, c.requester, "
    "c.key_type, c.fingerprint_sha256, c.der, c.issued_at, r.reason, r.revoked_at "
    "FROM certificates AS c LEFT JOIN revocations AS r ON r.certificate_id = c.id";

constexpr char kSelectNames[] =
    "SELECT name FROM certificate_names WHERE certificate_id = ?1 ORDER BY position";

// Filter parameters have fixed numbers so one WHERE clause serves List and
// Count: ?1 is `now`, ?2 the LIKE pattern, ?3 and ?4 the page.
constexpr int kNowParam = 1;
constexpr int kPatternParam = 2;

CertificateRecord ReadRecord(const SqliteStatement& row) {
  CertificateRecord record;
  record.id = row.ColumnInt64(0);
  record.serial_hex = row.ColumnText(1);
  record.subject_cn = row.ColumnText(2);
  record.not_before = row.ColumnInt64(3);
  record.not_after = row.ColumnInt64(4);
  record.requester = row.ColumnText(5);
  record.key_type = row.ColumnText(6);
  record.fingerprint_sha256 = row.ColumnText(7);
  record.der = row.ColumnBlob(8);
  record.issued_at = row.ColumnInt64(9);
  if (!row.ColumnIsNull(10)) {
    record.revocation =
        Revocation{static_cast<RevocationReason>(row.ColumnInt64(10)), row.ColumnInt64(11)};
  }
  return record;
}

Status ReadNames(SqliteStatement& names_stmt, CertificateRecord& record) {
  names_stmt.Reset();
  HOMECA_RETURN_IF_ERROR(names_stmt.Bind(1, record.id));
  for (;;) {
    Result<SqliteStatement::StepResult> step = names_stmt.Step();
    if (!step.ok()) return step.status();
    if (*step == SqliteStatement::StepResult::kDone) return Status::Ok();
    record.names.push_back(names_stmt.ColumnText(0));
  }
}

// LIKE treats % and _ as wildcards; user text must match only itself.
std::string LikeContainsPattern(std::string_view text) {
  std::string pattern = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') pattern.push_back('\\');
    pattern.push_back(c);
  }
  pattern.push_back('%');
  return pattern;
}

Result<std::string> WhereClause(const CertificateFilter& filter) {
  if (filter.name_contains.size() > kMaxSearchLength) {
    return Status::InvalidArgument("search text is longer than " +
                                   std::to_string(kMaxSearchLength) + " characters");
  }
  std::string where;
  auto add = [&where](std::string_view condition) {
    where += where.empty() ? " WHERE " : " AND ";
    where += condition;
  };
  if (filter.state.has_value()) {
    switch (*filter.state) {
      case CertificateState::kValid:
        add("c.status = 'valid' AND c.not_after > ?1");
        break;
      case CertificateState::kExpired:
        add("c.status = 'valid' AND c.not_after <= ?1");
        break;
      case CertificateState::kRevoked:
        add("c.status = 'revoked'");
        break;
    }
  }
  if (!filter.name_contains.empty()) {
    // Each side scans a narrow covering index (schema 4), never the wide
    // certificates rows.
    add("c.id IN (SELECT id FROM certificates WHERE subject_cn LIKE ?2 ESCAPE '\\' "
        "UNION SELECT certificate_id FROM certificate_names WHERE name LIKE ?2 ESCAPE '\\')");
  }
  return where;
}

Status BindFilter(SqliteStatement& stmt, const CertificateFilter& filter) {
  if (filter.state.has_value() && *filter.state != CertificateState::kRevoked) {
    HOMECA_RETURN_IF_ERROR(stmt.Bind(kNowParam, filter.now));
  }
  if (!filter.name_contains.empty()) {
    HOMECA_RETURN_IF_ERROR(stmt.Bind(kPatternParam, LikeContainsPattern(filter.name_contains)));
  }
  return Status::Ok();
}

Status CheckOffset(int offset) {
  if (offset < 0) return Status::InvalidArgument("page offset must not be negative");
  return Status::Ok();
}

std::int64_t ClampLimit(int limit) { return std::clamp(limit, 1, kMaxLimit); }

}  // namespace

Result<CertificateRecord> SqliteStore::FindBySerial(const std::string& serial_hex) {
  std::lock_guard<std::mutex> lock(mu_);
  SqliteTransaction snapshot(*db_, SqliteTransaction::Mode::kDeferred);
  HOMECA_RETURN_IF_ERROR(snapshot.Begin());
  // Hex is case-insensitive to people; the store keeps it lower-case.
  Result<SqliteStatement> stmt = SqliteStatement::PrepareBound(
      *db_, std::string(kSelectRecord) + " WHERE c.serial_hex = lower(?1)", serial_hex);
  if (!stmt.ok()) return stmt.status();
  Result<SqliteStatement::StepResult> step = stmt->Step();
  if (!step.ok()) return step.status();
  if (*step != SqliteStatement::StepResult::kRow) {
    return Status::NotFound("no certificate with serial " + serial_hex);
  }
  CertificateRecord record = ReadRecord(*stmt);
  Result<SqliteStatement> names = SqliteStatement::Prepare(*db_, kSelectNames);
  if (!names.ok()) return names.status();
  HOMECA_RETURN_IF_ERROR(ReadNames(*names, record));
  return record;
}

Result<std::vector<CertificateRecord>> SqliteStore::List(const CertificateFilter& filter) {
  HOMECA_RETURN_IF_ERROR(CheckOffset(filter.offset));
  Result<std::string> where = WhereClause(filter);
  if (!where.ok()) return where.status();
  std::lock_guard<std::mutex> lock(mu_);
  // One snapshot for the page and its names, and one read lock instead of
  // one per statement.
  SqliteTransaction snapshot(*db_, SqliteTransaction::Mode::kDeferred);
  HOMECA_RETURN_IF_ERROR(snapshot.Begin());
  Result<SqliteStatement> stmt = SqliteStatement::Prepare(
      *db_, std::string(kSelectRecord) + *where +
                " ORDER BY c.issued_at DESC, c.id DESC LIMIT ?3 OFFSET ?4");
  if (!stmt.ok()) return stmt.status();
  HOMECA_RETURN_IF_ERROR(BindFilter(*stmt, filter));
  HOMECA_RETURN_IF_ERROR(stmt->Bind(3, ClampLimit(filter.limit)));
  HOMECA_RETURN_IF_ERROR(stmt->Bind(4, static_cast<std::int64_t>(filter.offset)));
  Result<SqliteStatement> names = SqliteStatement::Prepare(*db_, kSelectNames);
  if (!names.ok()) return names.status();

  std::vector<CertificateRecord> records;
  for (;;) {
    Result<SqliteStatement::StepResult> step = stmt->Step();
    if (!step.ok()) return step.status();
    if (*step == SqliteStatement::StepResult::kDone) break;
    records.push_back(ReadRecord(*stmt));
    HOMECA_RETURN_IF_ERROR(ReadNames(*names, records.back()));
  }
  return records;
}

Result<std::int64_t> SqliteStore::Count(const CertificateFilter& filter) {
  Result<std::string> where = WhereClause(filter);
  if (!where.ok()) return where.status();
  std::lock_guard<std::mutex> lock(mu_);
  Result<SqliteStatement> stmt =
      SqliteStatement::Prepare(*db_, "SELECT count(*) FROM certificates AS c" + *where);
  if (!stmt.ok()) return stmt.status();
  HOMECA_RETURN_IF_ERROR(BindFilter(*stmt, filter));
  Result<SqliteStatement::StepResult> step = stmt->Step();
  if (!step.ok()) return step.status();
  return stmt->ColumnInt64(0);
}

Result<std::vector<RevokedSerial>> SqliteStore::ListRevokedUnexpired(std::int64_t now) {
  std::lock_guard<std::mutex> lock(mu_);
  Result<SqliteStatement> stmt = SqliteStatement::PrepareBound(
      *db_,
      "SELECT c.serial_hex, r.reason, r.revoked_at FROM certificates AS c "
      "JOIN revocations AS r ON r.certificate_id = c.id "
      "WHERE c.status = 'revoked' AND c.not_after > ?1 ORDER BY c.id",
      now);
  if (!stmt.ok()) return stmt.status();
  std::vector<RevokedSerial> revoked;
  for (;;) {
    Result<SqliteStatement::StepResult> step = stmt->Step();
    if (!step.ok()) return step.status();
    if (*step == SqliteStatement::StepResult::kDone) break;
    revoked.push_back(RevokedSerial{
        stmt->ColumnText(0),
        Revocation{static_cast<RevocationReason>(stmt->ColumnInt64(1)), stmt->ColumnInt64(2)}});
  }
  return revoked;
}

Result<std::vector<AuditEntry>> SqliteStore::ListAudit(int limit, int offset) {
  HOMECA_RETURN_IF_ERROR(CheckOffset(offset));
  std::lock_guard<std::mutex> lock(mu_);
  Result<SqliteStatement> stmt = SqliteStatement::PrepareBound(
      *db_,
      "SELECT id, at, actor, action, detail FROM audit_log ORDER BY id DESC LIMIT ?1 OFFSET ?2",
      ClampLimit(limit), static_cast<std::int64_t>(offset));
  if (!stmt.ok()) return stmt.status();
  std::vector<AuditEntry> entries;
  for (;;) {
    Result<SqliteStatement::StepResult> step = stmt->Step();
    if (!step.ok()) return step.status();
    if (*step == SqliteStatement::StepResult::kDone) break;
    entries.push_back(AuditEntry{stmt->ColumnInt64(0), stmt->ColumnInt64(1), stmt->ColumnText(2),
                                 stmt->ColumnText(3), stmt->ColumnText(4)});
  }
  return entries;
}

}  // namespace homeca::ca
