#include <stdlib.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <iterator>
#include <thread>

#include "ca/store/sqlite/sqlite.h"
#include "ca/store/sqlite/sqlite_store.h"
#include "ca/store/sqlite/store_migrations.h"

namespace homeca::ca {
namespace {

namespace fs = std::filesystem;

Status StatusOf(const Status& s) { return s; }
template <typename T>
Status StatusOf(const Result<T>& r) {
  return r.status();
}

#define REQUIRE_OK(expr)                                              \
  do {                                                                \
    const ::homeca::Status ok_status_ = StatusOf(expr);               \
    INFO(ok_status_.message() << " [" << ok_status_.detail() << "]"); \
    REQUIRE(ok_status_.ok());                                         \
  } while (false)

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "homeca-store-XXXXXX").string();
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  fs::path operator/(const char* name) const { return path_ / name; }

 private:
  fs::path path_;
};

std::unique_ptr<SqliteStore> OpenSqlite(const fs::path& path) {
  Result<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(path);
  REQUIRE_OK(store);
  return std::move(*store);
}

std::unique_ptr<SqliteDatabase> OpenRaw(const fs::path& path, SqliteDatabase::Access access) {
  Result<std::unique_ptr<SqliteDatabase>> db = SqliteDatabase::Open(path, access);
  REQUIRE_OK(db);
  return std::move(*db);
}

CertificateRecord MakeRecord(const std::string& serial, std::vector<std::string> names,
                             std::int64_t issued_at, std::int64_t not_after) {
  CertificateRecord r;
  r.serial_hex = serial;
  r.subject_cn = names.empty() ? "device" : names.front();
  r.names = std::move(names);
  r.not_before = issued_at - 60;
  r.not_after = not_after;
  r.requester = "cli:root";
  r.key_type = "EC P-256";
  r.fingerprint_sha256 = HexEncode(RandomBytes(32));
  r.der = RandomBytes(300);
  r.issued_at = issued_at;
  return r;
}

AuditEntry Audit(const std::string& action, const std::string& detail) {
  return AuditEntry{0, 1000, "cli", action, detail};
}

std::int64_t Insert(SqliteStore& store, const CertificateRecord& r) {
  Result<std::int64_t> id = store.InsertIssued(r, Audit("issue", "issued " + r.serial_hex));
  REQUIRE_OK(id);
  return *id;
}

CertificateFilter Page(int limit, int offset) {
  CertificateFilter filter;
  filter.limit = limit;
  filter.offset = offset;
  return filter;
}

std::vector<std::string> Serials(const std::vector<CertificateRecord>& records) {
  std::vector<std::string> out;
  for (const CertificateRecord& r : records) out.push_back(r.serial_hex);
  return out;
}

// Also checks that Count agrees with List (for filters that fit one page).
std::vector<std::string> ListSerials(SqliteStore& store, const CertificateFilter& filter) {
  Result<std::vector<CertificateRecord>> list = store.List(filter);
  REQUIRE_OK(list);
  Result<std::int64_t> count = store.Count(filter);
  REQUIRE_OK(count);
  CHECK(*count == static_cast<std::int64_t>(list->size()));
  return Serials(*list);
}

void CheckSameRecord(const CertificateRecord& a, const CertificateRecord& b) {
  CHECK(a.id == b.id);
  CHECK(a.serial_hex == b.serial_hex);
  CHECK(a.subject_cn == b.subject_cn);
  CHECK(a.names == b.names);
  CHECK(a.not_before == b.not_before);
  CHECK(a.not_after == b.not_after);
  CHECK(a.requester == b.requester);
  CHECK(a.key_type == b.key_type);
  CHECK(a.fingerprint_sha256 == b.fingerprint_sha256);
  CHECK(a.der == b.der);
  CHECK(a.issued_at == b.issued_at);
  REQUIRE(a.revocation.has_value() == b.revocation.has_value());
  if (a.revocation) {
    CHECK(a.revocation->reason == b.revocation->reason);
    CHECK(a.revocation->revoked_at == b.revocation->revoked_at);
  }
}

std::size_t AuditCount(SqliteStore& store) {
  Result<std::vector<AuditEntry>> audit = store.ListAudit(1000, 0);
  REQUIRE_OK(audit);
  return audit->size();
}

mode_t FileMode(const fs::path& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

void Overwrite(const fs::path& path, std::streamoff offset, const std::string& bytes) {
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  REQUIRE(f);
  f.seekp(offset);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  REQUIRE(f);
}

std::string ReadBytes(const fs::path& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

TEST_CASE("Open creates a 0600 WAL database at the latest schema", "[store]") {
  TempDir dir;
  const fs::path path = dir / "ca.db";
  // Even a permissive umask must not widen the database's mode.
  const mode_t old_umask = ::umask(0);
  auto store = OpenSqlite(path);
  Insert(*store, MakeRecord("01", {"nas.home.arpa"}, 100, 200));
  ::umask(old_umask);

  CHECK(FileMode(path) == 0600);
  CHECK(FileMode(path.string() + "-wal") == 0600);
  CHECK(store->SchemaVersion() == LatestSchemaVersion());
  auto raw = OpenRaw(path, SqliteDatabase::Access::kReadOnly);
  CHECK(*raw->QueryText("PRAGMA journal_mode") == "wal");
  CHECK(*raw->QueryInt64("PRAGMA user_version") == LatestSchemaVersion());
  REQUIRE_OK(store->IntegrityCheck());
}

TEST_CASE("Reopening a store is idempotent", "[store]") {
  TempDir dir;
  const fs::path path = dir / "ca.db";
  Insert(*OpenSqlite(path), MakeRecord("0a", {"nas.home.arpa"}, 100, 200));
  auto store = OpenSqlite(path);
  CHECK(store->SchemaVersion() == LatestSchemaVersion());
  CHECK(*store->Count({}) == 1);
  CHECK(AuditCount(*store) == 1);
}

TEST_CASE("A database from a newer homeca is refused", "[store]") {
  TempDir dir;
  const fs::path path = dir / "ca.db";
  OpenSqlite(path);
  REQUIRE_OK(OpenRaw(path, SqliteDatabase::Access::kReadWrite)->Exec("PRAGMA user_version = 99"));
  Result<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(path);
  REQUIRE_FALSE(store.ok());
  CHECK_THAT(store.status().message(),
             Catch::Contains("database schema 99 is newer than this homeca supports (" +
                             std::to_string(LatestSchemaVersion()) + ")"));
}

TEST_CASE("InsertIssued and FindBySerial round trip every field", "[store]") {
  TempDir dir;
  auto store = OpenSqlite(dir / "ca.db");
  CertificateRecord record =
      MakeRecord("00ff10", {"zeta.home.arpa", "alpha.home.arpa", "192.168.1.10"}, 1000, 5000);
  record.subject_cn = "Living Room TV";
  record.requester = "device:tv";
  record.id = Insert(*store, record);

  Result<CertificateRecord> found = store->FindBySerial("00FF10");  // hex in any case
  REQUIRE_OK(found);
  CheckSameRecord(*found, record);
  CHECK(std::string(ToString(StateAt(*found, 4999))) == "valid");
  CHECK(std::string(ToString(StateAt(*found, 5000))) == "expired");
  CHECK(store->FindBySerial("beef").status().IsNotFound());
}

TEST_CASE("A duplicate serial is refused and leaves nothing behind", "[store]") {
  TempDir dir;
  auto store = OpenSqlite(dir / "ca.db");
  const CertificateRecord first = MakeRecord("abcd", {"a.home.arpa"}, 100, 200);
  Insert(*store, first);
  CertificateRecord second = MakeRecord("abcd", {"b.home.arpa", "c.home.arpa"}, 150, 300);

  Result<std::int64_t> dup = store->InsertIssued(second, Audit("issue", "again"));
  CHECK(dup.status().IsAlreadyExists());
  CHECK(*store->Count({}) == 1);
  CHECK(AuditCount(*store) == 1);
  CHECK(store->FindBySerial("abcd")->names == first.names);

  second.serial_hex = "ABCD";  // the store keeps serials lower-case
  CHECK(store->InsertIssued(second, Audit("issue", "x")).status().IsInvalidArgument());
  CHECK(AuditCount(*store) == 1);
}

TEST_CASE("Revoke refuses unknown and already revoked certificates", "[store]") {
  TempDir dir;
  auto store = OpenSqlite(dir / "ca.db");
  Insert(*store, MakeRecord("01", {"a.home.arpa"}, 100, 20000));
  const Revocation revocation{RevocationReason::kKeyCompromise, 1234};

  CHECK(store->Revoke("02", revocation, Audit("revoke", "02")).IsNotFound());
  REQUIRE_OK(store->Revoke("01", revocation, Audit("revoke", "01")));
  CHECK(store->Revoke("01", revocation, Audit("revoke", "01")).IsAlreadyExists());
  CHECK(store->Revoke("01", {static_cast<RevocationReason>(7), 1}, Audit("revoke", "01"))
            .IsInvalidArgument());

  Result<CertificateRecord> found = store->FindBySerial("01");
  REQUIRE_OK(found);
  REQUIRE(found->revocation.has_value());
  CHECK(found->revocation->reason == RevocationReason::kKeyCompromise);
  CHECK(found->revocation->revoked_at == 1234);
  CHECK(std::string(ToString(StateAt(*found, 0))) == "revoked");
  Result<std::vector<AuditEntry>> audit = store->ListAudit(10, 0);
  REQUIRE(audit->size() == 2);
  CHECK(audit->front().action == "revoke");  // newest first
}

TEST_CASE("List and Count filter by state at a given time", "[store]") {
  TempDir dir;
  auto store = OpenSqlite(dir / "ca.db");
  const Revocation revocation{RevocationReason::kSuperseded, 900};
  Insert(*store, MakeRecord("0a", {"a"}, 100, 20000));  // valid
  Insert(*store, MakeRecord("0b", {"b"}, 200, 5000));   // expired at 10000
  Insert(*store, MakeRecord("0c", {"c"}, 300, 20000));  // revoked
  Insert(*store, MakeRecord("0d", {"d"}, 400, 5000));   // revoked, then expired
  Insert(*store, MakeRecord("0e", {"e"}, 500, 10000));  // expires exactly at 10000
  REQUIRE_OK(store->Revoke("0c", revocation, Audit("revoke", "0c")));
  REQUIRE_OK(store->Revoke("0d", revocation, Audit("revoke", "0d")));

  CertificateFilter filter;
  filter.now = 10000;
  using V = std::vector<std::string>;
  CHECK(ListSerials(*store, filter) == V{"0e", "0d", "0c", "0b", "0a"});
  filter.state = CertificateState::kValid;
  CHECK(ListSerials(*store, filter) == V{"0a"});
  filter.state = CertificateState::kExpired;
  CHECK(ListSerials(*store, filter) == V{"0e", "0b"});
  filter.state = CertificateState::kRevoked;
  CHECK(ListSerials(*store, filter) == V{"0d", "0c"});
  filter.now = 4000;
  filter.state = CertificateState::kValid;
  CHECK(ListSerials(*store, filter) == V{"0e", "0b", "0a"});

  Result<std::vector<RevokedSerial>> crl = store->ListRevokedUnexpired(10000);
  REQUIRE_OK(crl);
  REQUIRE(crl->size() == 1);
  CHECK(crl->front().serial_hex == "0c");
  CHECK(crl->front().revocation.reason == RevocationReason::kSuperseded);
}

TEST_CASE("Name search matches SANs and the CN literally, ignoring case", "[store]") {
  TempDir dir;
  auto store = OpenSqlite(dir / "ca.db");
  Insert(*store, MakeRecord("01", {"Printer.home.arpa", "10.0.0.7"}, 100, 20000));
  Insert(*store, MakeRecord("02", {"100%_done.home.arpa"}, 200, 20000));
  Insert(*store, MakeRecord("03", {"100x.home.arpa", "axb"}, 300, 20000));
  CertificateRecord tv = MakeRecord("04", {"tv.home.arpa"}, 400, 5000);
  tv.subject_cn = "Living Room TV";
  Insert(*store, tv);

  CertificateFilter filter;
  filter.now = 10000;
  using V = std::vector<std::string>;
  auto search = [&](const std::string& text) {
    filter.name_contains = text;
    return ListSerials(*store, filter);
  };
  CHECK(search("home.arpa") == V{"04", "03", "02", "01"});
  CHECK(search("PRINTER") == V{"01"});
  CHECK(search("10.0.0") == V{"01"});
  CHECK(search("%") == V{"02"});
  CHECK(search("_") == V{"02"});
  CHECK(search("0%_d") == V{"02"});
  CHECK(search("a_b") == V{});
  CHECK(search("\\") == V{});
  CHECK(search("living room") == V{"04"});
  filter.state = CertificateState::kExpired;
  CHECK(search("home") == V{"04"});
  filter.name_contains = std::string(300, 'a');
  CHECK(store->List(filter).status().IsInvalidArgument());
}

TEST_CASE("List pages newest first and clamps its limit", "[store]") {
  TempDir dir;
  auto store = OpenSqlite(dir / "ca.db");
  // Pairs share an issued_at, so the id breaks the tie.
  for (int i = 0; i < 25; ++i) {
    Insert(*store,
           MakeRecord(HexEncode(ToBytes(std::to_string(100 + i))), {"n"}, 1000 + i / 2, 20000));
  }
  CertificateFilter filter;
  filter.limit = 10;
  Result<std::vector<CertificateRecord>> all = store->List(Page(1000, 0));
  REQUIRE_OK(all);
  REQUIRE(all->size() == 25);
  for (std::size_t i = 1; i < all->size(); ++i) {
    const CertificateRecord& prev = (*all)[i - 1];
    const CertificateRecord& cur = (*all)[i];
    CHECK(
        (prev.issued_at > cur.issued_at || (prev.issued_at == cur.issued_at && prev.id > cur.id)));
  }
  std::vector<std::string> paged;
  for (filter.offset = 0; filter.offset < 30; filter.offset += 10) {
    Result<std::vector<CertificateRecord>> page = store->List(filter);
    REQUIRE_OK(page);
    CHECK(page->size() == (filter.offset < 20 ? 10u : 5u));
    for (const std::string& serial : Serials(*page)) paged.push_back(serial);
  }
  CHECK(paged == Serials(*all));
  CHECK(*store->Count(filter) == 25);  // ignores limit and offset
  CHECK(store->List(Page(0, 0))->size() == 1);
  CHECK(store->List(Page(5000, 0))->size() == 25);
  CHECK(store->List(Page(10, -1)).status().IsInvalidArgument());
  CHECK(store->ListAudit(10, -1).status().IsInvalidArgument());
}

TEST_CASE("The audit log is append-only, even for another connection", "[store]") {
  TempDir dir;
  const fs::path path = dir / "ca.db";
  auto store = OpenSqlite(path);
  REQUIRE_OK(store->AppendAudit(Audit("init", "created the CA")));
  REQUIRE_OK(store->AppendAudit(Audit("crl", "published CRL 1")));

  auto raw = OpenRaw(path, SqliteDatabase::Access::kReadWrite);
  Status update = raw->Exec("UPDATE audit_log SET actor = 'mallory'");
  CHECK_FALSE(update.ok());
  CHECK_THAT(update.detail(), Catch::Contains("audit log is append-only"));
  Status remove = raw->Exec("DELETE FROM audit_log");
  CHECK_FALSE(remove.ok());
  CHECK_THAT(remove.detail(), Catch::Contains("audit log is append-only"));

  Result<std::vector<AuditEntry>> audit = store->ListAudit(10, 0);
  REQUIRE_OK(audit);
  REQUIRE(audit->size() == 2);
  CHECK(audit->at(0).action == "crl");
  CHECK(audit->at(1).actor == "cli");
  CHECK(audit->at(1).detail == "created the CA");
}

TEST_CASE("The CRL number increments durably across reopen", "[store]") {
  TempDir dir;
  const fs::path path = dir / "ca.db";
  {
    auto store = OpenSqlite(path);
    CHECK(*store->NextCrlNumber() == 1);
    CHECK(*store->NextCrlNumber() == 2);
  }
  CHECK(*OpenSqlite(path)->NextCrlNumber() == 3);
}

TEST_CASE("Settings round trip", "[store]") {
  TempDir dir;
  const fs::path path = dir / "ca.db";
  {
    auto store = OpenSqlite(path);
    Result<std::optional<std::string>> missing = store->GetSetting("ca.name");
    REQUIRE_OK(missing);
    CHECK_FALSE(missing->has_value());
    REQUIRE_OK(store->SetSetting("ca.name", "Home CA"));
    REQUIRE_OK(store->SetSetting("ca.name", "Home CA 'two'"));
    CHECK(store->SetSetting("", "x").IsInvalidArgument());
  }
  CHECK(OpenSqlite(path)->GetSetting("ca.name")->value() == "Home CA 'two'");
}

TEST_CASE("Concurrent writers through one store and through two connections", "[store]") {
  TempDir dir;
  const fs::path path = dir / "ca.db";
  auto first = OpenSqlite(path);
  auto second = OpenSqlite(path);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      SqliteStore& store = t % 2 == 0 ? *first : *second;
      for (int i = 0; i < 20; ++i) {
        const std::string serial = HexEncode(ToBytes(std::to_string(t * 100 + i)));
        CertificateRecord r = MakeRecord(serial, {"n"}, 100, 200);
        if (!store.InsertIssued(r, Audit("issue", serial)).ok()) return;
        if (!store.NextCrlNumber().ok()) return;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  CHECK(*first->Count({}) == 80);
  CHECK(*second->NextCrlNumber() == 81);
}

// A store with one of everything a backup must carry.
std::unique_ptr<SqliteStore> FilledStore(const fs::path& path) {
  auto store = OpenSqlite(path);
  Insert(*store, MakeRecord("01", {"nas.home.arpa", "10.0.0.2"}, 100, 20000));
  Insert(*store, MakeRecord("02", {"tv.home.arpa"}, 200, 20000));
  REQUIRE_OK(
      store->Revoke("02", {RevocationReason::kCessationOfOperation, 300}, Audit("revoke", "02")));
  REQUIRE_OK(store->SetSetting("ca.name", "Home CA"));
  REQUIRE_OK(store->NextCrlNumber());
  return store;
}

TEST_CASE("Backup and restore carry every record into a fresh store", "[store][backup]") {
  TempDir dir;
  auto original = FilledStore(dir / "ca.db");
  const fs::path backup = dir / "backup.db";
  REQUIRE_OK(original->BackupTo(backup));
  CHECK(FileMode(backup) == 0600);
  // Rollback-journal format (header bytes 18-19 are 1, not WAL's 2): the file
  // stands alone without a -wal beside it.
  const std::string header = ReadBytes(backup).substr(0, 20);
  CHECK(header.substr(0, 16) == std::string("SQLite format 3\0", 16));
  CHECK(header[18] == 1);
  CHECK(header[19] == 1);
  CHECK_FALSE(fs::exists(backup.string() + "-wal"));
  CHECK(original->BackupTo(backup).IsAlreadyExists());

  auto restored = OpenSqlite(dir / "other.db");
  Insert(*restored, MakeRecord("ff", {"gone.home.arpa"}, 50, 20000));
  REQUIRE_OK(restored->RestoreFrom(backup));
  REQUIRE_OK(restored->IntegrityCheck());
  CHECK(restored->SchemaVersion() == LatestSchemaVersion());

  const std::vector<CertificateRecord> want = *original->List({});
  const std::vector<CertificateRecord> got = *restored->List({});
  REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < want.size(); ++i) CheckSameRecord(got[i], want[i]);
  CHECK(restored->FindBySerial("ff").status().IsNotFound());
  CHECK(restored->GetSetting("ca.name")->value() == "Home CA");
  CHECK(*restored->NextCrlNumber() == 2);
  CHECK(AuditCount(*restored) == AuditCount(*original));
}

TEST_CASE("Restore refuses bad sources and leaves the live store unchanged", "[store][backup]") {
  TempDir dir;
  const fs::path live_path = dir / "ca.db";
  auto live = FilledStore(live_path);
  const fs::path good = dir / "good.db";
  REQUIRE_OK(live->BackupTo(good));

  const fs::path garbage = dir / "garbage.db";
  std::ofstream(garbage, std::ios::binary) << std::string(8192, 'x');
  const fs::path corrupt = dir / "corrupt.db";
  fs::copy_file(good, corrupt);
  Overwrite(corrupt, 4096, std::string(4096, '\xa5'));  // page 2 onwards
  const fs::path foreign = dir / "foreign.db";
  REQUIRE_OK(OpenRaw(foreign, SqliteDatabase::Access::kReadWrite)->Exec("CREATE TABLE t (x)"));
  const fs::path newer = dir / "newer.db";
  fs::copy_file(good, newer);
  REQUIRE_OK(OpenRaw(newer, SqliteDatabase::Access::kReadWrite)->Exec("PRAGMA user_version = 9"));

  const std::vector<CertificateRecord> before = *live->List({});
  for (const fs::path& source : {garbage, corrupt, foreign, newer, dir / "missing.db", live_path}) {
    INFO(source.filename());
    Status s = live->RestoreFrom(source);
    CHECK_FALSE(s.ok());
    if (source != dir / "missing.db") CHECK(s.IsInvalidArgument());
    if (source == newer) CHECK_THAT(s.message(), Catch::Contains("newer than this homeca"));
  }
  const std::vector<CertificateRecord> after = *live->List({});
  REQUIRE(after.size() == before.size());
  for (std::size_t i = 0; i < before.size(); ++i) CheckSameRecord(after[i], before[i]);
  REQUIRE_OK(live->IntegrityCheck());
  REQUIRE_OK(live->RestoreFrom(good));
}

TEST_CASE("A transaction rolls back unless committed", "[store][sqlite]") {
  TempDir dir;
  auto db = OpenRaw(dir / "t.db", SqliteDatabase::Access::kReadWrite);
  REQUIRE_OK(db->Exec("CREATE TABLE t (v TEXT)"));
  {
    SqliteTransaction txn(*db);
    REQUIRE_OK(txn.Begin());
    REQUIRE_OK(db->Execute("INSERT INTO t (v) VALUES (?1)", "dropped"));
  }
  {
    SqliteTransaction txn(*db);
    REQUIRE_OK(txn.Begin());
    REQUIRE_OK(db->Execute("INSERT INTO t (v) VALUES (?1)", "it's kept"));
    REQUIRE_OK(txn.Commit());
  }
  CHECK(*db->QueryInt64("SELECT count(*) FROM t") == 1);
  CHECK(*db->QueryText("SELECT v FROM t") == "it's kept");
  CHECK_FALSE(SqliteStatement::Prepare(*db, "SELECT 1; SELECT 2").ok());
}

TEST_CASE("A transaction durable with the next sync lowers synchronous only while it runs",
          "[store][sqlite]") {
  TempDir dir;
  auto db = OpenRaw(dir / "t.db", SqliteDatabase::Access::kReadWrite);
  REQUIRE_OK(db->Exec("CREATE TABLE t (v TEXT)"));
  constexpr std::int64_t kNormal = 1, kFull = 2;
  CHECK(*db->QueryInt64("PRAGMA synchronous") == kFull);
  {
    SqliteTransaction txn(*db, SqliteTransaction::Mode::kImmediate,
                          SqliteTransaction::Durability::kWithNextSync);
    REQUIRE_OK(txn.Begin());
    CHECK(*db->QueryInt64("PRAGMA synchronous") == kNormal);
    REQUIRE_OK(db->Execute("INSERT INTO t (v) VALUES (?1)", "kept"));
    REQUIRE_OK(txn.Commit());
    CHECK(*db->QueryInt64("PRAGMA synchronous") == kFull);
  }
  {
    SqliteTransaction txn(*db, SqliteTransaction::Mode::kImmediate,
                          SqliteTransaction::Durability::kWithNextSync);
    REQUIRE_OK(txn.Begin());
    REQUIRE_OK(db->Execute("INSERT INTO t (v) VALUES (?1)", "rolled back"));
  }
  CHECK(*db->QueryInt64("PRAGMA synchronous") == kFull);
  CHECK(*db->QueryInt64("SELECT count(*) FROM t") == 1);
}

}  // namespace
}  // namespace homeca::ca
