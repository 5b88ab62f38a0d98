// SqliteStore: opening, and the certificate, setting and audit writes.
// Reads are in sqlite_store_queries.cpp; integrity, backup and restore in
// sqlite_store_backup.cpp.
#include "ca/store/sqlite/sqlite_store.h"

#include <string_view>

#include "ca/store/sqlite/sqlite.h"
#include "ca/store/sqlite/sqlite_acme_records.h"
#include "ca/store/sqlite/store_migrations.h"

namespace homeca::ca {
namespace {

bool IsLowerHex(std::string_view text) {
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return !text.empty();
}

Status ValidateRecord(const CertificateRecord& record) {
  if (!IsLowerHex(record.serial_hex)) {
    return Status::InvalidArgument("certificate serial must be lower-case hex",
                                   "serial: " + record.serial_hex);
  }
  if (record.fingerprint_sha256.size() != 64 || !IsLowerHex(record.fingerprint_sha256)) {
    return Status::InvalidArgument("certificate fingerprint must be 64 lower-case hex digits");
  }
  if (record.der.empty()) return Status::InvalidArgument("certificate DER is empty");
  return Status::Ok();
}

bool IsAcceptedReason(RevocationReason reason) {
  switch (reason) {
    case RevocationReason::kUnspecified:
    case RevocationReason::kKeyCompromise:
    case RevocationReason::kAffiliationChanged:
    case RevocationReason::kSuperseded:
    case RevocationReason::kCessationOfOperation:
      return true;
  }
  return false;
}

Status InsertAudit(SqliteDatabase& db, const AuditEntry& entry) {
  return db.Execute("INSERT INTO audit_log (at, actor, action, detail) VALUES (?1, ?2, ?3, ?4)",
                    entry.at, entry.actor, entry.action, entry.detail);
}

Status InsertCertificate(SqliteDatabase& db, const CertificateRecord& record) {
  HOMECA_RETURN_IF_ERROR(db.Execute(
      "INSERT INTO certificates (serial_hex, subject_cn, not_before, not_after, requester, "
      "key_type, fingerprint_sha256, der, issued_at, status) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'valid')",
      record.serial_hex, record.subject_cn, record.not_before, record.not_after, record.requester,
      record.key_type, record.fingerprint_sha256, record.der, record.issued_at));
  const std::int64_t id = db.LastInsertRowId();
  Result<SqliteStatement> name_stmt = SqliteStatement::Prepare(
      db, "INSERT INTO certificate_names (certificate_id, position, name) VALUES (?1, ?2, ?3)");
  if (!name_stmt.ok()) return name_stmt.status();
  for (std::size_t i = 0; i < record.names.size(); ++i) {
    name_stmt->Reset();
    HOMECA_RETURN_IF_ERROR(name_stmt->Bind(1, id));
    HOMECA_RETURN_IF_ERROR(name_stmt->Bind(2, static_cast<std::int64_t>(i)));
    HOMECA_RETURN_IF_ERROR(name_stmt->Bind(3, record.names[i]));
    HOMECA_RETURN_IF_ERROR(name_stmt->Run());
  }
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::filesystem::path& path) {
  Result<std::unique_ptr<SqliteDatabase>> db =
      SqliteDatabase::Open(path, SqliteDatabase::Access::kReadWrite);
  if (!db.ok()) return db.status();
  Status migrated = Migrate(**db);
  if (!migrated.ok()) return migrated.WithContext(path.string());
  return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(*db)));
}

Result<std::unique_ptr<Store>> OpenStore(const std::filesystem::path& database) {
  Result<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(database);
  if (!store.ok()) return store.status();
  return std::unique_ptr<Store>(std::move(*store));
}

SqliteStore::SqliteStore(std::unique_ptr<SqliteDatabase> db)
    : db_(std::move(db)), acme_(MakeSqliteAcmeRecords(*db_, mu_)) {}

SqliteStore::~SqliteStore() = default;

Status SqliteStore::InsertEntryLocked(const IssuedEntry& entry, std::int64_t* id) {
  HOMECA_RETURN_IF_ERROR(ValidateRecord(*entry.record));
  // Checked inside the write transaction, so no other writer can slip in
  // between; the UNIQUE constraint stays as the last line of defence.
  Result<SqliteStatement> existing = SqliteStatement::PrepareBound(
      *db_, "SELECT 1 FROM certificates WHERE serial_hex = ?1", entry.record->serial_hex);
  if (!existing.ok()) return existing.status();
  Result<SqliteStatement::StepResult> found = existing->Step();
  if (!found.ok()) return found.status();
  if (*found == SqliteStatement::StepResult::kRow) {
    return Status::AlreadyExists("a certificate with serial " + entry.record->serial_hex +
                                 " is already stored");
  }
  existing->Reset();
  HOMECA_RETURN_IF_ERROR(InsertCertificate(*db_, *entry.record));
  *id = db_->LastInsertRowId();
  HOMECA_RETURN_IF_ERROR(LinkLineageLocked(entry, *id));
  HOMECA_RETURN_IF_ERROR(InsertAudit(*db_, *entry.audit));
  // After the certificate row: the pairing and the order refer to it by
  // serial.
  if (entry.acme_order.has_value()) HOMECA_RETURN_IF_ERROR(CompleteAcmeOrderLocked(entry));
  if (entry.pairing_id.has_value()) return MarkPairingPairedLocked(entry);
  return Status::Ok();
}

Status SqliteStore::CompleteAcmeOrderLocked(const IssuedEntry& entry) {
  const CertificateRecord& record = *entry.record;
  Result<SqliteStatement> stmt = SqliteStatement::PrepareBound(
      *db_,
      "UPDATE acme_orders SET status = 'valid', certificate_serial = ?1 "
      "WHERE id = ?2 AND status = 'ready' AND expires_at > ?3 RETURNING id",
      record.serial_hex, *entry.acme_order, record.issued_at);
  if (!stmt.ok()) return stmt.status();
  Result<SqliteStatement::StepResult> step = stmt->Step();
  if (!step.ok()) return step.status();
  if (*step != SqliteStatement::StepResult::kRow) {
    return Status::FailedPrecondition(
               "the ACME order is no longer ready (already finalized, given up or expired)")
        .WithReason(kAcmeOrderNotReady);
  }
  HOMECA_RETURN_IF_ERROR(stmt->Run());
  return InsertAudit(*db_, AuditEntry{0, record.issued_at, record.requester, "acme-issue",
                                      "ACME order " + std::to_string(*entry.acme_order) +
                                          ": certificate " + record.serial_hex});
}

std::vector<Result<std::int64_t>> SqliteStore::InsertIssuedBatch(
    const std::vector<IssuedEntry>& entries) {
  std::vector<std::int64_t> ids(entries.size(), 0);
  std::vector<GroupedWrite> writes;
  writes.reserve(entries.size());
  for (std::size_t i = 0; i < entries.size(); ++i) {
    writes.emplace_back(
        [this, &entries, &ids, i] { return InsertEntryLocked(entries[i], &ids[i]); });
  }
  std::vector<const GroupedWrite*> pointers;
  for (const GroupedWrite& w : writes) pointers.push_back(&w);
  std::vector<Status> statuses;
  {
    std::lock_guard<std::mutex> lock(mu_);
    statuses = RunGroupLocked(pointers);
  }
  std::vector<Result<std::int64_t>> results;
  results.reserve(entries.size());
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (statuses[i].ok()) {
      results.emplace_back(ids[i]);
    } else {
      results.emplace_back(statuses[i]);
    }
  }
  return results;
}

Result<std::int64_t> SqliteStore::InsertIssued(const CertificateRecord& record,
                                               const AuditEntry& audit,
                                               std::optional<std::int64_t> pairing_id,
                                               std::optional<std::int64_t> renews,
                                               std::optional<std::int64_t> acme_order) {
  const IssuedEntry entry{&record, &audit, pairing_id, renews, acme_order};
  std::int64_t id = 0;
  HOMECA_RETURN_IF_ERROR(GroupWrite([&] { return InsertEntryLocked(entry, &id); }));
  return id;
}

Status SqliteStore::Revoke(const std::string& serial_hex, const Revocation& revocation,
                           const AuditEntry& audit) {
  if (!IsAcceptedReason(revocation.reason)) {
    return Status::InvalidArgument("unsupported revocation reason " +
                                   std::to_string(static_cast<int>(revocation.reason)));
  }
  std::lock_guard<std::mutex> lock(mu_);
  SqliteTransaction txn(*db_);
  HOMECA_RETURN_IF_ERROR(txn.Begin());
  Result<SqliteStatement> lookup = SqliteStatement::PrepareBound(
      *db_, "SELECT id, status FROM certificates WHERE serial_hex = lower(?1)", serial_hex);
  if (!lookup.ok()) return lookup.status();
  Result<SqliteStatement::StepResult> found = lookup->Step();
  if (!found.ok()) return found.status();
  if (*found != SqliteStatement::StepResult::kRow) {
    return Status::NotFound("no certificate with serial " + serial_hex);
  }
  const std::int64_t id = lookup->ColumnInt64(0);
  const bool already_revoked = lookup->ColumnText(1) == "revoked";
  lookup->Reset();
  if (already_revoked) {
    return Status::AlreadyExists("certificate " + serial_hex + " is already revoked");
  }
  HOMECA_RETURN_IF_ERROR(
      db_->Execute("UPDATE certificates SET status = 'revoked' WHERE id = ?1", id));
  HOMECA_RETURN_IF_ERROR(db_->Execute(
      "INSERT INTO revocations (certificate_id, reason, revoked_at) VALUES (?1, ?2, ?3)", id,
      static_cast<std::int64_t>(revocation.reason), revocation.revoked_at));
  HOMECA_RETURN_IF_ERROR(InsertAudit(*db_, audit));
  return txn.Commit();
}

Result<std::int64_t> SqliteStore::NextCrlNumber() {
  std::lock_guard<std::mutex> lock(mu_);
  SqliteTransaction txn(*db_);
  HOMECA_RETURN_IF_ERROR(txn.Begin());
  Result<SqliteStatement> stmt = SqliteStatement::Prepare(
      *db_,
      "INSERT INTO counters (name, value) VALUES ('crl_number', 1) "
      "ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value");
  if (!stmt.ok()) return stmt.status();
  Result<SqliteStatement::StepResult> step = stmt->Step();
  if (!step.ok()) return step.status();
  if (*step != SqliteStatement::StepResult::kRow) {
    return Status::Store("cannot advance the CRL number", "no row returned");
  }
  const std::int64_t number = stmt->ColumnInt64(0);
  // COMMIT refuses while a statement is still running.
  HOMECA_RETURN_IF_ERROR(stmt->Run());
  HOMECA_RETURN_IF_ERROR(txn.Commit());
  return number;
}

Result<std::optional<std::string>> SqliteStore::GetSetting(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  Result<SqliteStatement> stmt =
      SqliteStatement::PrepareBound(*db_, "SELECT value FROM settings WHERE key = ?1", key);
  if (!stmt.ok()) return stmt.status();
  Result<SqliteStatement::StepResult> step = stmt->Step();
  if (!step.ok()) return step.status();
  if (*step != SqliteStatement::StepResult::kRow) return std::optional<std::string>();
  return std::optional<std::string>(stmt->ColumnText(0));
}

Status SqliteStore::SetSetting(const std::string& key, const std::string& value) {
  if (key.empty()) return Status::InvalidArgument("setting name is empty");
  std::lock_guard<std::mutex> lock(mu_);
  return db_->Execute(
      "INSERT INTO settings (key, value) VALUES (?1, ?2) "
      "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      key, value);
}

Status SqliteStore::AppendAudit(const AuditEntry& entry) {
  std::lock_guard<std::mutex> lock(mu_);
  return InsertAudit(*db_, entry);
}

int SqliteStore::SchemaVersion() {
  std::lock_guard<std::mutex> lock(mu_);
  Result<int> version = ReadSchemaVersion(*db_);
  return version.ok() ? *version : -1;
}

}  // namespace homeca::ca
