// SqliteStore: devices (paired pairings and the head of their lineage)
// and single pairings, for the web UI and its JSON API.
#include <algorithm>

#include "ca/device_record.h"
#include "ca/store/sqlite/pairing_sql.h"
#include "ca/store/sqlite/sqlite.h"
#include "ca/store/sqlite/sqlite_store.h"

namespace homeca::ca {
namespace {

constexpr char kSelectPairing[] =
    "SELECT id, slot, device_id, state, created_at, expires_at, attempts, certificate_serial, "
    "created_by, failed_attempts, replaces FROM pairings";

PairingSummary ReadPairing(const SqliteStatement& row) {
  PairingSummary s;
  s.id = row.ColumnInt64(0);
  s.key = pairing_sql::ReadKey(row, 1);
  s.state = pairing_sql::ParseState(row.ColumnText(3));
  s.created_at = row.ColumnInt64(4);
  s.expires_at = row.ColumnInt64(5);
  s.attempts = static_cast<int>(row.ColumnInt64(6));
  s.certificate_serial = row.ColumnText(7);
  s.created_by = row.ColumnText(8);
  s.failed_attempts = static_cast<int>(row.ColumnInt64(9));
  s.replaces = row.ColumnIsNull(10) ? 0 : row.ColumnInt64(10);
  return s;
}

struct ChainEnd {
  std::string current_serial;
  std::int64_t paired_at = 0;
  std::int64_t last_renewal = 0;
  int renewals = 0;
  std::optional<std::int64_t> revoked_at;
};

// The lineage that the pairing's first certificate started (schema 5): its
// head, whether it ended, and its renewals, in one indexed query.
Result<ChainEnd> ReadLineage(SqliteDatabase& db, const std::string& first_serial) {
  ChainEnd end;
  end.current_serial = first_serial;
  Result<SqliteStatement> stmt = SqliteStatement::PrepareBound(
      db,
      "SELECT f.issued_at, h.serial_hex, l.ended_at, "
      "(SELECT count(*) FROM certificates WHERE lineage_id = l.id AND id <> l.id), "
      "(SELECT coalesce(max(issued_at), 0) FROM certificates "
      " WHERE lineage_id = l.id AND id <> l.id) "
      "FROM certificates AS f JOIN lineages AS l ON l.id = f.lineage_id "
      "JOIN certificates AS h ON h.id = l.head_id WHERE f.serial_hex = ?1",
      first_serial);
  if (!stmt.ok()) return stmt.status();
  Result<SqliteStatement::StepResult> found = stmt->Step();
  if (!found.ok()) return found.status();
  if (*found != SqliteStatement::StepResult::kRow) return end;
  end.paired_at = stmt->ColumnInt64(0);
  end.current_serial = stmt->ColumnText(1);
  if (!stmt->ColumnIsNull(2)) end.revoked_at = stmt->ColumnInt64(2);
  end.renewals = static_cast<int>(stmt->ColumnInt64(3));
  end.last_renewal = stmt->ColumnInt64(4);
  return end;
}

}  // namespace

Result<PairingSummary> SqliteStore::GetPairing(std::int64_t id, std::int64_t now) {
  std::lock_guard<std::mutex> lock(mu_);
  SqliteTransaction snapshot(*db_, SqliteTransaction::Mode::kDeferred);
  HOMECA_RETURN_IF_ERROR(snapshot.Begin());
  Result<SqliteStatement> stmt =
      SqliteStatement::PrepareBound(*db_, std::string(kSelectPairing) + " WHERE id = ?1", id);
  if (!stmt.ok()) return stmt.status();
  Result<SqliteStatement::StepResult> step = stmt->Step();
  if (!step.ok()) return step.status();
  if (*step != SqliteStatement::StepResult::kRow) {
    return Status::NotFound("no pairing " + std::to_string(id));
  }
  PairingSummary summary = ReadPairing(*stmt);
  if (summary.state == PairingState::kArmed && summary.expires_at <= now) {
    summary.state = PairingState::kExpired;
  }
  Result<std::vector<std::string>> names = pairing_sql::ReadNames(*db_, summary.id);
  if (!names.ok()) return names.status();
  summary.names = std::move(*names);
  return summary;
}

Result<std::int64_t> SqliteStore::CountPairings(PairingState state) {
  std::lock_guard<std::mutex> lock(mu_);
  Result<SqliteStatement> stmt = SqliteStatement::PrepareBound(
      *db_, "SELECT count(*) FROM pairings WHERE state = ?1", std::string(ToString(state)));
  if (!stmt.ok()) return stmt.status();
  Result<SqliteStatement::StepResult> step = stmt->Step();
  if (!step.ok()) return step.status();
  return stmt->ColumnInt64(0);
}

Result<std::vector<DeviceRecord>> SqliteStore::ListDevices(int limit) {
  std::vector<DeviceRecord> devices;
  std::vector<std::string> current_serials;
  {
    std::lock_guard<std::mutex> lock(mu_);
    SqliteTransaction snapshot(*db_, SqliteTransaction::Mode::kDeferred);
    HOMECA_RETURN_IF_ERROR(snapshot.Begin());
    Result<SqliteStatement> stmt = SqliteStatement::PrepareBound(
        *db_, std::string(kSelectPairing) + " WHERE state = 'paired' ORDER BY id DESC LIMIT ?1",
        static_cast<std::int64_t>(std::clamp(limit, 1, 1000)));
    if (!stmt.ok()) return stmt.status();
    for (;;) {
      Result<SqliteStatement::StepResult> step = stmt->Step();
      if (!step.ok()) return step.status();
      if (*step == SqliteStatement::StepResult::kDone) break;
      DeviceRecord device;
      device.pairing = ReadPairing(*stmt);
      Result<std::vector<std::string>> names = pairing_sql::ReadNames(*db_, device.pairing.id);
      if (!names.ok()) return names.status();
      device.pairing.names = std::move(*names);
      Result<ChainEnd> chain = ReadLineage(*db_, device.pairing.certificate_serial);
      if (!chain.ok()) return chain.status();
      device.paired_at = chain->paired_at;
      device.last_renewal = chain->last_renewal;
      device.renewals = chain->renewals;
      device.revoked_at = chain->revoked_at;
      Result<std::vector<DeviceAddress>> addresses =
          pairing_sql::ReadDeviceAddresses(*db_, device.pairing.id);
      if (!addresses.ok()) return addresses.status();
      device.addresses = std::move(*addresses);
      current_serials.push_back(chain->current_serial);
      devices.push_back(std::move(device));
    }
  }
  // Outside the lock: FindBySerial takes it itself.
  for (std::size_t i = 0; i < devices.size(); ++i) {
    Result<CertificateRecord> record = FindBySerial(current_serials[i]);
    if (record.ok()) {
      devices[i].current = std::move(*record);
    } else if (!record.status().IsNotFound()) {
      return record.status();
    }
  }
  return devices;
}

}  // namespace homeca::ca
