// Where devices are (schema 6): which addresses count as a place a device can
// be reached at, and how the store records authenticated contact and pins.
#include "ca/device_address.h"

#include <algorithm>
#include <catch2/catch.hpp>

#include "ca/base/file_util.h"
#include "ca/device_record.h"
#include "ca/store/sqlite/sqlite_store.h"
#include "tests/support/process.h"

namespace homeca::ca {
namespace {

constexpr std::int64_t kNow = 1'800'000'000;

TEST_CASE("a device address is a LAN address in canonical form", "[address]") {
  auto parsed = [](const char* text) {
    auto a = ParseDeviceAddress(text);
    INFO(text << ": " << a.status().message());
    REQUIRE(a.ok());
    return *a;
  };
  CHECK(parsed("192.168.1.20").address == "192.168.1.20");
  CHECK(parsed("192.168.1.20").family == AddressFamily::kIpv4);
  CHECK(parsed("::ffff:10.0.0.5").address == "10.0.0.5");  // what a dual-stack socket reports
  CHECK(parsed("::ffff:10.0.0.5").family == AddressFamily::kIpv4);
  CHECK(parsed("FD00:0:0::20").address == "fd00::20");
  CHECK(parsed("fd00::20").family == AddressFamily::kIpv6);
  CHECK(parsed("169.254.3.4").address == "169.254.3.4");
  for (const char* refused :
       {"", "nas.home.arpa", "127.0.0.1", "127.1.2.3", "::1", "0.0.0.0", "::", "224.0.0.251",
        "ff02::fb", "255.255.255.255", "fe80::1", "::ffff:127.0.0.1", "10.0.0.5 ",
        "10.0.0.5\n1.2.3.4", "1234567890123456789012345678901234567890123456"}) {
    INFO("'" << refused << "'");
    CHECK_FALSE(ParseDeviceAddress(refused).ok());
  }
}

TEST_CASE("per family, a pin wins over contact and the newest contact wins", "[address]") {
  const DeviceAddress v4_old{AddressFamily::kIpv4, "10.0.0.5", AddressSource::kPairing, 100};
  const DeviceAddress v4_new{AddressFamily::kIpv4, "10.0.0.7", AddressSource::kCheckIn, 200};
  const DeviceAddress v6{AddressFamily::kIpv6, "fd00::7", AddressSource::kRenewal, 150};
  const DeviceAddress pin{AddressFamily::kIpv4, "10.0.0.9", AddressSource::kPinned, 50};
  auto texts = [](const std::vector<DeviceAddress>& list) {
    std::vector<std::string> out;
    for (const auto& a : list) out.push_back(a.address);
    return out;
  };
  CHECK(texts(PublishedAddresses({v6, v4_old, v4_new})) ==
        std::vector<std::string>{"10.0.0.7", "fd00::7"});
  CHECK(texts(PublishedAddresses({v4_new, pin, v6})) ==
        std::vector<std::string>{"10.0.0.9", "fd00::7"});
  CHECK(PublishedAddresses({}).empty());
}

struct PairedStore {
  testing::TempDir dir;
  std::unique_ptr<SqliteStore> store;
  std::int64_t pairing_id = 0;
  std::int64_t first_cert = 0;

  PairedStore() {
    auto opened = SqliteStore::Open(dir / "ca.db");
    REQUIRE(opened.ok());
    store = std::move(*opened);
    NewPairing p;
    p.key = PairingKey::Slot(7);
    p.names = {"nas.home.arpa", "nas.local"};
    p.salt = RandomBytes(16);
    p.iterations = 20000;
    p.verifier = PairingVerifier(RandomBytes(32), RandomBytes(65));
    p.created_at = kNow;
    p.expires_at = kNow + 600;
    p.created_by = "cli";
    auto id = store->CreatePairing(p);
    REQUIRE(id.ok());
    pairing_id = *id;
    auto cert = store->InsertIssued(Record("0a"), Audit(), pairing_id);
    REQUIRE(cert.ok());
    first_cert = *cert;
  }
  static CertificateRecord Record(const std::string& serial) {
    CertificateRecord r;
    r.serial_hex = serial;
    r.subject_cn = "nas.home.arpa";
    r.names = {"nas.home.arpa", "nas.local"};
    r.not_before = kNow - 300;
    r.not_after = kNow + 90 * 86400;
    r.requester = "pairing";
    r.key_type = "EC P-256";
    r.fingerprint_sha256 = HexEncode(RandomBytes(32));
    r.der = RandomBytes(300);
    r.issued_at = kNow;
    return r;
  }
  static AuditEntry Audit() { return {0, kNow, "test", "issue", "issued"}; }
  static DeviceAddress At(const char* text, std::int64_t when,
                          AddressSource source = AddressSource::kCheckIn) {
    auto a = ParseDeviceAddress(text);
    REQUIRE(a.ok());
    a->source = source;
    a->seen_at = when;
    return *a;
  }
  std::vector<std::string> Published() {
    auto devices = store->ListDevices();
    REQUIRE(devices.ok());
    REQUIRE(devices->size() == 1);
    std::vector<std::string> out;
    for (const auto& a : PublishedAddresses(devices->front().addresses)) out.push_back(a.address);
    return out;
  }
  int AuditCount(const std::string& action) {
    auto entries = store->ListAudit(1000, 0);
    REQUIRE(entries.ok());
    return static_cast<int>(std::count_if(entries->begin(), entries->end(),
                                          [&](const AuditEntry& e) { return e.action == action; }));
  }
};

TEST_CASE("authenticated contact moves a device, the same address again changes nothing",
          "[address]") {
  PairedStore s;
  auto first =
      s.store->RecordDeviceContact(s.first_cert, s.At("10.0.0.5", kNow, AddressSource::kPairing));
  REQUIRE(first.ok());
  CHECK(first->pairing_id == s.pairing_id);
  CHECK(first->device == "nas.home.arpa");
  CHECK(first->changed);
  CHECK(s.Published() == std::vector<std::string>{"10.0.0.5"});
  CHECK(s.AuditCount("device-address") == 1);

  auto again = s.store->RecordDeviceContact(s.first_cert, s.At("10.0.0.5", kNow + 60));
  REQUIRE(again.ok());
  CHECK_FALSE(again->changed);
  CHECK(s.AuditCount("device-address") == 1);

  // IPv6 beside IPv4: both published.
  auto v6 = s.store->RecordDeviceContact(s.first_cert, s.At("fd00::5", kNow + 70));
  REQUIRE(v6.ok());
  CHECK(v6->changed);
  CHECK(s.Published() == std::vector<std::string>{"10.0.0.5", "fd00::5"});

  // A renewed certificate still speaks for the same device.
  auto renewed = s.store->InsertIssued(PairedStore::Record("0b"), PairedStore::Audit(),
                                       std::nullopt, s.first_cert);
  REQUIRE(renewed.ok());
  auto moved = s.store->RecordDeviceContact(*renewed, s.At("10.0.0.7", kNow + 80));
  REQUIRE(moved.ok());
  CHECK(moved->changed);
  CHECK(s.Published() == std::vector<std::string>{"10.0.0.7", "fd00::5"});
  auto devices = s.store->ListDevices();
  REQUIRE(devices.ok());
  CHECK(devices->front().addresses.size() == 2);
}

TEST_CASE("a pin wins until it is removed, contact goes on being recorded", "[address]") {
  PairedStore s;
  REQUIRE(s.store->RecordDeviceContact(s.first_cert, s.At("10.0.0.5", kNow)).ok());
  const AuditEntry pin_audit{0, kNow + 10, "admin", "device-pin", ""};
  REQUIRE(s.store->PinDeviceAddress(s.pairing_id, s.At("10.0.0.50", kNow), pin_audit).ok());
  CHECK(s.Published() == std::vector<std::string>{"10.0.0.50"});
  auto contact = s.store->RecordDeviceContact(s.first_cert, s.At("10.0.0.6", kNow + 20));
  REQUIRE(contact.ok());
  CHECK_FALSE(contact->changed);  // the pin still decides
  CHECK(s.Published() == std::vector<std::string>{"10.0.0.50"});
  REQUIRE(s.store->PinDeviceAddress(s.pairing_id, std::nullopt, pin_audit).ok());
  CHECK(s.Published() == std::vector<std::string>{"10.0.0.6"});
  CHECK(s.AuditCount("device-pin") == 2);
  CHECK(s.store->PinDeviceAddress(s.pairing_id + 99, std::nullopt, pin_audit).IsNotFound());
}

TEST_CASE("no address is recorded for a revoked device or a certificate of no device",
          "[address]") {
  PairedStore s;
  REQUIRE(s.store->RecordDeviceContact(s.first_cert, s.At("10.0.0.5", kNow)).ok());
  REQUIRE(s.store
              ->RevokeDevice(s.pairing_id, {RevocationReason::kKeyCompromise, kNow + 5},
                             {0, kNow + 5, "admin", "revoke-device", ""})
              .ok());
  auto after = s.store->RecordDeviceContact(s.first_cert, s.At("10.0.0.66", kNow + 10));
  CHECK(after.status().code() == ErrorCode::kPermissionDenied);
  CHECK(s.Published() == std::vector<std::string>{"10.0.0.5"});

  auto lone = s.store->InsertIssued(PairedStore::Record("0c"), PairedStore::Audit());
  REQUIRE(lone.ok());
  CHECK(s.store->RecordDeviceContact(*lone, s.At("10.0.0.8", kNow)).status().IsNotFound());
  CHECK(s.store->RecordDeviceContact(999, s.At("10.0.0.8", kNow)).status().IsNotFound());
}

}  // namespace
}  // namespace homeca::ca
