// SqliteStore: reading pairings (ca/pairing_record.h). Writes are in
// sqlite_store_pairing.cpp.
#include <algorithm>
#include <set>
#include <string>

#include "ca/store/sqlite/pairing_sql.h"
#include "ca/store/sqlite/sqlite_store.h"

namespace homeca::ca {
namespace {

using pairing_sql::BindKey;
using pairing_sql::KeyCondition;
using pairing_sql::kSlotCount;
using pairing_sql::ParseState;
using pairing_sql::ReadKey;
using pairing_sql::ReadNames;

// Uniform in [0, n) from the CSPRNG, rejecting the top partial range.
std::size_t RandomIndex(std::size_t n) {
  const std::uint64_t range = std::uint64_t{1} << 32;
  const std::uint64_t limit = range - range % n;
  for (;;) {
    const Bytes r = RandomBytes(4);
    const std::uint64_t v =
        std::uint64_t{r[0]} << 24 | std::uint64_t{r[1]} << 16 | std::uint64_t{r[2]} << 8 | r[3];
    if (v < limit) return static_cast<std::size_t>(v % n);
  }
}

}  // namespace

Result<int> SqliteStore::PickFreePairingSlot(std::int64_t now) {
  std::lock_guard<std::mutex> lock(mu_);
  Result<SqliteStatement> stmt = SqliteStatement::PrepareBound(
      *db_,
      "SELECT slot FROM pairings WHERE state = 'armed' AND slot IS NOT NULL AND expires_at > ?1",
      now);
  if (!stmt.ok()) return stmt.status();
  std::set<std::int64_t> taken;
  for (;;) {
    Result<SqliteStatement::StepResult> step = stmt->Step();
    if (!step.ok()) return step.status();
    if (*step == SqliteStatement::StepResult::kDone) break;
    taken.insert(stmt->ColumnInt64(0));
  }
  std::vector<int> free_slots;
  for (int slot = 0; slot < kSlotCount; ++slot) {
    if (taken.count(slot) == 0) free_slots.push_back(slot);
  }
  if (free_slots.empty()) {
    return Status::FailedPrecondition(
        "all 100 pairing slots are in use; cancel a pairing or wait for one to expire");
  }
  // Random rather than the lowest free slot: a slot reveals nothing, and a
  // device retrying an old code is unlikely to land on a new pairing.
  return free_slots[RandomIndex(free_slots.size())];
}

Result<PairingRecord> SqliteStore::FindArmedPairing(const PairingKey& key, std::int64_t now) {
  std::lock_guard<std::mutex> lock(mu_);
  SqliteTransaction snapshot(*db_, SqliteTransaction::Mode::kDeferred);
  HOMECA_RETURN_IF_ERROR(snapshot.Begin());
  Result<SqliteStatement> stmt = SqliteStatement::Prepare(
      *db_,
      "SELECT id, slot, device_id, salt, iterations, w0, l, created_at, expires_at, attempts, "
      "kdf FROM pairings WHERE state = 'armed' AND expires_at > ?2 AND " +
          KeyCondition(key, 1));
  if (!stmt.ok()) return stmt.status();
  HOMECA_RETURN_IF_ERROR(BindKey(*stmt, 1, key));
  HOMECA_RETURN_IF_ERROR(stmt->Bind(2, now));
  Result<SqliteStatement::StepResult> step = stmt->Step();
  if (!step.ok()) return step.status();
  if (*step != SqliteStatement::StepResult::kRow) {
    return Status::NotFound("no pairing is waiting for " + key.Describe());
  }
  PairingRecord record;
  record.id = stmt->ColumnInt64(0);
  record.key = ReadKey(*stmt, 1);
  record.salt = stmt->ColumnBlob(3);
  if (!stmt->ColumnIsNull(10)) record.kdf = stmt->ColumnText(10);
  record.iterations = static_cast<std::uint32_t>(stmt->ColumnInt64(4));
  record.verifier = PairingVerifier(stmt->ColumnBlob(5), stmt->ColumnBlob(6));
  record.created_at = stmt->ColumnInt64(7);
  record.expires_at = stmt->ColumnInt64(8);
  record.attempts = static_cast<int>(stmt->ColumnInt64(9));
  Result<std::vector<std::string>> names = ReadNames(*db_, record.id);
  if (!names.ok()) return names.status();
  record.names = std::move(*names);
  return record;
}

Result<std::vector<PairingSummary>> SqliteStore::ListPairings(const PairingFilter& filter) {
  std::lock_guard<std::mutex> lock(mu_);
  SqliteTransaction snapshot(*db_, SqliteTransaction::Mode::kDeferred);
  HOMECA_RETURN_IF_ERROR(snapshot.Begin());
  Result<SqliteStatement> stmt = SqliteStatement::PrepareBound(
      *db_,
      std::string("SELECT id, slot, device_id, state, created_at, expires_at, attempts, "
                  "certificate_serial, created_by, failed_attempts, replaces FROM pairings") +
          // ?1 may go unused: SQLite allows binding any index up to the highest.
          (filter.waiting_only ? " WHERE state = 'armed' AND expires_at > ?1" : "") +
          " ORDER BY id DESC LIMIT ?2",
      filter.now, static_cast<std::int64_t>(std::clamp(filter.limit, 1, 1000)));
  if (!stmt.ok()) return stmt.status();
  std::vector<PairingSummary> out;
  for (;;) {
    Result<SqliteStatement::StepResult> step = stmt->Step();
    if (!step.ok()) return step.status();
    if (*step == SqliteStatement::StepResult::kDone) break;
    PairingSummary s;
    s.id = stmt->ColumnInt64(0);
    s.key = ReadKey(*stmt, 1);
    s.state = ParseState(stmt->ColumnText(3));
    s.created_at = stmt->ColumnInt64(4);
    s.expires_at = stmt->ColumnInt64(5);
    s.attempts = static_cast<int>(stmt->ColumnInt64(6));
    s.certificate_serial = stmt->ColumnText(7);
    s.created_by = stmt->ColumnText(8);
    s.failed_attempts = static_cast<int>(stmt->ColumnInt64(9));
    s.replaces = stmt->ColumnIsNull(10) ? 0 : stmt->ColumnInt64(10);
    if (s.state == PairingState::kArmed && s.expires_at <= filter.now) {
      s.state = PairingState::kExpired;
    }
    Result<std::vector<std::string>> names = ReadNames(*db_, s.id);
    if (!names.ok()) return names.status();
    s.names = std::move(*names);
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace homeca::ca
