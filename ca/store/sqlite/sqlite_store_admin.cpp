// SqliteStore: what the web UI writes besides certificates and
// pairings: audited settings and API tokens (only their hashes).
#include "ca/store/sqlite/pairing_sql.h"
#include "ca/store/sqlite/sqlite.h"
#include "ca/store/sqlite/sqlite_store.h"

namespace homeca::ca {
namespace {

constexpr std::size_t kMaxLabelLength = 100;
constexpr std::size_t kTokenHashSize = 32;

constexpr char kSelectToken[] =
    "SELECT id, label, created_at, created_by, revoked_at FROM api_tokens";

ApiTokenRecord ReadToken(const SqliteStatement& row) {
  ApiTokenRecord token;
  token.id = row.ColumnInt64(0);
  token.label = row.ColumnText(1);
  token.created_at = row.ColumnInt64(2);
  token.created_by = row.ColumnText(3);
  if (!row.ColumnIsNull(4)) token.revoked_at = row.ColumnInt64(4);
  return token;
}

}  // namespace

Status SqliteStore::SetSettingAudited(const std::string& key, const std::string& value,
                                      const AuditEntry& audit) {
  if (key.empty()) return Status::InvalidArgument("setting name is empty");
  std::lock_guard<std::mutex> lock(mu_);
  SqliteTransaction txn(*db_);
  HOMECA_RETURN_IF_ERROR(txn.Begin());
  HOMECA_RETURN_IF_ERROR(
      db_->Execute("INSERT INTO settings (key, value) VALUES (?1, ?2) "
                   "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                   key, value));
  HOMECA_RETURN_IF_ERROR(
      pairing_sql::InsertAudit(*db_, audit.actor, audit.at, audit.action, audit.detail));
  return txn.Commit();
}

Result<std::int64_t> SqliteStore::CreateApiToken(const NewApiToken& token) {
  if (token.label.empty() || token.label.size() > kMaxLabelLength) {
    return Status::InvalidArgument("a token's description must be 1 to " +
                                   std::to_string(kMaxLabelLength) + " characters");
  }
  if (token.token_sha256.size() != kTokenHashSize) {
    return Status::InvalidArgument("a token hash must be 32 bytes");
  }
  std::lock_guard<std::mutex> lock(mu_);
  SqliteTransaction txn(*db_);
  HOMECA_RETURN_IF_ERROR(txn.Begin());
  HOMECA_RETURN_IF_ERROR(
      db_->Execute("INSERT INTO api_tokens (label, token_sha256, created_at, created_by) "
                   "VALUES (?1, ?2, ?3, ?4)",
                   token.label, token.token_sha256, token.created_at, token.created_by));
  const std::int64_t id = db_->LastInsertRowId();
  HOMECA_RETURN_IF_ERROR(pairing_sql::InsertAudit(
      *db_, token.created_by, token.created_at, "api-token-create",
      "API token " + std::to_string(id) + " (" + token.label + ") created"));
  HOMECA_RETURN_IF_ERROR(txn.Commit());
  return id;
}

Result<std::vector<ApiTokenRecord>> SqliteStore::ListApiTokens() {
  std::lock_guard<std::mutex> lock(mu_);
  Result<SqliteStatement> stmt =
      SqliteStatement::Prepare(*db_, std::string(kSelectToken) + " ORDER BY id DESC");
  if (!stmt.ok()) return stmt.status();
  std::vector<ApiTokenRecord> tokens;
  for (;;) {
    Result<SqliteStatement::StepResult> step = stmt->Step();
    if (!step.ok()) return step.status();
    if (*step == SqliteStatement::StepResult::kDone) return tokens;
    tokens.push_back(ReadToken(*stmt));
  }
}

Result<ApiTokenRecord> SqliteStore::FindActiveApiToken(const Bytes& token_sha256) {
  std::lock_guard<std::mutex> lock(mu_);
  Result<SqliteStatement> stmt = SqliteStatement::PrepareBound(
      *db_, std::string(kSelectToken) + " WHERE token_sha256 = ?1 AND revoked_at IS NULL",
      token_sha256);
  if (!stmt.ok()) return stmt.status();
  Result<SqliteStatement::StepResult> step = stmt->Step();
  if (!step.ok()) return step.status();
  if (*step != SqliteStatement::StepResult::kRow) return Status::NotFound("no such API token");
  return ReadToken(*stmt);
}

Status SqliteStore::RevokeApiToken(std::int64_t id, std::int64_t now, const std::string& actor) {
  std::lock_guard<std::mutex> lock(mu_);
  SqliteTransaction txn(*db_);
  HOMECA_RETURN_IF_ERROR(txn.Begin());
  std::string label;
  {
    Result<SqliteStatement> stmt = SqliteStatement::PrepareBound(
        *db_, "SELECT label, revoked_at FROM api_tokens WHERE id = ?1", id);
    if (!stmt.ok()) return stmt.status();
    Result<SqliteStatement::StepResult> step = stmt->Step();
    if (!step.ok()) return step.status();
    if (*step != SqliteStatement::StepResult::kRow) {
      return Status::NotFound("no API token " + std::to_string(id));
    }
    if (!stmt->ColumnIsNull(1)) {
      return Status::FailedPrecondition("API token " + std::to_string(id) + " is already revoked");
    }
    label = stmt->ColumnText(0);
  }
  HOMECA_RETURN_IF_ERROR(
      db_->Execute("UPDATE api_tokens SET revoked_at = ?1 WHERE id = ?2", now, id));
  HOMECA_RETURN_IF_ERROR(
      pairing_sql::InsertAudit(*db_, actor, now, "api-token-revoke",
                               "API token " + std::to_string(id) + " (" + label + ") revoked"));
  return txn.Commit();
}

}  // namespace homeca::ca
