// Renewal over mutual TLS, as the EnrollmentService sees it: the client
// certificate is the credential, the stored names are what gets renewed.
#include <catch2/catch.hpp>
#include <thread>

#include "ca/device_record.h"
#include "enroll/enrollment_service.h"
#include "enroll/pairing_admin.h"
#include "tests/enroll/enroll_fixture.h"
#include "tests/support/csr_factory.h"

namespace homeca::enroll {
namespace {

TEST_CASE("renewal issues a fresh certificate for the stored names, not the CSR's") {
  TestCa ca;
  EnrollmentService service(*ca, TestOptions(RandomServerHash()));
  const ca::IssuedCertificate old = IssueDirect(ca, {"nas", "files"});
  auto key = testing::MakeEcKey();
  testing::CsrOptions greedy;
  greedy.dns_names = {"www.bank.com", "nas.home.arpa"};
  const std::int64_t before = ca.CertificateCount();

  EnrollmentResponse r =
      Post(service, "renew", RenewBody(testing::MakeCsrDer(key.get(), greedy)), {old.leaf.der()});
  INFO(r.body);
  REQUIRE(r.http_status == 200);
  CHECK(ca.CertificateCount() == before + 1);
  auto body = Json(r.body);
  auto names = body->getArray("names");
  REQUIRE(names->size() == 2);
  CHECK(names->getElement<std::string>(0) == "nas.home.arpa");
  CHECK(names->getElement<std::string>(1) == "files.home.arpa");
  CHECK_FALSE(body->has("root"));
  auto verdict = VerifyWithOpenssl(body, ca->root().der(), "files.home.arpa");
  INFO(verdict.out << verdict.err);
  CHECK(verdict.exit_code == 0);
  auto leaf = ca::Certificate::FromDer(
      Base64UrlDecode(body->getArray("chain")->getElement<std::string>(0)).value());
  REQUIRE(leaf.ok());
  CHECK(leaf->SubjectAltNames() == old.record.names);
  auto record = ca->certificates().FindBySerial(leaf->SerialHex());
  REQUIRE(record.ok());
  CHECK(record->requester == "renewal:" + old.record.serial_hex);
  CHECK_THAT(ca.AuditText(), Catch::Contains("renewal:" + old.record.serial_hex + " | renew | "));

  SECTION("the renewed certificate renews in turn") {
    EnrollmentResponse again = Post(service, "renew", RenewBody(NewCsrDer()), {leaf->der()});
    CHECK(again.http_status == 200);
  }
}

TEST_CASE("renewal refuses revoked, expired, unknown and foreign certificates") {
  TestCa ca;
  EnrollmentService service(*ca, TestOptions(RandomServerHash()));
  const ca::IssuedCertificate cert = IssueDirect(ca, {"nas"});
  const std::string body = RenewBody(NewCsrDer());
  auto expect = [&](std::vector<Bytes> chain, int status, const std::string& error) {
    const std::int64_t before = ca.CertificateCount();
    EnrollmentResponse r = Post(service, "renew", body, std::move(chain));
    INFO(r.body);
    CHECK(r.http_status == status);
    CHECK(ErrorOf(r) == error);
    CHECK(ca.CertificateCount() == before);
  };

  SECTION("no certificate, or something that is not one") {
    expect({}, 401, "no_client_certificate");
    expect({ToBytes("garbage")}, 401, "no_client_certificate");
    expect({ca->intermediate().der()}, 401, "no_client_certificate");  // signed by the root
  }
  SECTION("issued by another CA") {
    TestCa other;
    expect({IssueDirect(other, {"nas"}).leaf.der()}, 401, "no_client_certificate");
  }
  SECTION("signed by our intermediate but not on record") {
    expect({SignedButNotStored(ca)}, 403, "unknown_certificate");
    CHECK_THAT(ca.AuditText(), Catch::Contains("renew-refused"));
  }
  SECTION("the serial of one on record, but other bytes") {
    expect({Twin(ca, cert)}, 403, "unknown_certificate");
  }
  SECTION("revoked") {
    REQUIRE(ca->Revoke(cert.record.serial_hex, ca::RevocationReason::kKeyCompromise, "cli").ok());
    expect({cert.leaf.der()}, 403, "revoked");
  }
  SECTION("expired") {
    ca.clock.Set(cert.record.not_after);
    expect({cert.leaf.der()}, 403, "expired");
  }
  SECTION("a bad CSR or body from a good client") {
    for (const auto& [request, error] :
         std::vector<std::pair<std::string, std::string>>{{RenewBody("not a csr"), "bad_csr"},
                                                          {"{}", "bad_request"},
                                                          {R"({"csr": 1})", "bad_request"},
                                                          {R"({"csr": "A"})", "bad_request"},
                                                          {R"({"csr": ""})", "bad_request"}}) {
      EnrollmentResponse r = Post(service, "renew", request, {cert.leaf.der()});
      INFO(request << " -> " << r.body);
      CHECK(r.http_status == 400);
      CHECK(ErrorOf(r) == error);
    }
    CHECK(ca.CertificateCount() == 1);
  }
}

// --- Renewal lineage (issue 11, defect 1) ---------------------------------

constexpr std::int64_t kDay = 24 * 60 * 60;

ca::DeviceRecord OnlyDevice(TestCa& ca) {
  auto devices = ca->pairings().ListDevices();
  REQUIRE(devices.ok());
  REQUIRE(devices->size() == 1);
  REQUIRE(devices->front().current.has_value());
  return devices->front();
}

int CountAction(TestCa& ca, const std::string& action) {
  int n = 0;
  for (const ca::AuditEntry& e : ca.AuditLog()) n += e.action == action ? 1 : 0;
  return n;
}

TEST_CASE("a copied certificate cannot keep renewing once the device has renewed (issue 11)",
          "[lineage]") {
  TestCa ca;
  const Bytes hash = RandomServerHash();
  EnrollmentService service(*ca, TestOptions(hash));
  // Pair: the device holds A; an attacker copies A's key and certificate.
  const PairedDevice device = PairDevice(ca, service, hash, "nas");
  const Bytes a = device.leaf;
  // The device renews: A -> B.
  const Bytes b = RenewedLeaf(Post(service, "renew", RenewBody(NewCsrDer()), {a}));
  // The attacker renews again from the old copy of A: refused, nothing issued.
  const std::int64_t before = ca.CertificateCount();
  EnrollmentResponse stolen = Post(service, "renew", RenewBody(NewCsrDer()), {a});
  INFO(stolen.body);
  CHECK(stolen.http_status == 403);
  CHECK(ErrorOf(stolen) == "superseded");
  CHECK(ca.CertificateCount() == before);
  CHECK_THAT(ca.AuditText(), Catch::Contains("renew-refused | serial " + SerialOf(a) +
                                             ": already renewed as " + SerialOf(b)));
  // The admin revokes the current certificate; the old copy still cannot renew.
  REQUIRE(ca->Revoke(SerialOf(b), ca::RevocationReason::kKeyCompromise, "admin").ok());
  EnrollmentResponse again = Post(service, "renew", RenewBody(NewCsrDer()), {a});
  CHECK(ErrorOf(again) == "superseded");
  CHECK(ca.CertificateCount() == before);
  // The Devices view follows the device's lineage, never a stolen branch.
  const ca::DeviceRecord seen = OnlyDevice(ca);
  CHECK(seen.pairing.id == device.pairing_id);
  CHECK(seen.current->serial_hex == SerialOf(b));
  CHECK(seen.renewals == 1);
}

TEST_CASE("a device that lost its renewed certificate gets the same one back", "[lineage]") {
  TestCa ca;
  const Bytes hash = RandomServerHash();
  EnrollmentService service(*ca, TestOptions(hash));
  const PairedDevice device = PairDevice(ca, service, hash, "nas");
  // The device makes its next key, saves it, renews, and crashes before
  // saving the certificate: it asks again from A with the same key.
  auto next_key = testing::MakeEcKey();
  const Bytes b = RenewedLeaf(
      Post(service, "renew", RenewBody(testing::MakeCsrDer(next_key.get())), {device.leaf}));
  const std::int64_t before = ca.CertificateCount();
  const Bytes retried = RenewedLeaf(
      Post(service, "renew", RenewBody(testing::MakeCsrDer(next_key.get())), {device.leaf}));
  CHECK(retried == b);
  CHECK(ca.CertificateCount() == before);
  CHECK(CountAction(ca, "renew-retry") == 1);

  SECTION("but not with another key") {
    EnrollmentResponse other = Post(service, "renew", RenewBody(NewCsrDer()), {device.leaf});
    CHECK(ErrorOf(other) == "superseded");
  }
  SECTION("nor once the successor has renewed in turn") {
    RenewedLeaf(Post(service, "renew", RenewBody(NewCsrDer()), {b}));
    EnrollmentResponse late =
        Post(service, "renew", RenewBody(testing::MakeCsrDer(next_key.get())), {device.leaf});
    CHECK(ErrorOf(late) == "superseded");
  }
  SECTION("nor once the successor was revoked") {
    REQUIRE(ca->Revoke(SerialOf(b), ca::RevocationReason::kKeyCompromise, "admin").ok());
    EnrollmentResponse late =
        Post(service, "renew", RenewBody(testing::MakeCsrDer(next_key.get())), {device.leaf});
    CHECK(ErrorOf(late) == "superseded");
  }
  CHECK(ca.CertificateCount() <= before + 1);
}

TEST_CASE("of two concurrent renewals from one certificate, only one is issued", "[lineage]") {
  TestCa ca;
  EnrollmentService service(*ca, TestOptions(RandomServerHash()));
  for (int round = 0; round < 5; ++round) {
    const ca::IssuedCertificate a = IssueDirect(ca, {"nas"});
    const std::int64_t before = ca.CertificateCount();
    // Two keys: an attacker and the device racing. The same key twice: a
    // device retrying while its first request is still being served.
    const bool same_key = round % 2 == 1;
    auto key = testing::MakeEcKey();
    const std::string first = RenewBody(testing::MakeCsrDer(key.get()));
    const std::string second =
        same_key ? RenewBody(testing::MakeCsrDer(key.get())) : RenewBody(NewCsrDer());
    EnrollmentResponse r1, r2;
    std::thread t1([&] { r1 = Post(service, "renew", first, {a.leaf.der()}); });
    std::thread t2([&] { r2 = Post(service, "renew", second, {a.leaf.der()}); });
    t1.join();
    t2.join();
    INFO("round " << round << ": " << r1.body << " / " << r2.body);
    CHECK(ca.CertificateCount() == before + 1);
    if (same_key) {
      CHECK(RenewedLeaf(r1) == RenewedLeaf(r2));
    } else {
      CHECK((r1.http_status == 200) != (r2.http_status == 200));
      CHECK(ErrorOf(r1.http_status == 200 ? r2 : r1) == "superseded");
    }
  }
}

TEST_CASE("renewals per device are rate-limited, but not an honest device's", "[lineage]") {
  TestCa ca;
  EnrollmentService service(*ca, TestOptions(RandomServerHash()));

  SECTION("renewing at two thirds of a 90-day life never meets the limit") {
    Bytes current = IssueDirect(ca, {"nas"}).leaf.der();
    for (int i = 0; i < 10; ++i) {
      ca.clock.Advance(60 * kDay);
      current = RenewedLeaf(Post(service, "renew", RenewBody(NewCsrDer()), {current}));
    }
  }
  SECTION("a fifth renewal within a day is refused, a crash retry still answered") {
    Bytes current = IssueDirect(ca, {"nas"}).leaf.der();
    Bytes previous;
    auto key = testing::MakeEcKey();
    for (int i = 0; i < 4; ++i) {
      ca.clock.Advance(60 * 60);
      previous = current;
      key = testing::MakeEcKey();
      current =
          RenewedLeaf(Post(service, "renew", RenewBody(testing::MakeCsrDer(key.get())), {current}));
    }
    const std::int64_t before = ca.CertificateCount();
    EnrollmentResponse limited = Post(service, "renew", RenewBody(NewCsrDer()), {current});
    INFO(limited.body);
    CHECK(limited.http_status == 429);
    CHECK(ErrorOf(limited) == "rate_limited");
    // The first of the four leaves the window 21 hours from now.
    CHECK(limited.retry_after_seconds == 21 * 60 * 60);
    CHECK(ca.CertificateCount() == before);
    CHECK_THAT(ca.AuditText(), Catch::Contains(": rate limited"));
    // The device that lost the fourth answer gets it back all the same.
    CHECK(RenewedLeaf(Post(service, "renew", RenewBody(testing::MakeCsrDer(key.get())),
                           {previous})) == current);
    // Once the oldest renewal has left the day, the device renews again.
    ca.clock.Advance(21 * 60 * 60);
    RenewedLeaf(Post(service, "renew", RenewBody(NewCsrDer()), {current}));
  }
}

TEST_CASE("a revoked device's certificates never renew again", "[lineage]") {
  TestCa ca;
  const Bytes hash = RandomServerHash();
  EnrollmentService service(*ca, TestOptions(hash));
  const PairedDevice device = PairDevice(ca, service, hash, "nas");
  const Bytes b = RenewedLeaf(Post(service, "renew", RenewBody(NewCsrDer()), {device.leaf}));

  auto revoked = ca->RevokeDevice(device.pairing_id, ca::RevocationReason::kKeyCompromise, "admin");
  INFO(revoked.status().message());
  REQUIRE(revoked.ok());
  CHECK(*revoked == 2);
  CHECK(CountAction(ca, "device-revoke") == 1);
  CHECK_THAT(ca.AuditText(), Catch::Contains("admin | device-revoke | device pairing " +
                                             std::to_string(device.pairing_id) + " ("));
  CHECK_THAT(ca.AuditText(),
             Catch::Contains(": 2 certificate(s) revoked, renewal ended, reason keyCompromise"));
  const std::int64_t before = ca.CertificateCount();
  for (const Bytes& cert : {device.leaf, b}) {
    EnrollmentResponse r = Post(service, "renew", RenewBody(NewCsrDer()), {cert});
    CHECK(r.http_status == 403);
    CHECK(ErrorOf(r) == "revoked");
  }
  CHECK(ca.CertificateCount() == before);
  const ca::DeviceRecord seen = OnlyDevice(ca);
  CHECK(seen.revoked_at.has_value());
  CHECK(seen.current->serial_hex == SerialOf(b));
  CHECK(seen.current->revocation.has_value());
  // Once is enough; a second revocation says so and changes nothing.
  CHECK(ca->RevokeDevice(device.pairing_id, ca::RevocationReason::kKeyCompromise, "admin")
            .status()
            .IsAlreadyExists());
  CHECK(ca->RevokeDevice(999, ca::RevocationReason::kKeyCompromise, "admin").status().IsNotFound());
  CHECK(CountAction(ca, "device-revoke") == 1);
}

}  // namespace
}  // namespace homeca::enroll
