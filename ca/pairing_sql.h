// Internal to the certificate store: SQL helpers shared by the pairing
// writes (cert_store_pairing.cpp) and reads (cert_store_pairing_queries.cpp).
//
// Thread-safety: none; callers hold the store's mutex and, for writes, a
// transaction.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ca/pairing_record.h"
#include "ca/sqlite.h"
#include "ca/status.h"

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
// Armed pairings past their expiry become 'expired' (w0 and L erased), each
// with an audit entry; returns how many. Needs a write transaction.
Result<int> ExpireArmed(SqliteDatabase& db, std::int64_t now, const std::string& actor);

// The salt column holds the KDF's parameter string (printable ASCII, no NUL),
// one 0x00 byte, then the salt: schema 2 has no column for the KDF, and this
// keeps the string beside the salt it belongs to. An empty `kdf` stores the
// bare salt (PBKDF2 with the iterations column). UnpackSalt takes a column
// without the prefix as a bare salt.
inline constexpr std::size_t kMaxKdfStringSize = 64;
Bytes PackSalt(const std::string& kdf, const Bytes& salt);
void UnpackSalt(const Bytes& column, std::string* kdf, Bytes* salt);

}  // namespace homeca::ca::pairing_sql
