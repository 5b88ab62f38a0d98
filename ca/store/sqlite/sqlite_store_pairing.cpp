// SqliteStore: changing pairings (ca/pairing_record.h). Every state
// change and its audit entry share one transaction; w0 and L are erased from a
// row in the same statement that takes it out of 'armed'. Reads are in
// sqlite_store_pairing_queries.cpp.
#include <algorithm>
#include <string>

#include "ca/store/sqlite/pairing_sql.h"
#include "ca/store/sqlite/sqlite_store.h"
#include "ca/x509/certificate.h"

namespace homeca::ca {
namespace {

using pairing_sql::BindKey;
using pairing_sql::ExpireArmed;
using pairing_sql::InsertAudit;
using pairing_sql::JoinNames;
using pairing_sql::KeyCondition;
using pairing_sql::kSlotCount;
using pairing_sql::Label;
using pairing_sql::ParseState;
using pairing_sql::ReadKey;

constexpr std::size_t kW0Size = 32;
constexpr std::size_t kPointSize = 65;

Status ValidateNewPairing(const NewPairing& p) {
  if (p.key.slot.has_value() == !p.key.device_id.empty()) {
    return Status::InvalidArgument("a pairing needs either a slot or a device id");
  }
  if (p.key.slot && (*p.key.slot < 0 || *p.key.slot >= kSlotCount)) {
    return Status::InvalidArgument("pairing slot must be between 0 and 99");
  }
  if (p.key.device_id.size() > 64) {
    return Status::InvalidArgument("device id is longer than 64 characters");
  }
  if (p.names.empty()) return Status::InvalidArgument("a pairing needs at least one name");
  if (p.salt.size() < 16 || p.salt.size() > 32 || p.iterations < 1000 || p.iterations > 100000) {
    return Status::InvalidArgument("pairing salt or iteration count out of range");
  }
  if (p.kdf.size() > kMaxKdfStringSize ||
      std::any_of(p.kdf.begin(), p.kdf.end(), [](char c) { return c <= 0x20 || c > 0x7e; })) {
    return Status::InvalidArgument("pairing KDF parameters are not a short printable string");
  }
  if (p.verifier.w0.size() != kW0Size || p.verifier.l.size() != kPointSize) {
    return Status::InvalidArgument("pairing verifier record has the wrong size");
  }
  if (p.expires_at <= p.created_at) {
    return Status::InvalidArgument("a pairing must expire after it is created");
  }
  if (p.created_by.empty()) return Status::InvalidArgument("a pairing needs its creator");
  return Status::Ok();
}

// Why an UPDATE ... WHERE id = ?1 AND <condition> changed no row: NotFound
// for an unknown id, else FailedPrecondition with `why(state)`.
template <typename Why>
Status NotUpdated(SqliteDatabase& db, std::int64_t id, Why why) {
  Result<SqliteStatement> current =
      SqliteStatement::PrepareBound(db, "SELECT state FROM pairings WHERE id = ?1", id);
  if (!current.ok()) return current.status();
  Result<SqliteStatement::StepResult> row = current->Step();
  if (!row.ok()) return row.status();
  if (*row != SqliteStatement::StepResult::kRow) {
    return Status::NotFound("no pairing with id " + std::to_string(id));
  }
  return Status::FailedPrecondition("pairing " + std::to_string(id) + " " +
                                    why(current->ColumnText(0)));
}

// A name of `p` that another pairing holds (PairingStore::CreatePairing):
// one still armed (the expired ones were just marked), or one paired whose
// lineage has not ended (a device not revoked), other than the device `p`
// replaces. A pairing has a name or three, and pairing_names has no index on
// the name: a household's few thousand rows are one short scan per name.
Status CheckNamesFree(SqliteDatabase& db, const NewPairing& p) {
  for (const std::string& name : p.names) {
    Result<SqliteStatement> held = SqliteStatement::PrepareBound(
        db,
        "SELECT p.id, p.state FROM pairing_names AS n JOIN pairings AS p ON p.id = n.pairing_id "
        "WHERE n.name = ?1 AND p.id <> ?2 AND (p.state = 'armed' OR (p.state = 'paired' AND "
        "NOT EXISTS (SELECT 1 FROM certificates AS c JOIN lineages AS l ON l.id = c.lineage_id "
        "WHERE c.serial_hex = p.certificate_serial AND l.ended_at IS NOT NULL))) LIMIT 1",
        name, p.replaces);
    if (!held.ok()) return held.status();
    Result<SqliteStatement::StepResult> found = held->Step();
    if (!found.ok()) return found.status();
    if (*found != SqliteStatement::StepResult::kRow) continue;
    const std::string holder = (held->ColumnText(1) == "armed" ? "pairing " : "device ") +
                               std::to_string(held->ColumnInt64(0));
    return Status::AlreadyExists(name + " is held by " + holder).WithReason(kPairingNameHeld);
  }
  return Status::Ok();
}

}  // namespace

Result<std::int64_t> SqliteStore::CreatePairing(const NewPairing& p) {
  HOMECA_RETURN_IF_ERROR(ValidateNewPairing(p));
  std::lock_guard<std::mutex> lock(mu_);
  SqliteTransaction txn(*db_);
  HOMECA_RETURN_IF_ERROR(txn.Begin());
  // An expired pairing still armed would otherwise hold its slot forever.
  Result<int> expired = ExpireArmed(*db_, p.created_at, p.created_by);
  if (!expired.ok()) return expired.status();
  Result<SqliteStatement> existing = SqliteStatement::Prepare(
      *db_, "SELECT id FROM pairings WHERE state = 'armed' AND " + KeyCondition(p.key, 1));
  if (!existing.ok()) return existing.status();
  HOMECA_RETURN_IF_ERROR(BindKey(*existing, 1, p.key));
  Result<SqliteStatement::StepResult> found = existing->Step();
  if (!found.ok()) return found.status();
  if (*found == SqliteStatement::StepResult::kRow) {
    return Status::AlreadyExists(p.key.Describe() + " already has a pairing waiting (pairing " +
                                 std::to_string(existing->ColumnInt64(0)) + ")");
  }
  existing->Reset();
  HOMECA_RETURN_IF_ERROR(CheckNamesFree(*db_, p));

  Result<SqliteStatement> insert = SqliteStatement::Prepare(
      *db_,
      "INSERT INTO pairings (slot, device_id, salt, iterations, w0, l, created_at, expires_at, "
      "created_by, kdf, replaces) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
  if (!insert.ok()) return insert.status();
  if (p.key.slot) {
    HOMECA_RETURN_IF_ERROR(insert->Bind(1, static_cast<std::int64_t>(*p.key.slot)));
    HOMECA_RETURN_IF_ERROR(insert->BindNull(2));
  } else {
    HOMECA_RETURN_IF_ERROR(insert->BindNull(1));
    HOMECA_RETURN_IF_ERROR(insert->Bind(2, p.key.device_id));
  }
  HOMECA_RETURN_IF_ERROR(insert->Bind(3, p.salt));
  HOMECA_RETURN_IF_ERROR(insert->Bind(4, static_cast<std::int64_t>(p.iterations)));
  HOMECA_RETURN_IF_ERROR(insert->Bind(5, p.verifier.w0));
  HOMECA_RETURN_IF_ERROR(insert->Bind(6, p.verifier.l));
  HOMECA_RETURN_IF_ERROR(insert->Bind(7, p.created_at));
  HOMECA_RETURN_IF_ERROR(insert->Bind(8, p.expires_at));
  HOMECA_RETURN_IF_ERROR(insert->Bind(9, p.created_by));
  HOMECA_RETURN_IF_ERROR(p.kdf.empty() ? insert->BindNull(10) : insert->Bind(10, p.kdf));
  HOMECA_RETURN_IF_ERROR(p.replaces > 0 ? insert->Bind(11, p.replaces) : insert->BindNull(11));
  HOMECA_RETURN_IF_ERROR(insert->Run());
  const std::int64_t id = db_->LastInsertRowId();
  for (std::size_t i = 0; i < p.names.size(); ++i) {
    HOMECA_RETURN_IF_ERROR(
        db_->Execute("INSERT INTO pairing_names (pairing_id, position, name) VALUES (?1, ?2, ?3)",
                     id, static_cast<std::int64_t>(i), p.names[i]));
  }
  HOMECA_RETURN_IF_ERROR(InsertAudit(
      *db_, p.created_by, p.created_at, p.key.slot ? "pairing-created" : "pairing-armed",
      Label(id, p.key) + " for " + JoinNames(p.names) +
          (p.replaces > 0 ? "; replaces device " + std::to_string(p.replaces) : std::string()) +
          "; expires " + FormatTimeIso(p.expires_at)));
  HOMECA_RETURN_IF_ERROR(txn.Commit());
  return id;
}

Result<PairingAttempt> SqliteStore::RecordPairingAttempt(std::int64_t id, int max_attempts,
                                                         std::int64_t now,
                                                         const std::string& actor) {
  if (max_attempts < 1) return Status::InvalidArgument("max_attempts must be at least 1");
  PairingAttempt attempt;
  HOMECA_RETURN_IF_ERROR(
      GroupWrite([&] { return CountAttemptLocked(id, max_attempts, now, actor, &attempt); }));
  return attempt;
}

Status SqliteStore::CountAttemptLocked(std::int64_t id, int max_attempts, std::int64_t now,
                                       const std::string& actor, PairingAttempt* attempt) {
  Result<SqliteStatement> stmt = SqliteStatement::PrepareBound(
      *db_, "SELECT state, attempts, expires_at, slot, device_id FROM pairings WHERE id = ?1", id);
  if (!stmt.ok()) return stmt.status();
  Result<SqliteStatement::StepResult> step = stmt->Step();
  if (!step.ok()) return step.status();
  if (*step != SqliteStatement::StepResult::kRow) {
    return Status::NotFound("no pairing with id " + std::to_string(id));
  }
  const PairingState state = ParseState(stmt->ColumnText(0));
  const int attempts = static_cast<int>(stmt->ColumnInt64(1));
  const std::int64_t expires_at = stmt->ColumnInt64(2);
  const std::string label = Label(id, ReadKey(*stmt, 3));
  stmt->Reset();
  using Outcome = PairingAttempt::Outcome;
  if (state != PairingState::kArmed) {
    *attempt = PairingAttempt{Outcome::kNotArmed, attempts, state};
    return Status::Ok();
  }
  if (expires_at <= now) {
    Result<int> expired = ExpireArmed(*db_, now, actor);
    if (!expired.ok()) return expired.status();
    *attempt = PairingAttempt{Outcome::kNotArmed, attempts, PairingState::kExpired};
    return Status::Ok();
  }
  if (attempts >= max_attempts) {
    HOMECA_RETURN_IF_ERROR(db_->Execute(
        "UPDATE pairings SET state = 'burned', w0 = NULL, l = NULL WHERE id = ?1", id));
    HOMECA_RETURN_IF_ERROR(InsertAudit(*db_, actor, now, "pairing-burned",
                                       label + " burned after " + std::to_string(attempts) +
                                           " key exchanges without a successful pairing"));
    *attempt = PairingAttempt{Outcome::kBurned, attempts, PairingState::kBurned};
    return Status::Ok();
  }
  HOMECA_RETURN_IF_ERROR(
      db_->Execute("UPDATE pairings SET attempts = attempts + 1 WHERE id = ?1", id));
  HOMECA_RETURN_IF_ERROR(InsertAudit(*db_, actor, now, "pairing-attempt",
                                     label + ": key exchange " + std::to_string(attempts + 1) +
                                         " of " + std::to_string(max_attempts)));
  *attempt = PairingAttempt{Outcome::kCounted, attempts + 1, PairingState::kArmed};
  return Status::Ok();
}

Status SqliteStore::RecordPairingFailure(std::int64_t id, std::int64_t now,
                                         const std::string& actor, const std::string& what) {
  std::lock_guard<std::mutex> lock(mu_);
  SqliteTransaction txn(*db_);
  HOMECA_RETURN_IF_ERROR(txn.Begin());
  Result<SqliteStatement> stmt = SqliteStatement::PrepareBound(
      *db_,
      "UPDATE pairings SET failed_attempts = failed_attempts + 1 "
      "WHERE id = ?1 AND failed_attempts < attempts RETURNING slot, device_id, attempts",
      id);
  if (!stmt.ok()) return stmt.status();
  Result<SqliteStatement::StepResult> step = stmt->Step();
  if (!step.ok()) return step.status();
  if (*step != SqliteStatement::StepResult::kRow) {
    stmt->Reset();
    return NotUpdated(*db_, id, [](const std::string&) {
      return std::string("has no counted attempt left to call failed");
    });
  }
  const std::string label = Label(id, ReadKey(*stmt, 0));
  HOMECA_RETURN_IF_ERROR(stmt->Run());
  HOMECA_RETURN_IF_ERROR(InsertAudit(*db_, actor, now, "pairing-wrong-code", label + ": " + what));
  return txn.Commit();
}

Status SqliteStore::CancelPairing(std::int64_t id, std::int64_t now, const std::string& actor) {
  std::lock_guard<std::mutex> lock(mu_);
  SqliteTransaction txn(*db_);
  HOMECA_RETURN_IF_ERROR(txn.Begin());
  Result<SqliteStatement> stmt =
      SqliteStatement::PrepareBound(*db_,
                                    "UPDATE pairings SET state = 'cancelled', w0 = NULL, l = NULL "
                                    "WHERE id = ?1 AND state = 'armed' RETURNING slot, device_id",
                                    id);
  if (!stmt.ok()) return stmt.status();
  Result<SqliteStatement::StepResult> step = stmt->Step();
  if (!step.ok()) return step.status();
  if (*step != SqliteStatement::StepResult::kRow) {
    stmt->Reset();
    return NotUpdated(*db_, id, [](const std::string& state) { return "is already " + state; });
  }
  const std::string label = Label(id, ReadKey(*stmt, 0));
  HOMECA_RETURN_IF_ERROR(stmt->Run());  // COMMIT refuses while a statement is running
  HOMECA_RETURN_IF_ERROR(InsertAudit(*db_, actor, now, "pairing-cancelled", label + " cancelled"));
  return txn.Commit();
}

Result<int> SqliteStore::ExpirePairings(std::int64_t now, const std::string& actor) {
  std::lock_guard<std::mutex> lock(mu_);
  SqliteTransaction txn(*db_);
  HOMECA_RETURN_IF_ERROR(txn.Begin());
  Result<int> expired = ExpireArmed(*db_, now, actor);
  if (!expired.ok()) return expired.status();
  HOMECA_RETURN_IF_ERROR(txn.Commit());
  return expired;
}

Status SqliteStore::MarkPairingPairedLocked(const IssuedEntry& entry) {
  const CertificateRecord& record = *entry.record;
  Result<SqliteStatement> stmt = SqliteStatement::PrepareBound(
      *db_,
      "UPDATE pairings SET state = 'paired', certificate_serial = ?1, w0 = NULL, l = NULL "
      "WHERE id = ?2 AND state = 'armed' AND expires_at > ?3 RETURNING slot, device_id, replaces",
      record.serial_hex, *entry.pairing_id, record.issued_at);
  if (!stmt.ok()) return stmt.status();
  Result<SqliteStatement::StepResult> step = stmt->Step();
  if (!step.ok()) return step.status();
  if (*step != SqliteStatement::StepResult::kRow) {
    return Status::NotFound(
        "the pairing is no longer waiting (already used, burned, cancelled "
        "or expired)");
  }
  const std::string label = Label(*entry.pairing_id, ReadKey(*stmt, 0));
  const std::int64_t replaces = stmt->ColumnIsNull(2) ? 0 : stmt->ColumnInt64(2);
  HOMECA_RETURN_IF_ERROR(stmt->Run());
  HOMECA_RETURN_IF_ERROR(InsertAudit(*db_, entry.audit->actor, record.issued_at, "pairing-paired",
                                     label + " paired: certificate serial " + record.serial_hex +
                                         " for " + JoinNames(record.names)));
  if (replaces <= 0) return Status::Ok();
  // The device this pairing replaces: its certificates are superseded and
  // its renewal ends, in the same transaction as the new certificate. Gone
  // already (revoked by the admin meanwhile) is fine.
  Result<int> superseded =
      RevokeDeviceLocked(replaces, Revocation{RevocationReason::kSuperseded, record.issued_at},
                         AuditEntry{0, record.issued_at, entry.audit->actor, "device-replaced",
                                    "replaced by " + label});
  if (!superseded.ok() && !superseded.status().IsNotFound() &&
      !superseded.status().IsAlreadyExists()) {
    return superseded.status();
  }
  return Status::Ok();
}

}  // namespace homeca::ca
