// The ACME server's records (schema 7, ca/acme_records.h) on a real SQLite
// store: the upgrade from schema 6, bindings that wipe their HMAC key once an
// account binds, one account per key, key changes, and orders that become
// valid only with their certificate.
#include "ca/store/acme_records.h"

#include <catch2/catch.hpp>

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

std::int64_t ArmPairing(SqliteStore& store, const std::string& device_id) {
  NewPairing p;
  p.key = PairingKey::Device(device_id);
  p.names = {device_id + ".home.arpa"};  // a name of its own: the store refuses a shared one
  p.salt = RandomBytes(16);
  p.iterations = 1000;
  p.verifier = PairingVerifier(RandomBytes(32), RandomBytes(65));
  p.created_at = kNow;
  p.expires_at = kNow + 600;
  p.created_by = "cli";
  auto id = store.CreatePairing(p);
  REQUIRE(id.ok());
  return *id;
}

NewAcmeAccount Account(const std::string& thumbprint) {
  return NewAcmeAccount{thumbprint, "{\"kty\":\"EC\"}", {"mailto:a@example.org"}, kNow};
}

int CountRows(const std::filesystem::path& path, const char* sql) {
  auto raw = SqliteDatabase::Open(path, SqliteDatabase::Access::kReadWrite);
  REQUIRE(raw.ok());
  return static_cast<int>(*(*raw)->QueryInt64(sql));
}

}  // namespace

TEST_CASE("a schema 6 database upgrades to schema 7 and keeps its pairings", "[acme]") {
  testing::TempDir dir;
  const auto path = dir / "ca.db";
  {
    auto raw = SqliteDatabase::Open(path, SqliteDatabase::Access::kReadWrite);
    REQUIRE(raw.ok());
    REQUIRE(MigrateTo(**raw, 6).ok());
    REQUIRE((*raw)
                ->Exec("INSERT INTO pairings (device_id, salt, iterations, w0, l, created_at, "
                       "expires_at, created_by) VALUES ('tv', x'00', 20000, x'01', x'02', 5, "
                       "4000000000, 'cli'); INSERT INTO pairing_names VALUES (1, 0, "
                       "'tv.home.arpa');")
                .ok());
  }
  auto store = OpenSqlite(path);
  CHECK(store->SchemaVersion() == LatestSchemaVersion());
  CHECK(store->IntegrityCheck().ok());
  CHECK(store->FindArmedPairing(PairingKey::Device("tv"), kNow)->names ==
        std::vector<std::string>{"tv.home.arpa"});
  CHECK(CountRows(path,
                  "SELECT count(*) FROM sqlite_master WHERE name IN ('acme_eab', "
                  "'acme_accounts', 'acme_orders', 'acme_authorizations')") == 4);
  // The old pairing takes a binding like a new one.
  REQUIRE(store->acme().CreateEab("kid-0123456789abcdef", 1, Bytes(32, 7), kNow, "cli").ok());
  CHECK(store->acme().FindEab("kid-0123456789abcdef")->pairing_id == 1);
}

TEST_CASE("the first account wipes the binding's HMAC key, and no second key gets it", "[acme]") {
  testing::TempDir dir;
  auto store = OpenSqlite(dir / "ca.db");
  AcmeRecords& acme = store->acme();
  const std::int64_t pairing = ArmPairing(*store, "acme:kid-0123456789abcdef");
  REQUIRE(acme.CreateEab("kid-0123456789abcdef", pairing, Bytes(32, 9), kNow, "cli").ok());
  CHECK(
      acme.CreateEab("kid-0123456789abcdef", pairing, Bytes(32, 9), kNow, "cli").IsAlreadyExists());
  CHECK(acme.FindEab("kid-0123456789abcdef")->hmac_key == Bytes(32, 9));

  auto bound = acme.BindAccount(Account("tp-one"), "kid-0123456789abcdef", kNow + 86400);
  REQUIRE(bound.ok());
  CHECK(bound->pairing_id == pairing);
  CHECK(bound->contact == std::vector<std::string>{"mailto:a@example.org"});
  auto eab = acme.FindEab("kid-0123456789abcdef");
  CHECK_FALSE(eab->hmac_key.has_value());
  CHECK(eab->used_at == kNow);
  CHECK(CountRows(dir / "ca.db", "SELECT count(*) FROM acme_eab WHERE hmac_key IS NULL") == 1);
  // The pairing now waits as long as the account may take to order.
  CHECK(store->GetPairing(pairing, kNow)->expires_at == kNow + 86400);

  CHECK(acme.BindAccount(Account("tp-two"), "kid-0123456789abcdef", kNow).status().code() ==
        ErrorCode::kPermissionDenied);
  CHECK(acme.FindAccountByThumbprint("tp-two").status().IsNotFound());
  CHECK(acme.FindAccountByThumbprint("tp-one")->id == bound->id);
  auto audit = store->ListAudit(10, 0);
  REQUIRE(audit.ok());
  CHECK(audit->front().action == "acme-account");
}

TEST_CASE("an account key changes once, never to another account's key", "[acme]") {
  testing::TempDir dir;
  auto store = OpenSqlite(dir / "ca.db");
  AcmeRecords& acme = store->acme();
  for (const char* kid : {"kid-aaaaaaaaaaaaaaaa", "kid-bbbbbbbbbbbbbbbb"}) {
    const std::int64_t pairing = ArmPairing(*store, std::string("acme:") + kid);
    REQUIRE(acme.CreateEab(kid, pairing, Bytes(32, 1), kNow, "cli").ok());
  }
  auto a = acme.BindAccount(Account("tp-a"), "kid-aaaaaaaaaaaaaaaa", kNow);
  auto b = acme.BindAccount(Account("tp-b"), "kid-bbbbbbbbbbbbbbbb", kNow);
  REQUIRE((a.ok() && b.ok()));
  CHECK(acme.ChangeAccountKey(a->id, "tp-a", "tp-b", "{}", kNow, "t").IsAlreadyExists());
  REQUIRE(acme.ChangeAccountKey(a->id, "tp-a", "tp-a2", "{\"new\":1}", kNow, "t").ok());
  CHECK(acme.FindAccount(a->id)->thumbprint == "tp-a2");
  CHECK(acme.FindAccount(a->id)->jwk == "{\"new\":1}");
  CHECK(acme.ChangeAccountKey(a->id, "tp-a", "tp-a3", "{}", kNow, "t").code() ==
        ErrorCode::kPermissionDenied);
  REQUIRE(acme.DeactivateAccount(b->id, kNow, "t").ok());
  CHECK(acme.FindAccount(b->id)->status == AcmeAccountStatus::kDeactivated);
  CHECK(acme.DeactivateAccount(b->id, kNow, "t").code() == ErrorCode::kPermissionDenied);
}

namespace {

struct BoundAccount {
  std::int64_t pairing_id;
  AcmeAccount account;
};

// A pairing armed for `key_id`, its binding, and an account bound by it.
BoundAccount BindNewAccount(SqliteStore& store, const std::string& key_id,
                            const std::string& thumbprint) {
  const std::int64_t pairing = ArmPairing(store, "acme:" + key_id);
  REQUIRE(store.acme().CreateEab(key_id, pairing, Bytes(32, 1), kNow, "cli").ok());
  auto account = store.acme().BindAccount(Account(thumbprint), key_id, kNow);
  REQUIRE(account.ok());
  return {pairing, *account};
}

AuditEntry OrderAudit() { return AuditEntry{0, kNow, "acme:account-1", "acme-order", "for test"}; }

CertificateRecord IssuedFor(const std::string& serial) {
  CertificateRecord r;
  r.serial_hex = serial;
  r.subject_cn = "nas.home.arpa";
  r.names = {"nas.home.arpa", "nas.local"};
  r.not_before = kNow - 60;
  r.not_after = kNow + 86400;
  r.requester = "acme:account-1";
  r.key_type = "EC P-256";
  r.fingerprint_sha256 = HexEncode(RandomBytes(32));
  r.der = RandomBytes(300);
  r.issued_at = kNow;
  return r;
}

}  // namespace

TEST_CASE("an order becomes valid only in the transaction that stores its certificate", "[acme]") {
  testing::TempDir dir;
  const auto path = dir / "ca.db";
  auto store = OpenSqlite(path);
  AcmeRecords& acme = store->acme();
  const auto [pairing, bound] = BindNewAccount(*store, "kid-cccccccccccccccc", "tp-c");
  const AcmeAccount* account = &bound;
  auto order =
      acme.CreateOrder(account->id, {"nas.home.arpa", "nas.local"}, kNow, kNow + 60, OrderAudit());
  REQUIRE(order.ok());
  CHECK(order->status == AcmeOrderStatus::kReady);
  REQUIRE(order->authorizations.size() == 2);
  CHECK(order->authorizations[1].name == "nas.local");
  CHECK(*acme.FindOrder(order->id) == *order);
  CHECK(CountRows(path,
                  "SELECT count(*) FROM audit_log WHERE action = 'acme-order' AND detail "
                  "LIKE 'ACME order % for test'") == 1);

  const AuditEntry issue{0, kNow, "acme:account-1", "issue", "test"};
  REQUIRE(store->InsertIssued(IssuedFor("0a01"), issue, pairing, std::nullopt, order->id).ok());
  auto valid = acme.FindOrder(order->id);
  CHECK(valid->status == AcmeOrderStatus::kValid);
  CHECK(valid->certificate_serial == "0a01");
  CHECK(acme.FindOrderByCertificate("0a01")->id == order->id);
  CHECK(CountRows(path, "SELECT count(*) FROM audit_log WHERE action = 'acme-issue'") == 1);

  // A second finalize of the same order stores nothing at all.
  auto again = store->InsertIssued(IssuedFor("0a02"), issue, std::nullopt, std::nullopt, order->id);
  CHECK(again.status().code() == ErrorCode::kFailedPrecondition);
  CHECK(again.status().reason() == kAcmeOrderNotReady);
  CHECK(store->FindBySerial("0a02").status().IsNotFound());
  CHECK(acme.FindOrder(order->id)->certificate_serial == "0a01");

  // Nor does a finalize after the order expired.
  auto stale =
      acme.CreateOrder(account->id, {"nas.home.arpa"}, kNow - 120, kNow - 60, OrderAudit());
  REQUIRE(stale.ok());
  auto late = store->InsertIssued(IssuedFor("0a03"), issue, std::nullopt, std::nullopt, stale->id);
  CHECK(late.status().code() == ErrorCode::kFailedPrecondition);
  CHECK(store->FindBySerial("0a03").status().IsNotFound());
  CHECK(acme.FindOrder(stale->id)->status == AcmeOrderStatus::kReady);
}

TEST_CASE("a deactivated authorization ends its order", "[acme]") {
  testing::TempDir dir;
  auto store = OpenSqlite(dir / "ca.db");
  AcmeRecords& acme = store->acme();
  const auto [pairing, bound] = BindNewAccount(*store, "kid-dddddddddddddddd", "tp-d");
  const AcmeAccount* account = &bound;
  auto order = acme.CreateOrder(account->id, {"nas.home.arpa"}, kNow, kNow + 60, OrderAudit());
  REQUIRE(order.ok());
  auto other = acme.CreateOrder(account->id, {"nas.home.arpa"}, kNow, kNow + 60, OrderAudit());
  REQUIRE(other.ok());
  REQUIRE(acme.DeactivateAuthorization(other->id, 0, kNow, "t").ok());
  auto ended = acme.FindOrder(other->id);
  CHECK(ended->status == AcmeOrderStatus::kInvalid);
  CHECK(ended->authorizations[0].deactivated);
  CHECK(acme.DeactivateAuthorization(other->id, 5, kNow, "t").IsNotFound());
  CHECK(*acme.ListOrderIds(account->id, 10) == std::vector<std::int64_t>{other->id, order->id});
  // An invalid order can no longer be finalized.
  auto refused = store->InsertIssued(IssuedFor("0b01"), AuditEntry{0, kNow, "t", "issue", "t"},
                                     pairing, std::nullopt, other->id);
  CHECK(refused.status().code() == ErrorCode::kFailedPrecondition);
}

TEST_CASE("an account's ready orders are counted: not invalid or expired ones", "[acme]") {
  testing::TempDir dir;
  auto store = OpenSqlite(dir / "ca.db");
  AcmeRecords& acme = store->acme();
  const AcmeAccount account = BindNewAccount(*store, "kid-dddddddddddddddd", "tp-d").account;
  CHECK(acme.CountReadyOrders(account.id, kNow)->count == 0);
  CHECK(acme.CountReadyOrders(account.id, kNow)->first_expiry == 0);
  auto later = acme.CreateOrder(account.id, {"nas.home.arpa"}, kNow, kNow + 90, OrderAudit());
  auto sooner = acme.CreateOrder(account.id, {"nas.home.arpa"}, kNow, kNow + 60, OrderAudit());
  auto ended = acme.CreateOrder(account.id, {"nas.home.arpa"}, kNow, kNow + 30, OrderAudit());
  REQUIRE((later.ok() && sooner.ok() && ended.ok()));
  REQUIRE(acme.DeactivateAuthorization(ended->id, 0, kNow, "t").ok());
  Result<AcmeReadyOrders> ready = acme.CountReadyOrders(account.id, kNow);
  REQUIRE(ready.ok());
  CHECK(ready->count == 2);
  CHECK(ready->first_expiry == kNow + 60);
  ready = acme.CountReadyOrders(account.id, kNow + 60);  // the sooner one has expired
  CHECK(ready->count == 1);
  CHECK(ready->first_expiry == kNow + 90);
  CHECK(acme.CountReadyOrders(account.id + 1, kNow)->count == 0);
}

}  // namespace homeca::ca
