// SqliteStore: renewal lineage (schema 5, ca/lineage_record.h). Each
// certificate joins a lineage when it is stored; a renewal moves the
// lineage's head forward only while the head is still the certificate it
// renews, inside the store's write transaction, so "has a successor" cannot
// race. Revoking a device revokes its whole lineage and ends it.
#include "ca/store/sqlite/pairing_sql.h"
#include "ca/store/sqlite/sqlite.h"
#include "ca/store/sqlite/sqlite_store.h"

namespace homeca::ca {
namespace {

struct LineageRow {
  std::int64_t id = 0;
  std::int64_t head_id = 0;
  std::optional<std::int64_t> ended_at;
};

// The lineage of certificate `certificate_id`; NotFound if the certificate
// is unknown or (a store written by hand) has no lineage.
Result<LineageRow> LineageOf(SqliteDatabase& db, std::int64_t certificate_id) {
  Result<SqliteStatement> stmt =
      SqliteStatement::PrepareBound(db,
                                    "SELECT l.id, l.head_id, l.ended_at FROM certificates AS c "
                                    "JOIN lineages AS l ON l.id = c.lineage_id WHERE c.id = ?1",
                                    certificate_id);
  if (!stmt.ok()) return stmt.status();
  Result<SqliteStatement::StepResult> step = stmt->Step();
  if (!step.ok()) return step.status();
  if (*step != SqliteStatement::StepResult::kRow) {
    return Status::NotFound("certificate " + std::to_string(certificate_id) +
                            " belongs to no lineage");
  }
  LineageRow row;
  row.id = stmt->ColumnInt64(0);
  row.head_id = stmt->ColumnInt64(1);
  if (!stmt->ColumnIsNull(2)) row.ended_at = stmt->ColumnInt64(2);
  return row;
}

}  // namespace

Status SqliteStore::LinkLineageLocked(const IssuedEntry& entry, std::int64_t id) {
  if (!entry.renews.has_value()) {
    HOMECA_RETURN_IF_ERROR(
        db_->Execute("UPDATE certificates SET lineage_id = ?1 WHERE id = ?1", id));
    return db_->Execute("INSERT INTO lineages (id, head_id) VALUES (?1, ?1)", id);
  }
  const std::int64_t predecessor = *entry.renews;
  Result<LineageRow> lineage = LineageOf(*db_, predecessor);
  if (!lineage.ok()) return lineage.status();
  // Checked and moved inside this write transaction: no other renewal can
  // move the head in between.
  if (lineage->ended_at.has_value()) {
    return Status::PermissionDenied("the device was revoked; its certificates do not renew");
  }
  if (lineage->head_id != predecessor) {
    return Status::PermissionDenied("the certificate was already renewed");
  }
  HOMECA_RETURN_IF_ERROR(
      db_->Execute("UPDATE certificates SET lineage_id = ?1, predecessor_id = ?2 WHERE id = ?3",
                   lineage->id, predecessor, id));
  return db_->Execute("UPDATE lineages SET head_id = ?1 WHERE id = ?2 AND head_id = ?3", id,
                      lineage->id, predecessor);
}

Result<LineageStanding> SqliteStore::GetLineageStanding(std::int64_t certificate_id,
                                                        std::int64_t since) {
  std::lock_guard<std::mutex> lock(mu_);
  SqliteTransaction snapshot(*db_, SqliteTransaction::Mode::kDeferred);
  HOMECA_RETURN_IF_ERROR(snapshot.Begin());
  Result<LineageRow> lineage = LineageOf(*db_, certificate_id);
  if (!lineage.ok()) return lineage.status();
  LineageStanding standing;
  standing.lineage_id = lineage->id;
  standing.head_id = lineage->head_id;
  standing.ended_at = lineage->ended_at;
  {
    Result<SqliteStatement> next = SqliteStatement::PrepareBound(
        *db_, "SELECT serial_hex FROM certificates WHERE predecessor_id = ?1", certificate_id);
    if (!next.ok()) return next.status();
    Result<SqliteStatement::StepResult> step = next->Step();
    if (!step.ok()) return step.status();
    if (*step == SqliteStatement::StepResult::kRow) standing.successor_serial = next->ColumnText(0);
  }
  {
    // Every certificate of the lineage but its first is a renewal.
    Result<SqliteStatement> recent = SqliteStatement::PrepareBound(
        *db_,
        "SELECT count(*), coalesce(min(issued_at), 0) FROM certificates "
        "WHERE lineage_id = ?1 AND issued_at > ?2 AND id <> ?1",
        lineage->id, since);
    if (!recent.ok()) return recent.status();
    Result<SqliteStatement::StepResult> step = recent->Step();
    if (!step.ok()) return step.status();
    standing.renewals_since = static_cast<int>(recent->ColumnInt64(0));
    standing.oldest_renewal_since = recent->ColumnInt64(1);
  }
  return standing;
}

Result<int> SqliteStore::RevokeDevice(std::int64_t pairing_id, const Revocation& revocation,
                                      const AuditEntry& audit) {
  std::lock_guard<std::mutex> lock(mu_);
  SqliteTransaction txn(*db_);
  HOMECA_RETURN_IF_ERROR(txn.Begin());
  Result<int> revoked = RevokeDeviceLocked(pairing_id, revocation, audit);
  if (!revoked.ok()) return revoked.status();
  HOMECA_RETURN_IF_ERROR(txn.Commit());
  return revoked;
}

Result<int> SqliteStore::RevokeDeviceLocked(std::int64_t pairing_id, const Revocation& revocation,
                                            const AuditEntry& audit) {
  std::int64_t first_id = 0;
  std::string label;
  {
    Result<SqliteStatement> stmt = SqliteStatement::PrepareBound(
        *db_,
        "SELECT c.id, p.slot, p.device_id FROM pairings AS p "
        "JOIN certificates AS c ON c.serial_hex = p.certificate_serial "
        "WHERE p.id = ?1 AND p.state = 'paired'",
        pairing_id);
    if (!stmt.ok()) return stmt.status();
    Result<SqliteStatement::StepResult> step = stmt->Step();
    if (!step.ok()) return step.status();
    if (*step != SqliteStatement::StepResult::kRow) {
      return Status::NotFound("no paired device " + std::to_string(pairing_id));
    }
    first_id = stmt->ColumnInt64(0);
    label = pairing_sql::Label(pairing_id, pairing_sql::ReadKey(*stmt, 1));
  }
  Result<LineageRow> lineage = LineageOf(*db_, first_id);
  if (!lineage.ok()) return lineage.status();
  if (lineage->ended_at.has_value()) {
    return Status::AlreadyExists("device " + std::to_string(pairing_id) + " is already revoked");
  }
  int revoked = 0;
  {
    Result<SqliteStatement> count = SqliteStatement::PrepareBound(
        *db_, "SELECT count(*) FROM certificates WHERE lineage_id = ?1 AND status = 'valid'",
        lineage->id);
    if (!count.ok()) return count.status();
    Result<SqliteStatement::StepResult> step = count->Step();
    if (!step.ok()) return step.status();
    revoked = static_cast<int>(count->ColumnInt64(0));
  }
  // Expired certificates are revoked too: harmless on the CRL (it lists only
  // unexpired ones) and the lineage then reads revoked end to end.
  HOMECA_RETURN_IF_ERROR(db_->Execute(
      "INSERT INTO revocations (certificate_id, reason, revoked_at) "
      "SELECT id, ?2, ?3 FROM certificates WHERE lineage_id = ?1 AND status = 'valid'",
      lineage->id, static_cast<std::int64_t>(revocation.reason), revocation.revoked_at));
  HOMECA_RETURN_IF_ERROR(db_->Execute(
      "UPDATE certificates SET status = 'revoked' WHERE lineage_id = ?1 AND status = 'valid'",
      lineage->id));
  HOMECA_RETURN_IF_ERROR(db_->Execute("UPDATE lineages SET ended_at = ?1 WHERE id = ?2",
                                      revocation.revoked_at, lineage->id));
  HOMECA_RETURN_IF_ERROR(
      pairing_sql::InsertAudit(*db_, audit.actor, audit.at, audit.action,
                               "device " + label + ": " + std::to_string(revoked) +
                                   " certificate(s) revoked, renewal ended, " + audit.detail));
  return revoked;
}

}  // namespace homeca::ca
