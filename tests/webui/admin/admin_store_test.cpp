// What the web UI keeps in the store: API tokens (hash only), the admin
// password, the default lifetime, and devices followed through renewals.
// A real CA in a temporary directory on a fake clock.
#include <catch2/catch.hpp>
#include <ctime>

#include "ca/admin_password.h"
#include "ca/authority.h"
#include "ca/device_record.h"
#include "enroll/pairing_admin.h"
#include "tests/support/csr_factory.h"
#include "tests/support/process.h"
#include "webui/admin/admin_views.h"
#include "webui/api/api_token_auth.h"
#include "webui/http/secret_tokens.h"

namespace homeca::webui {
namespace {

struct Fixture {
  Fixture() : clock(static_cast<std::int64_t>(std::time(nullptr))) {
    auto created = ca::Authority::Init(dir / "ca", ca::InitOptions{}, clock);
    INFO(created.status().message());
    REQUIRE(created.ok());
    authority = std::move(*created);
  }
  std::string AuditText() {
    auto entries = authority->audit_log().ListAudit(1000, 0);
    REQUIRE(entries.ok());
    std::string out;
    for (const auto& e : *entries) out += e.actor + "|" + e.action + "|" + e.detail + "\n";
    return out;
  }
  ca::IssuedCertificate Issue(std::vector<std::string> names, const std::string& requester,
                              std::optional<std::int64_t> pairing = std::nullopt,
                              std::optional<std::int64_t> renews = std::nullopt) {
    ossl::Pkey key = testing::MakeEcKey();
    ca::IssueRequest request{testing::MakeCsrPem(key.get()), std::move(names), 0, requester,
                             pairing};
    request.renews = renews;
    auto issued = authority->Issue(request);
    INFO(issued.status().message());
    REQUIRE(issued.ok());
    return *issued;
  }
  testing::TempDir dir;
  ca::FakeClock clock;
  std::unique_ptr<ca::Authority> authority;
};

TEST_CASE("API tokens: only the hash is stored, revoked tokens stop working") {
  Fixture f;
  auto minted = CreateApiToken(f.authority->admin(), "  home automation  ", f.clock.Now(), "admin");
  REQUIRE(minted.ok());
  CHECK(minted->token.rfind("hca_", 0) == 0);
  CHECK(minted->token.size() == 4 + 43);
  const std::string db = testing::ReadText(f.authority->data_dir().database()) +
                         testing::ReadText(f.authority->data_dir().database().string() + "-wal");
  CHECK(db.find(minted->token) == std::string::npos);
  CHECK(db.find(minted->token.substr(4)) == std::string::npos);

  auto ok = AuthenticateBearer(f.authority->admin(), "Bearer " + minted->token);
  REQUIRE(ok.ok());
  CHECK(ok->label == "home automation");
  CHECK(ok->id == minted->id);

  for (const std::string& bad :
       {std::string(), std::string("Basic abc"), std::string("Bearer "),
        "Bearer " + minted->token + "x", "Bearer hca_" + NewRandomToken()}) {
    INFO(bad);
    auto refused = AuthenticateBearer(f.authority->admin(), bad);
    CHECK(refused.status().code() == ErrorCode::kPermissionDenied);
  }

  REQUIRE(f.authority->admin().RevokeApiToken(minted->id, f.clock.Now(), "admin").ok());
  CHECK(f.authority->admin()
            .RevokeApiToken(minted->id, f.clock.Now(), "admin")
            .IsFailedPrecondition());
  CHECK(f.authority->admin().RevokeApiToken(999, f.clock.Now(), "admin").IsNotFound());
  CHECK(AuthenticateBearer(f.authority->admin(), "Bearer " + minted->token).status().code() ==
        ErrorCode::kPermissionDenied);
  auto tokens = f.authority->admin().ListApiTokens();
  REQUIRE(tokens.ok());
  REQUIRE(tokens->size() == 1);
  CHECK_FALSE((*tokens)[0].active());
  CHECK_THAT(f.AuditText(), Catch::Contains("api-token-create") &&
                                Catch::Contains("api-token-revoke") &&
                                !Catch::Contains(minted->token));
}

TEST_CASE("API tokens: labels are checked") {
  Fixture f;
  CHECK(CreateApiToken(f.authority->admin(), "   ", f.clock.Now(), "admin")
            .status()
            .IsInvalidArgument());
  CHECK(CreateApiToken(f.authority->admin(), std::string(101, 'x'), f.clock.Now(), "admin")
            .status()
            .IsInvalidArgument());
  CHECK(CreateApiToken(f.authority->admin(), "tab\there\x01", f.clock.Now(), "admin")
            .status()
            .IsInvalidArgument());
  auto tokens = f.authority->admin().ListApiTokens();
  REQUIRE(tokens.ok());
  CHECK(tokens->empty());
}

TEST_CASE("the admin password is stored as scrypt and audited") {
  Fixture f;
  ca::AdminStore& store = f.authority->admin();
  CHECK_FALSE(*ca::CheckAdminPassword(store, "anything at all"));
  CHECK(ca::SetAdminPassword(store, "short", f.clock.Now(), "cli").IsInvalidArgument());
  REQUIRE(ca::SetAdminPassword(store, "a long enough password", f.clock.Now(), "cli").ok());
  auto record = ca::AdminPasswordRecord(store);
  REQUIRE(record.ok());
  REQUIRE(record->has_value());
  CHECK((*record)->rfind("scrypt$", 0) == 0);
  CHECK(*ca::CheckAdminPassword(store, "a long enough password"));
  CHECK_FALSE(*ca::CheckAdminPassword(store, "a long enough passwor"));
  CHECK_THAT(f.AuditText(),
             Catch::Contains("cli|admin-password|") && !Catch::Contains("a long enough password"));
}

TEST_CASE("the default lifetime can be changed safely and persists") {
  Fixture f;
  CHECK(f.authority->SetDefaultLeafDays(0, "admin").IsInvalidArgument());
  CHECK(f.authority->SetDefaultLeafDays(826, "admin").IsInvalidArgument());
  REQUIRE(f.authority->SetDefaultLeafDays(30, "admin").ok());
  CHECK(f.authority->default_leaf_days() == 30);
  auto issued = f.Issue({"lamp"}, "cli");
  CHECK(issued.record.not_after - issued.record.not_before > 29 * 86400);
  CHECK(issued.record.not_after - issued.record.not_before < 31 * 86400);
  auto reopened = ca::Authority::Open(f.dir / "ca", f.clock);
  REQUIRE(reopened.ok());
  CHECK((*reopened)->default_leaf_days() == 30);
  CHECK_THAT(f.AuditText(), Catch::Contains("default certificate lifetime set to 30 days"));
}

TEST_CASE("a device is its pairing plus the head of its renewal lineage") {
  Fixture f;
  auto pairing = enroll::CreateCodePairing(*f.authority, {"nas"}, 600, "admin");
  REQUIRE(pairing.ok());
  auto devices = f.authority->pairings().ListDevices();
  REQUIRE(devices.ok());
  CHECK(devices->empty());  // waiting, not yet a device

  auto first = f.Issue({"nas"}, "pairing:" + std::to_string(pairing->id), pairing->id);
  f.clock.Advance(3600);
  auto second =
      f.Issue({"nas"}, "renewal:" + first.record.serial_hex, std::nullopt, first.record.id);
  f.clock.Advance(3600);
  auto third =
      f.Issue({"nas"}, "renewal:" + second.record.serial_hex, std::nullopt, second.record.id);
  f.Issue({"other"}, "cli");  // not a device

  devices = f.authority->pairings().ListDevices();
  REQUIRE(devices.ok());
  REQUIRE(devices->size() == 1);
  const ca::DeviceRecord& d = (*devices)[0];
  CHECK(d.pairing.names == std::vector<std::string>{"nas.home.arpa", "nas.local"});
  REQUIRE(d.current.has_value());
  CHECK(d.current->serial_hex == third.record.serial_hex);
  CHECK(d.renewals == 2);
  CHECK(d.paired_at == first.record.issued_at);
  CHECK(d.last_renewal == third.record.issued_at);
  CHECK(DeviceStatus(d, f.clock.Now()) == "valid");
  CHECK(DeviceStatus(d, d.current->not_before + (d.current->not_after - d.current->not_before) * 3 /
                                                    4) == "renewal due");
  CHECK(DeviceStatus(d, d.current->not_after) == "expired");
  CHECK(*f.authority->pairings().CountPairings(ca::PairingState::kPaired) == 1);

  REQUIRE(
      f.authority->Revoke(third.record.serial_hex, ca::RevocationReason::kKeyCompromise, "admin")
          .ok());
  devices = f.authority->pairings().ListDevices();
  REQUIRE(devices.ok());
  CHECK(DeviceStatus((*devices)[0], f.clock.Now()) == "revoked");

  auto summary = f.authority->pairings().GetPairing(pairing->id, f.clock.Now());
  REQUIRE(summary.ok());
  CHECK(PairingStatusName(summary->state) == "paired");
  CHECK(summary->certificate_serial == first.record.serial_hex);
  CHECK(f.authority->pairings().GetPairing(999, f.clock.Now()).status().IsNotFound());
}

TEST_CASE("a waiting pairing reads expired once its time is up") {
  Fixture f;
  auto pairing = enroll::CreateCodePairing(*f.authority, {"tv"}, 60, "admin");
  REQUIRE(pairing.ok());
  auto waiting = f.authority->pairings().GetPairing(pairing->id, f.clock.Now());
  REQUIRE(waiting.ok());
  CHECK(PairingStatusName(waiting->state) == "waiting");
  auto later = f.authority->pairings().GetPairing(pairing->id, f.clock.Now() + 61);
  REQUIRE(later.ok());
  CHECK(PairingStatusName(later->state) == "expired");
}

TEST_CASE("certificate pages: filter, search and paging") {
  Fixture f;
  for (int i = 0; i < 7; ++i) f.Issue({"host" + std::to_string(i)}, "cli");
  auto revoked = f.Issue({"gone"}, "cli");
  REQUIRE(
      f.authority->Revoke(revoked.record.serial_hex, ca::RevocationReason::kUnspecified, "t").ok());
  auto all = LoadCertificates(*f.authority, "", "", 1, 5);
  REQUIRE(all.ok());
  CHECK(all->total == 8);
  CHECK(all->rows.size() == 5);
  auto page2 = LoadCertificates(*f.authority, "", "", 2, 5);
  REQUIRE(page2.ok());
  CHECK(page2->rows.size() == 3);
  auto only_revoked = LoadCertificates(*f.authority, "", "revoked", 1, 5);
  REQUIRE(only_revoked.ok());
  REQUIRE(only_revoked->rows.size() == 1);
  CHECK(only_revoked->rows[0].serial == revoked.record.serial_hex);
  auto search = LoadCertificates(*f.authority, "host3", "", 1, 5);
  REQUIRE(search.ok());
  REQUIRE(search->total == 1);
  CHECK(search->rows[0].names == "host3.home.arpa");
  CHECK(LoadCertificates(*f.authority, "", "bogus", 1, 5).status().IsInvalidArgument());
}

}  // namespace
}  // namespace homeca::webui
