// Internal to the certificate store: SQL helpers shared by the pairing
// writes (sqlite_store_pairing.cpp) and reads (sqlite_store_pairing_queries.cpp).
//
// Thread-safety: none; callers hold the store's mutex and, for writes, a
// transaction.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ca/base/status.h"
#include "ca/device_address.h"
#include "ca/pairing_record.h"
#include "ca/store/sqlite/sqlite.h"

namespace homeca::ca::pairing_sql {

inline constexpr int kSlotCount = 100;

Status InsertAudit(SqliteDatabase& db, const std::string& actor, std::int64_t at,
                   const std::string& action, const std::string& detail);
PairingState ParseState(const std::string& text);
// Columns `slot` and `device_id` at `first`, `first + 1`.
PairingKey ReadKey(const SqliteStatement& row, int first);
// "pairing 12 (slot 07)", as the audit log names a pairing.
std::string Label(std::int64_t id, const PairingKey& key);
std::string JoinNames(const std::vector<std::string>& names);
// "slot = ?N" or "device_id = ?N"; BindKey binds the value to ?N.
std::string KeyCondition(const PairingKey& key, int param);
Status BindKey(SqliteStatement& stmt, int param, const PairingKey& key);
Result<std::vector<std::string>> ReadNames(SqliteDatabase& db, std::int64_t pairing_id);
// Every address on record for the device (sqlite_store_addresses.cpp).
Result<std::vector<DeviceAddress>> ReadDeviceAddresses(SqliteDatabase& db, std::int64_t pairing_id);
// Armed pairings past their expiry become 'expired' (w0 and L erased), each
// with an audit entry; returns how many. Needs a write transaction.
Result<int> ExpireArmed(SqliteDatabase& db, std::int64_t now, const std::string& actor);

}  // namespace homeca::ca::pairing_sql
