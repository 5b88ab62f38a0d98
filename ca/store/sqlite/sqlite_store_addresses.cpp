// SqliteStore: where paired devices are (schema 6, ca/device_address.h).
// Authenticated contact and the admin's pins are the only writers; each write
// that changes what is published for a device leaves an audit entry.
#include <algorithm>

#include "ca/store/sqlite/pairing_sql.h"
#include "ca/store/sqlite/sqlite.h"
#include "ca/store/sqlite/sqlite_store.h"

namespace homeca::ca {
namespace {

struct PairedDevice {
  std::int64_t pairing_id = 0;
  std::string label;  // "pairing 12 (slot 07)"
  bool revoked = false;
};

// The paired device whose lineage certificate `certificate_id` belongs to.
Result<PairedDevice> DeviceOfCertificate(SqliteDatabase& db, std::int64_t certificate_id) {
  Result<SqliteStatement> stmt = SqliteStatement::PrepareBound(
      db,
      "SELECT p.id, p.slot, p.device_id, l.ended_at FROM certificates AS c "
      "JOIN lineages AS l ON l.id = c.lineage_id "
      "JOIN certificates AS f ON f.id = l.id "
      "JOIN pairings AS p ON p.certificate_serial = f.serial_hex AND p.state = 'paired' "
      "WHERE c.id = ?1",
      certificate_id);
  if (!stmt.ok()) return stmt.status();
  Result<SqliteStatement::StepResult> step = stmt->Step();
  if (!step.ok()) return step.status();
  if (*step != SqliteStatement::StepResult::kRow) {
    return Status::NotFound("certificate " + std::to_string(certificate_id) +
                            " belongs to no paired device");
  }
  PairedDevice device;
  device.pairing_id = stmt->ColumnInt64(0);
  device.label = pairing_sql::Label(device.pairing_id, pairing_sql::ReadKey(*stmt, 1));
  device.revoked = !stmt->ColumnIsNull(3);
  return device;
}

Result<PairedDevice> PairedDeviceById(SqliteDatabase& db, std::int64_t pairing_id) {
  Result<SqliteStatement> stmt = SqliteStatement::PrepareBound(
      db, "SELECT id, slot, device_id FROM pairings WHERE id = ?1 AND state = 'paired'",
      pairing_id);
  if (!stmt.ok()) return stmt.status();
  Result<SqliteStatement::StepResult> step = stmt->Step();
  if (!step.ok()) return step.status();
  if (*step != SqliteStatement::StepResult::kRow) {
    return Status::NotFound("no paired device " + std::to_string(pairing_id));
  }
  return PairedDevice{pairing_id, pairing_sql::Label(pairing_id, pairing_sql::ReadKey(*stmt, 1)),
                      false};
}

std::string Describe(const std::vector<DeviceAddress>& published) {
  if (published.empty()) return "no address";
  std::string out;
  for (const DeviceAddress& a : published) out += (out.empty() ? "" : ", ") + a.address;
  return out;
}

bool SameAddresses(const std::vector<DeviceAddress>& a, const std::vector<DeviceAddress>& b) {
  return std::equal(
      a.begin(), a.end(), b.begin(), b.end(),
      [](const DeviceAddress& x, const DeviceAddress& y) { return x.address == y.address; });
}

std::string FirstName(SqliteDatabase& db, std::int64_t pairing_id) {
  Result<std::vector<std::string>> names = pairing_sql::ReadNames(db, pairing_id);
  return names.ok() && !names->empty() ? names->front() : std::string();
}

}  // namespace

Result<std::vector<DeviceAddress>> pairing_sql::ReadDeviceAddresses(SqliteDatabase& db,
                                                                    std::int64_t pairing_id) {
  Result<SqliteStatement> stmt = SqliteStatement::PrepareBound(
      db,
      "SELECT family, address, source, seen_at FROM device_addresses WHERE pairing_id = ?1 "
      "ORDER BY family, pinned DESC",
      pairing_id);
  if (!stmt.ok()) return stmt.status();
  std::vector<DeviceAddress> out;
  for (;;) {
    Result<SqliteStatement::StepResult> step = stmt->Step();
    if (!step.ok()) return step.status();
    if (*step == SqliteStatement::StepResult::kDone) break;
    DeviceAddress a;
    a.family = stmt->ColumnInt64(0) == 6 ? AddressFamily::kIpv6 : AddressFamily::kIpv4;
    a.address = stmt->ColumnText(1);
    a.source = ParseAddressSource(stmt->ColumnText(2)).value_or(AddressSource::kCheckIn);
    a.seen_at = stmt->ColumnInt64(3);
    out.push_back(std::move(a));
  }
  return out;
}

Result<DeviceContact> SqliteStore::RecordDeviceContact(std::int64_t certificate_id,
                                                       const DeviceAddress& address) {
  std::lock_guard<std::mutex> lock(mu_);
  SqliteTransaction txn(*db_);
  HOMECA_RETURN_IF_ERROR(txn.Begin());
  Result<PairedDevice> device = DeviceOfCertificate(*db_, certificate_id);
  if (!device.ok()) return device.status();
  if (device->revoked) {
    return Status::PermissionDenied(device->label + " was revoked; its address is not recorded");
  }
  Result<std::vector<DeviceAddress>> before =
      pairing_sql::ReadDeviceAddresses(*db_, device->pairing_id);
  if (!before.ok()) return before.status();
  HOMECA_RETURN_IF_ERROR(db_->Execute(
      "INSERT INTO device_addresses (pairing_id, family, pinned, address, source, seen_at) "
      "VALUES (?1, ?2, 0, ?3, ?4, ?5) ON CONFLICT (pairing_id, family, pinned) DO UPDATE SET "
      "address = excluded.address, source = excluded.source, seen_at = excluded.seen_at",
      device->pairing_id, static_cast<std::int64_t>(address.family), address.address,
      std::string(ToString(address.source)), address.seen_at));
  Result<std::vector<DeviceAddress>> after =
      pairing_sql::ReadDeviceAddresses(*db_, device->pairing_id);
  if (!after.ok()) return after.status();
  DeviceContact contact{device->pairing_id, FirstName(*db_, device->pairing_id), false};
  const std::vector<DeviceAddress> was = PublishedAddresses(*before);
  const std::vector<DeviceAddress> now = PublishedAddresses(*after);
  contact.changed = !SameAddresses(was, now);
  if (contact.changed) {
    HOMECA_RETURN_IF_ERROR(pairing_sql::InsertAudit(
        *db_, "device:" + std::to_string(device->pairing_id), address.seen_at, "device-address",
        device->label + " (" + contact.device + ") is now at " + Describe(now) + ", from its " +
            ToString(address.source) + " (was " + Describe(was) + ")"));
  }
  HOMECA_RETURN_IF_ERROR(txn.Commit());
  return contact;
}

Status SqliteStore::PinDeviceAddress(std::int64_t pairing_id,
                                     const std::optional<DeviceAddress>& address,
                                     const AuditEntry& audit) {
  std::lock_guard<std::mutex> lock(mu_);
  SqliteTransaction txn(*db_);
  HOMECA_RETURN_IF_ERROR(txn.Begin());
  Result<PairedDevice> device = PairedDeviceById(*db_, pairing_id);
  if (!device.ok()) return device.status();
  std::string what;
  if (address.has_value()) {
    HOMECA_RETURN_IF_ERROR(db_->Execute(
        "INSERT INTO device_addresses (pairing_id, family, pinned, address, source, seen_at) "
        "VALUES (?1, ?2, 1, ?3, 'pinned', ?4) ON CONFLICT (pairing_id, family, pinned) DO UPDATE "
        "SET address = excluded.address, seen_at = excluded.seen_at",
        pairing_id, static_cast<std::int64_t>(address->family), address->address, audit.at));
    what = "pinned at " + address->address;
  } else {
    HOMECA_RETURN_IF_ERROR(db_->Execute(
        "DELETE FROM device_addresses WHERE pairing_id = ?1 AND pinned = 1", pairing_id));
    what = "pins removed";
  }
  const std::string detail = device->label + " (" + FirstName(*db_, pairing_id) + "): " + what;
  HOMECA_RETURN_IF_ERROR(
      pairing_sql::InsertAudit(*db_, audit.actor, audit.at, audit.action,
                               audit.detail.empty() ? detail : detail + "; " + audit.detail));
  return txn.Commit();
}

}  // namespace homeca::ca
