// Pairings in the certificate store: schema 2 and its upgrade from schema 1,
// the armed-per-slot rule, attempts and burning, and issuing a certificate
// and using up its pairing in one transaction.
#include <catch2/catch.hpp>
#include <set>
#include <thread>

#include "ca/base/file_util.h"
#include "ca/device_record.h"
#include "ca/store/sqlite/sqlite.h"
#include "ca/store/sqlite/sqlite_store.h"
#include "ca/store/sqlite/store_migrations.h"
#include "tests/support/process.h"

namespace homeca::ca {
namespace {

constexpr std::int64_t kNow = 1'800'000'000;

std::unique_ptr<SqliteStore> OpenSqlite(const std::filesystem::path& path) {
  auto store = SqliteStore::Open(path);
  INFO(store.status().message() << " " << store.status().detail());
  REQUIRE(store.ok());
  return std::move(*store);
}

std::unique_ptr<SqliteDatabase> OpenRaw(const std::filesystem::path& path) {
  auto db = SqliteDatabase::Open(path, SqliteDatabase::Access::kReadWrite);
  REQUIRE(db.ok());
  return std::move(*db);
}

// Each pairing gets names of its own (the store refuses a name another
// pairing holds); `names` for a test about those names.
NewPairing MakePairing(PairingKey key, std::int64_t created_at = kNow, std::int64_t ttl = 600,
                       std::vector<std::string> names = {}) {
  static int made = 0;
  NewPairing p;
  p.key = std::move(key);
  const std::string own = "device-" + std::to_string(++made);
  p.names = names.empty() ? std::vector<std::string>{own + ".home.arpa", own + ".local"}
                          : std::move(names);
  p.salt = RandomBytes(16);
  p.iterations = 20000;
  p.verifier = PairingVerifier(RandomBytes(32), RandomBytes(65));
  p.created_at = created_at;
  p.expires_at = created_at + ttl;
  p.created_by = "cli";
  return p;
}

std::int64_t Create(SqliteStore& store, const NewPairing& p) {
  auto id = store.CreatePairing(p);
  INFO(id.status().message() << " " << id.status().detail());
  REQUIRE(id.ok());
  return *id;
}

CertificateRecord MakeRecord(const std::string& serial, std::int64_t issued_at) {
  CertificateRecord r;
  r.serial_hex = serial;
  r.subject_cn = "nas.home.arpa";
  r.names = {"nas.home.arpa"};
  r.not_before = issued_at - 300;
  r.not_after = issued_at + 90 * 86400;
  r.requester = "pairing";
  r.key_type = "EC P-256";
  r.fingerprint_sha256 = HexEncode(RandomBytes(32));
  r.der = RandomBytes(300);
  r.issued_at = issued_at;
  return r;
}

std::vector<PairingSummary> All(SqliteStore& store, std::int64_t now = kNow) {
  PairingFilter filter;
  filter.now = now;
  auto list = store.ListPairings(filter);
  REQUIRE(list.ok());
  return *list;
}

std::int64_t NullVerifierRows(const std::filesystem::path& path) {
  return *OpenRaw(path)->QueryInt64("SELECT count(*) FROM pairings WHERE w0 IS NULL AND l IS NULL");
}

// Schema 1 as it shipped (ca/store_migrations.cpp, kSchemaV1; only the line
// breaks differ), with one certificate and one audit entry in it.
constexpr char kShippedSchemaV1[] = R"sql(
CREATE TABLE certificates (id INTEGER PRIMARY KEY, serial_hex TEXT NOT NULL UNIQUE,
  subject_cn TEXT NOT NULL, not_before INTEGER NOT NULL, not_after INTEGER NOT NULL,
  requester TEXT NOT NULL, key_type TEXT NOT NULL, fingerprint_sha256 TEXT NOT NULL UNIQUE,
  der BLOB NOT NULL, issued_at INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'valid' CHECK (status IN ('valid', 'revoked')));
CREATE INDEX certificates_not_after ON certificates (not_after);
CREATE INDEX certificates_status_not_after ON certificates (status, not_after);
CREATE INDEX certificates_issued_at ON certificates (issued_at DESC, id DESC);
CREATE TABLE certificate_names (
  certificate_id INTEGER NOT NULL REFERENCES certificates (id) ON DELETE RESTRICT,
  position INTEGER NOT NULL, name TEXT NOT NULL, PRIMARY KEY (certificate_id, position)
) WITHOUT ROWID;
CREATE INDEX certificate_names_name ON certificate_names (name);
CREATE TABLE revocations (
  certificate_id INTEGER PRIMARY KEY REFERENCES certificates (id) ON DELETE RESTRICT,
  reason INTEGER NOT NULL CHECK (reason BETWEEN 0 AND 10 AND reason <> 7),
  revoked_at INTEGER NOT NULL);
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE audit_log (id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL,
  actor TEXT NOT NULL, action TEXT NOT NULL, detail TEXT NOT NULL);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
INSERT INTO certificates (serial_hex, subject_cn, not_before, not_after, requester, key_type,
  fingerprint_sha256, der, issued_at) VALUES ('0a0b', 'old.home.arpa', 1, 1900000000, 'cli',
  'EC P-256', 'aa', x'3082', 1);
INSERT INTO certificate_names VALUES (1, 0, 'old.home.arpa');
INSERT INTO audit_log (at, actor, action, detail) VALUES (1, 'cli', 'issue', 'from schema 1');
PRAGMA user_version = 1;
)sql";

TEST_CASE("a schema 1 database upgrades in place to the latest schema and keeps its data",
          "[pairing]") {
  testing::TempDir dir;
  const auto path = dir / "ca.db";
  REQUIRE(OpenRaw(path)->Exec(kShippedSchemaV1).ok());
  REQUIRE(*OpenRaw(path)->QueryInt64("PRAGMA user_version") == 1);

  auto store = OpenSqlite(path);
  CHECK(store->SchemaVersion() == LatestSchemaVersion());
  CHECK(LatestSchemaVersion() == 8);
  // Schema 8: what the admin is told about a pairing.
  CHECK(*OpenRaw(path)->QueryInt64("SELECT count(*) FROM pragma_table_info('pairings') WHERE "
                                   "name IN ('failed_attempts', 'replaces')") == 2);
  // Schema 4's indexes for the certificate list's filters came along.
  CHECK(*OpenRaw(path)->QueryInt64(
            "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name IN "
            "('certificates_subject_cn', 'certificates_status_issued_at')") == 2);
  auto old = store->FindBySerial("0a0b");
  REQUIRE(old.ok());
  CHECK(old->names == std::vector<std::string>{"old.home.arpa"});
  CHECK(store->ListAudit(10, 0)->back().detail == "from schema 1");
  const std::int64_t id = Create(*store, MakePairing(PairingKey::Slot(7)));
  CHECK(store->FindArmedPairing(PairingKey::Slot(7), kNow)->id == id);
  CHECK(store->IntegrityCheck().ok());
  store.reset();
  // Reopening changes nothing.
  CHECK(OpenSqlite(path)->SchemaVersion() == LatestSchemaVersion());
  CHECK(*OpenRaw(path)->QueryInt64(
            "SELECT count(*) FROM sqlite_master WHERE name IN ('pairings', 'pairing_names', "
            "'pairings_armed_slot', 'pairings_armed_device')") == 4);
  // Schema 3 (the web UI): API tokens and the index that follows renewals.
  CHECK(
      *OpenRaw(path)->QueryInt64("SELECT count(*) FROM sqlite_master WHERE name IN ('api_tokens', "
                                 "'certificates_requester')") == 2);
}

TEST_CASE("one armed pairing per slot and per device id, enforced by the schema too", "[pairing]") {
  testing::TempDir dir;
  auto store = OpenSqlite(dir / "ca.db");
  const std::int64_t slot7 = Create(*store, MakePairing(PairingKey::Slot(7)));
  Create(*store, MakePairing(PairingKey::Slot(8)));
  Create(*store, MakePairing(PairingKey::Device("tv-1")));
  CHECK(store->CreatePairing(MakePairing(PairingKey::Slot(7))).status().IsAlreadyExists());
  CHECK(store->CreatePairing(MakePairing(PairingKey::Device("tv-1"))).status().IsAlreadyExists());
  CHECK(store->CreatePairing(MakePairing(PairingKey{})).status().IsInvalidArgument());
  CHECK(store->CreatePairing(MakePairing(PairingKey::Slot(100))).status().IsInvalidArgument());

  // Even SQL that bypasses CreatePairing cannot arm a second one.
  auto raw = OpenRaw(dir / "ca.db");
  Status dup = raw->Exec(
      "INSERT INTO pairings (slot, salt, iterations, w0, l, created_at, expires_at, created_by) "
      "VALUES (7, x'00', 20000, x'00', x'00', 1, 2, 'sql')");
  CHECK_FALSE(dup.ok());
  CHECK_THAT(dup.detail(), Catch::Contains("UNIQUE"));
  Status both = raw->Exec(
      "INSERT INTO pairings (slot, device_id, salt, iterations, w0, l, created_at, expires_at, "
      "created_by) VALUES (9, 'x', x'00', 20000, x'00', x'00', 1, 2, 'sql')");
  CHECK_THAT(both.detail(), Catch::Contains("CHECK"));

  REQUIRE(store->CancelPairing(slot7, kNow, "cli").ok());
  CHECK(store->CancelPairing(slot7, kNow, "cli").IsFailedPrecondition());
  CHECK(store->CancelPairing(999, kNow, "cli").IsNotFound());
  CHECK(store->FindArmedPairing(PairingKey::Slot(7), kNow).status().IsNotFound());
  Create(*store, MakePairing(PairingKey::Slot(7)));  // the slot is free again
  CHECK(NullVerifierRows(dir / "ca.db") == 1);       // the cancelled one forgot w0 and L
}

TEST_CASE("an expired pairing gives up its slot, and is marked so once", "[pairing]") {
  testing::TempDir dir;
  auto store = OpenSqlite(dir / "ca.db");
  const std::int64_t first = Create(*store, MakePairing(PairingKey::Slot(3), kNow, 600));
  CHECK(store->FindArmedPairing(PairingKey::Slot(3), kNow + 599).ok());
  CHECK(store->FindArmedPairing(PairingKey::Slot(3), kNow + 600).status().IsNotFound());
  CHECK(All(*store, kNow + 600).front().state == PairingState::kExpired);  // as shown

  const std::int64_t second = Create(*store, MakePairing(PairingKey::Slot(3), kNow + 600));
  auto list = All(*store, kNow + 600);
  REQUIRE(list.size() == 2);
  CHECK(list[0].id == second);
  CHECK(list[0].state == PairingState::kArmed);
  CHECK(list[1].id == first);
  CHECK(list[1].state == PairingState::kExpired);
  auto audit = store->ListAudit(10, 0);
  REQUIRE(audit.ok());
  int expired = 0;
  for (const auto& e : *audit) expired += e.action == "pairing-expired" ? 1 : 0;
  CHECK(expired == 1);
  CHECK(*store->ExpirePairings(kNow + 600, "test") == 0);
  CHECK(*store->ExpirePairings(kNow + 1200, "test") == 1);
}

TEST_CASE("attempts count up to the maximum, and the next one burns the pairing", "[pairing]") {
  testing::TempDir dir;
  auto store = OpenSqlite(dir / "ca.db");
  const std::int64_t id = Create(*store, MakePairing(PairingKey::Device("cam")));
  for (int i = 1; i <= 5; ++i) {
    auto attempt = store->RecordPairingAttempt(id, 5, kNow, "device:cam");
    REQUIRE(attempt.ok());
    CHECK(attempt->outcome == PairingAttempt::Outcome::kCounted);
    CHECK(attempt->attempts == i);
  }
  CHECK(NullVerifierRows(dir / "ca.db") == 0);
  auto sixth = store->RecordPairingAttempt(id, 5, kNow, "device:cam");
  REQUIRE(sixth.ok());
  CHECK(sixth->outcome == PairingAttempt::Outcome::kBurned);
  auto seventh = store->RecordPairingAttempt(id, 5, kNow, "device:cam");
  CHECK(seventh->outcome == PairingAttempt::Outcome::kNotArmed);
  CHECK(seventh->state == PairingState::kBurned);
  CHECK(All(*store).front().attempts == 5);
  CHECK(NullVerifierRows(dir / "ca.db") == 1);
  CHECK(store->RecordPairingAttempt(999, 5, kNow, "x").status().IsNotFound());
  // Past its expiry an armed pairing is not attempted but expired.
  const std::int64_t late = Create(*store, MakePairing(PairingKey::Slot(1)));
  auto expired = store->RecordPairingAttempt(late, 5, kNow + 600, "slot:01");
  CHECK(expired->outcome == PairingAttempt::Outcome::kNotArmed);
  CHECK(expired->state == PairingState::kExpired);
}

TEST_CASE("a wrong code is counted against a counted attempt only, with its audit entry",
          "[pairing]") {
  testing::TempDir dir;
  auto store = OpenSqlite(dir / "ca.db");
  const std::int64_t id = Create(*store, MakePairing(PairingKey::Slot(4)));
  // No attempt yet: nothing to call failed.
  CHECK(store->RecordPairingFailure(id, kNow, "slot:04", "wrong").IsFailedPrecondition());
  REQUIRE(store->RecordPairingAttempt(id, 5, kNow, "slot:04").ok());
  REQUIRE(store->RecordPairingFailure(id, kNow, "slot:04", "the device's code did not match").ok());
  CHECK(store->RecordPairingFailure(id, kNow, "slot:04", "again").IsFailedPrecondition());
  CHECK(store->RecordPairingFailure(999, kNow, "x", "y").IsNotFound());
  auto pairing = store->GetPairing(id, kNow);
  REQUIRE(pairing.ok());
  CHECK(pairing->attempts == 1);
  CHECK(pairing->failed_attempts == 1);
  CHECK(All(*store).front().failed_attempts == 1);
  auto audit = store->ListAudit(1, 0);
  REQUIRE(audit.ok());
  CHECK(audit->front().action == "pairing-wrong-code");
  CHECK(audit->front().detail ==
        "pairing " + std::to_string(id) + " (slot 04): the device's code did not match");
}

TEST_CASE("concurrent attempts share commits and are still counted exactly", "[pairing]") {
  // Group commit puts many attempts in one transaction; each must still see
  // the ones before it: five counted, one burn, and the rest refused.
  testing::TempDir dir;
  auto store = OpenSqlite(dir / "ca.db");
  const std::int64_t id = Create(*store, MakePairing(PairingKey::Device("cam")));
  constexpr int kThreads = 16;
  std::vector<Result<PairingAttempt>> results(kThreads, Status::Internal("not run"));
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] { results[t] = store->RecordPairingAttempt(id, 5, kNow, "d"); });
  }
  for (auto& t : threads) t.join();
  std::multiset<int> counted;
  int burned = 0;
  int refused = 0;
  for (const auto& r : results) {
    REQUIRE(r.ok());
    switch (r->outcome) {
      case PairingAttempt::Outcome::kCounted:
        counted.insert(r->attempts);
        break;
      case PairingAttempt::Outcome::kBurned:
        ++burned;
        break;
      case PairingAttempt::Outcome::kNotArmed:
        CHECK(r->state == PairingState::kBurned);
        ++refused;
        break;
    }
  }
  CHECK(counted == std::multiset<int>{1, 2, 3, 4, 5});
  CHECK(burned == 1);
  CHECK(refused == kThreads - 6);
  // Durable: a fresh connection sees the same.
  auto reopened = OpenSqlite(dir / "ca.db");
  CHECK(All(*reopened).front().attempts == 5);
  CHECK(All(*reopened).front().state == PairingState::kBurned);
  auto audit = reopened->ListAudit(100, 0);
  REQUIRE(audit.ok());
  int attempt_entries = 0;
  for (const auto& e : *audit) attempt_entries += e.action == "pairing-attempt" ? 1 : 0;
  CHECK(attempt_entries == 5);
}

// w0 and L are enough to play the CA's side of a pairing and to test guesses
// at its code offline. Once a pairing is over, no copy may stay behind in
// the file, where backups and a disposed disk would carry it: not in the
// row, and not in the page's free space the old row leaves (secure_delete).
TEST_CASE("a pairing that is over leaves no copy of w0 or L in the database file", "[pairing]") {
  testing::TempDir dir;
  std::vector<NewPairing> ended = {
      MakePairing(PairingKey::Slot(1)), MakePairing(PairingKey::Slot(2)),
      MakePairing(PairingKey::Slot(3)), MakePairing(PairingKey::Slot(4))};
  const NewPairing still_armed = MakePairing(PairingKey::Slot(5), kNow, 86400);
  {
    auto store = OpenSqlite(dir / "ca.db");
    std::vector<std::int64_t> ids;
    for (const NewPairing& p : ended) ids.push_back(Create(*store, p));
    Create(*store, still_armed);
    REQUIRE(store->CancelPairing(ids[0], kNow, "cli").ok());
    for (int i = 0; i < 6; ++i)
      REQUIRE(store->RecordPairingAttempt(ids[1], 5, kNow, "slot:02").ok());
    const AuditEntry audit{0, kNow, "pairing:3", "issue", "issued"};
    REQUIRE(store->InsertIssued(MakeRecord("d1", kNow), audit, ids[2]).ok());
    REQUIRE(*store->ExpirePairings(kNow + 600, "test") == 1);  // slot 4; slot 5 lives a day
  }  // closing the last connection checkpoints the WAL into the file and removes it

  REQUIRE_FALSE(std::filesystem::exists(dir / "ca.db-wal"));
  auto file = ReadFile(dir / "ca.db");
  REQUIRE(file.ok());
  auto contains = [&](const Bytes& needle) {
    return file->find(std::string(needle.begin(), needle.end())) != std::string::npos;
  };
  // The armed one is there: the search itself works.
  CHECK(contains(still_armed.verifier.w0));
  CHECK(contains(still_armed.verifier.l));
  for (std::size_t i = 0; i < ended.size(); ++i) {
    INFO("pairing in slot " << i + 1);
    CHECK_FALSE(contains(ended[i].verifier.w0));
    CHECK_FALSE(contains(ended[i].verifier.l));
  }
}

TEST_CASE("a free slot is picked at random until all 100 are taken", "[pairing]") {
  testing::TempDir dir;
  auto store = OpenSqlite(dir / "ca.db");
  std::set<int> seen;
  for (int i = 0; i < 100; ++i) {
    auto slot = store->PickFreePairingSlot(kNow);
    REQUIRE(slot.ok());
    CHECK(seen.insert(*slot).second);
    Create(*store, MakePairing(PairingKey::Slot(*slot), kNow, 60 + i));
  }
  CHECK(store->PickFreePairingSlot(kNow).status().IsFailedPrecondition());
  // The shortest-lived one has expired by then.
  auto slot = store->PickFreePairingSlot(kNow + 60);
  REQUIRE(slot.ok());
  CHECK(All(*store).back().key.slot == *slot);
}

TEST_CASE("issuing with a pairing marks it paired in the same transaction, once", "[pairing]") {
  testing::TempDir dir;
  auto store = OpenSqlite(dir / "ca.db");
  const std::int64_t id = Create(*store, MakePairing(PairingKey::Slot(4)));
  const AuditEntry audit{0, kNow, "pairing:1", "issue", "issued"};

  SECTION("concurrent finishes: exactly one certificate") {
    constexpr int kThreads = 8;
    std::vector<CertificateRecord> records;
    for (int i = 0; i < kThreads; ++i) records.push_back(MakeRecord("a" + std::to_string(i), kNow));
    std::vector<std::optional<Result<std::int64_t>>> results(kThreads);
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
      threads.emplace_back([&, i] { results[i] = store->InsertIssued(records[i], audit, id); });
    }
    for (auto& t : threads) t.join();
    int ok = 0;
    for (auto& r : results) {
      if (r->ok())
        ++ok;
      else
        CHECK(r->status().IsNotFound());
    }
    CHECK(ok == 1);
    CHECK(*store->Count({}) == 1);
    const PairingSummary used = All(*store).front();
    CHECK(used.state == PairingState::kPaired);
    CHECK(store->FindBySerial(used.certificate_serial).ok());
    CHECK(store->ListAudit(100, 0)->size() == 3);  // created, issue, paired
    CHECK(NullVerifierRows(dir / "ca.db") == 1);
  }
  SECTION("a pairing past its expiry takes no certificate") {
    auto late = store->InsertIssued(MakeRecord("b1", kNow + 600), audit, id);
    CHECK(late.status().IsNotFound());
    CHECK(*store->Count({}) == 0);
    CHECK(store->ListAudit(100, 0)->size() == 1);
  }
  SECTION("a batch: the pairing goes to the first entry, the second fails alone") {
    const CertificateRecord a = MakeRecord("c1", kNow), b = MakeRecord("c2", kNow);
    auto results = store->InsertIssuedBatch({{&a, &audit, id}, {&b, &audit, id}});
    CHECK(results[0].ok());
    CHECK(results[1].status().IsNotFound());
    CHECK(*store->Count({}) == 1);
  }
}

TEST_CASE("a name that a waiting pairing or a device holds is not given to another pairing",
          "[pairing]") {
  testing::TempDir dir;
  auto store = OpenSqlite(dir / "ca.db");
  const std::vector<std::string> nas = {"nas.home.arpa", "nas.local"};
  const std::int64_t waiting = Create(*store, MakePairing(PairingKey::Slot(1), kNow, 600, nas));
  const std::size_t audit_before = store->ListAudit(100, 0)->size();

  auto Refused = [&](const NewPairing& p, const std::string& holder) {
    Result<std::int64_t> id = store->CreatePairing(p);
    CHECK(id.status().IsAlreadyExists());
    CHECK(id.status().reason() == kPairingNameHeld);
    CHECK_THAT(id.status().message(), Catch::Contains("is held by " + holder));
  };
  // Another slot, one shared name: refused, and nothing stored.
  Refused(MakePairing(PairingKey::Slot(2), kNow, 600, {"files.home.arpa", "nas.local"}),
          "pairing " + std::to_string(waiting));
  CHECK(All(*store).size() == 1);
  CHECK(store->ListAudit(100, 0)->size() == audit_before);

  // The waiting pairing becomes a device: it still holds the names.
  const AuditEntry audit{0, kNow, "pairing:1", "issue", "issued"};
  CertificateRecord first = MakeRecord("d1", kNow);
  first.names = nas;
  REQUIRE(store->InsertIssued(first, audit, waiting).ok());
  Refused(MakePairing(PairingKey::Slot(3), kNow, 600, nas), "device " + std::to_string(waiting));
  // A pairing that replaces that device may take its names, and then holds
  // them itself, against a third.
  const std::int64_t replacement = [&] {
    NewPairing p = MakePairing(PairingKey::Slot(3), kNow, 600, nas);
    p.replaces = waiting;
    return Create(*store, p);
  }();
  NewPairing third = MakePairing(PairingKey::Slot(4), kNow, 600, nas);
  third.replaces = waiting;
  Refused(third, "pairing " + std::to_string(replacement));

  // A waiting pairing that expired, and a device that was revoked, hold
  // nothing.
  const std::int64_t later = kNow + 601;
  REQUIRE(store
              ->RevokeDevice(waiting, Revocation{RevocationReason::kUnspecified, later},
                             AuditEntry{0, later, "admin", "revoke-device", "test"})
              .ok());
  Create(*store, MakePairing(PairingKey::Slot(5), later, 600, nas));
}

// Schema 5 (renewal lineage) on a database that schema 4 filled: lineages
// are rebuilt from the requester column ("renewal:<serial>"). The device
// below was renewed twice from its first certificate under the old rules
// (A -> B, then A -> C, C newest), and B once more (B -> D): C, the branch
// the Devices page followed, becomes the head, and nothing else renews.
TEST_CASE("a schema 4 database gets its renewal lineages backfilled", "[pairing][lineage]") {
  testing::TempDir dir;
  const auto path = dir / "ca.db";
  {
    auto raw = OpenRaw(path);
    REQUIRE(MigrateTo(*raw, 4).ok());
    REQUIRE(*raw->QueryInt64("PRAGMA user_version") == 4);
    const char* rows[][3] = {{"0a", "pairing:1", "100"},  {"0b", "renewal:0a", "200"},
                             {"0c", "renewal:0a", "300"}, {"0d", "renewal:0b", "400"},
                             {"0e", "cli", "150"},        {"0f", "renewal:0e", "250"},
                             {"10", "renewal:99", "500"}};
    for (const auto& row : rows) {
      REQUIRE(raw->Execute("INSERT INTO certificates (serial_hex, subject_cn, not_before, "
                           "not_after, requester, key_type, fingerprint_sha256, der, issued_at) "
                           "VALUES (?1, 'nas.home.arpa', 1, 4000000000, ?2, 'EC P-256', ?1, "
                           "x'30', ?3)",
                           std::string(row[0]), std::string(row[1]),
                           static_cast<std::int64_t>(std::stoll(row[2])))
                  .ok());
    }
    REQUIRE(raw->Exec("INSERT INTO pairings (slot, salt, iterations, created_at, expires_at, "
                      "state, certificate_serial, created_by) "
                      "VALUES (7, x'00', 20000, 50, 650, 'paired', '0a', 'cli');"
                      "INSERT INTO pairing_names VALUES (1, 0, 'nas.home.arpa');")
                .ok());
  }
  auto store = OpenSqlite(path);
  CHECK(store->SchemaVersion() == LatestSchemaVersion());
  CHECK(store->IntegrityCheck().ok());
  auto id_of = [&](const std::string& serial) {
    auto record = store->FindBySerial(serial);
    REQUIRE(record.ok());
    return record->id;
  };
  auto standing = [&](const std::string& serial) {
    auto s = store->GetLineageStanding(id_of(serial), 0);
    INFO(serial << ": " << s.status().message());
    REQUIRE(s.ok());
    return *s;
  };
  // One lineage for the device, its head the newest branch.
  for (const char* serial : {"0a", "0b", "0c", "0d"}) {
    CHECK(standing(serial).lineage_id == id_of("0a"));
    CHECK(standing(serial).head_id == id_of("0c"));
  }
  CHECK(standing("0a").successor_serial == "0c");
  CHECK(standing("0b").successor_serial == "0d");
  CHECK(standing("0a").renewals_since == 3);
  CHECK_FALSE(standing("0a").ended_at.has_value());
  // A certificate the CLI issued, renewed once, is a lineage of its own; a
  // renewal whose predecessor is not on record starts one.
  CHECK(standing("0f").lineage_id == id_of("0e"));
  CHECK(standing("0e").head_id == id_of("0f"));
  CHECK(standing("10").head_id == id_of("10"));

  auto devices = store->ListDevices();
  REQUIRE(devices.ok());
  REQUIRE(devices->size() == 1);
  REQUIRE(devices->front().current.has_value());
  CHECK(devices->front().current->serial_hex == "0c");
  CHECK(devices->front().renewals == 3);
  CHECK(devices->front().last_renewal == 400);
  CHECK(devices->front().paired_at == 100);

  // Only the head renews; an old branch is refused inside the write.
  const AuditEntry audit{0, kNow, "renewal", "issue", "test"};
  CertificateRecord from_branch = MakeRecord("20", kNow);
  CHECK(store->InsertIssued(from_branch, audit, std::nullopt, id_of("0d")).status().code() ==
        ErrorCode::kPermissionDenied);
  CHECK(store->InsertIssued(from_branch, audit, std::nullopt, id_of("0a")).status().code() ==
        ErrorCode::kPermissionDenied);
  CHECK(store->FindBySerial("20").status().IsNotFound());
  REQUIRE(store->InsertIssued(from_branch, audit, std::nullopt, id_of("0c")).ok());
  CHECK(standing("0a").head_id == id_of("20"));
  // A second successor of one certificate is refused by the store itself.
  CHECK_FALSE(OpenRaw(path)
                  ->Execute("UPDATE certificates SET predecessor_id = ?1 WHERE serial_hex = '0e'",
                            id_of("0c"))
                  .ok());
}

// The store's own guarantee, below the enrollment service's check: of many
// concurrent renewals from one certificate, exactly one is stored.
TEST_CASE("concurrent renewals from one certificate store exactly one", "[pairing][lineage]") {
  testing::TempDir dir;
  auto store = OpenSqlite(dir / "ca.db");
  const AuditEntry audit{0, kNow, "renewal", "issue", "test"};
  auto first = store->InsertIssued(MakeRecord("01", kNow), audit);
  REQUIRE(first.ok());
  constexpr int kThreads = 8;
  std::vector<CertificateRecord> records;
  for (int i = 0; i < kThreads; ++i) records.push_back(MakeRecord("1" + std::to_string(i), kNow));
  std::vector<Status> results(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      results[i] = store->InsertIssued(records[i], audit, std::nullopt, *first).status();
    });
  }
  for (std::thread& t : threads) t.join();
  int stored = 0;
  for (const Status& r : results) {
    INFO(r.message());
    CHECK((r.ok() || r.code() == ErrorCode::kPermissionDenied));
    stored += r.ok() ? 1 : 0;
  }
  CHECK(stored == 1);
  CHECK(*store->Count({}) == 2);
  auto standing = store->GetLineageStanding(*first, 0);
  REQUIRE(standing.ok());
  CHECK(standing->head_id != *first);
  CHECK(standing->renewals_since == 1);
}

}  // namespace
}  // namespace homeca::ca

namespace homeca::ca {
namespace {

// The pairing's KDF has its own column (schema 5): the salt column holds the
// bare salt, a row without a KDF reads as PBKDF2, and a string that is not
// short printable ASCII is refused before anything is stored.
TEST_CASE("a pairing's KDF is stored in its own column, apart from the salt", "[pairing][store]") {
  testing::TempDir dir;
  const auto path = dir / "ca.db";
  auto store = OpenSqlite(path);

  NewPairing scrypt = MakePairing(PairingKey::Slot(7));
  scrypt.kdf = "scrypt$15$8$1";
  Create(*store, scrypt);
  auto found = store->FindArmedPairing(PairingKey::Slot(7), kNow);
  REQUIRE(found.ok());
  CHECK(found->kdf == "scrypt$15$8$1");
  CHECK(found->salt == scrypt.salt);
  CHECK(*OpenRaw(path)->QueryInt64("SELECT count(*) FROM pairings WHERE kdf = 'scrypt$15$8$1' "
                                   "AND length(salt) = 16") == 1);

  Create(*store, MakePairing(PairingKey::Slot(8)));
  auto bare = store->FindArmedPairing(PairingKey::Slot(8), kNow);
  REQUIRE(bare.ok());
  CHECK(bare->kdf.empty());
  CHECK(*OpenRaw(path)->QueryInt64("SELECT count(*) FROM pairings WHERE kdf IS NULL") == 1);

  for (const std::string& bad : {std::string("scrypt$15\n$8$1"), std::string(65, 'a')}) {
    NewPairing hostile = MakePairing(PairingKey::Slot(9));
    hostile.kdf = bad;
    CHECK(store->CreatePairing(hostile).status().IsInvalidArgument());
  }
  CHECK(*OpenRaw(path)->QueryInt64("SELECT count(*) FROM pairings") == 2);
}

}  // namespace
}  // namespace homeca::ca
