// The pairing SQL helpers (ca/pairing_sql.h), and the small amount of code
// behind ca/pairing_record.h.
#include "ca/store/sqlite/pairing_sql.h"

#include <utility>

namespace homeca::ca {
namespace pairing_sql {

Status InsertAudit(SqliteDatabase& db, const std::string& actor, std::int64_t at,
                   const std::string& action, const std::string& detail) {
  return db.Execute("INSERT INTO audit_log (at, actor, action, detail) VALUES (?1, ?2, ?3, ?4)", at,
                    actor, action, detail);
}

PairingState ParseState(const std::string& text) {
  if (text == "paired") return PairingState::kPaired;
  if (text == "burned") return PairingState::kBurned;
  if (text == "cancelled") return PairingState::kCancelled;
  if (text == "expired") return PairingState::kExpired;
  return PairingState::kArmed;
}

PairingKey ReadKey(const SqliteStatement& row, int first) {
  if (!row.ColumnIsNull(first)) return PairingKey::Slot(static_cast<int>(row.ColumnInt64(first)));
  return PairingKey::Device(row.ColumnText(first + 1));
}

std::string Label(std::int64_t id, const PairingKey& key) {
  return "pairing " + std::to_string(id) + " (" + key.Describe() + ")";
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

std::string KeyCondition(const PairingKey& key, int param) {
  return std::string(key.slot ? "slot" : "device_id") + " = ?" + std::to_string(param);
}
Status BindKey(SqliteStatement& stmt, int param, const PairingKey& key) {
  if (key.slot) return stmt.Bind(param, static_cast<std::int64_t>(*key.slot));
  return stmt.Bind(param, key.device_id);
}

Result<std::vector<std::string>> ReadNames(SqliteDatabase& db, std::int64_t pairing_id) {
  Result<SqliteStatement> stmt = SqliteStatement::PrepareBound(
      db, "SELECT name FROM pairing_names WHERE pairing_id = ?1 ORDER BY position", pairing_id);
  if (!stmt.ok()) return stmt.status();
  std::vector<std::string> names;
  for (;;) {
    Result<SqliteStatement::StepResult> step = stmt->Step();
    if (!step.ok()) return step.status();
    if (*step == SqliteStatement::StepResult::kDone) return names;
    names.push_back(stmt->ColumnText(0));
  }
}

Result<int> ExpireArmed(SqliteDatabase& db, std::int64_t now, const std::string& actor) {
  Result<SqliteStatement> stmt = SqliteStatement::PrepareBound(
      db,
      "UPDATE pairings SET state = 'expired', w0 = NULL, l = NULL "
      "WHERE state = 'armed' AND expires_at <= ?1 RETURNING id, slot, device_id",
      now);
  if (!stmt.ok()) return stmt.status();
  std::vector<std::pair<std::int64_t, PairingKey>> expired;
  for (;;) {
    Result<SqliteStatement::StepResult> step = stmt->Step();
    if (!step.ok()) return step.status();
    if (*step == SqliteStatement::StepResult::kDone) break;
    expired.emplace_back(stmt->ColumnInt64(0), ReadKey(*stmt, 1));
  }
  for (const auto& [id, key] : expired) {
    HOMECA_RETURN_IF_ERROR(
        InsertAudit(db, actor, now, "pairing-expired", Label(id, key) + " expired unused"));
  }
  return static_cast<int>(expired.size());
}

}  // namespace pairing_sql

const char* ToString(PairingState state) {
  switch (state) {
    case PairingState::kArmed:
      return "armed";
    case PairingState::kPaired:
      return "paired";
    case PairingState::kBurned:
      return "burned";
    case PairingState::kCancelled:
      return "cancelled";
    case PairingState::kExpired:
      return "expired";
  }
  return "unknown";
}

std::string PairingKey::Describe() const {
  if (!slot) return "device " + device_id;
  return std::string("slot ") + static_cast<char>('0' + *slot / 10) +
         static_cast<char>('0' + *slot % 10);
}

}  // namespace homeca::ca
