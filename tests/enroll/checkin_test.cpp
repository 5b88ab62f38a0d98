// The device check-in (POST /enroll/v1/checkin) as the EnrollmentService sees
// it, and the device-contact callback: the client certificate is the
// credential, checked as renewal checks it; the answer is the address the CA
// saw; only authenticated, successful contact reaches on_device_contact.
#include <catch2/catch.hpp>
#include <mutex>
#include <stdexcept>

#include "enroll/enrollment_service.h"
#include "enroll/pairing_admin.h"
#include "enroll/pake/pairing_code.h"
#include "tests/enroll/enroll_fixture.h"
#include "tests/support/csr_factory.h"

namespace homeca::enroll {
namespace {

constexpr const char* kDeviceAddress = "192.0.2.7";

// Everything on_device_contact was called with.
struct ContactLog {
  std::mutex mu;
  std::vector<DeviceContact> seen;

  EnrollmentOptions Options(const Bytes& server_hash) {
    EnrollmentOptions options = TestOptions(server_hash);
    options.on_device_contact = [this](const DeviceContact& contact) {
      std::lock_guard<std::mutex> lock(mu);
      seen.push_back(contact);
    };
    return options;
  }
  std::size_t size() {
    std::lock_guard<std::mutex> lock(mu);
    return seen.size();
  }
  DeviceContact Last() {
    std::lock_guard<std::mutex> lock(mu);
    REQUIRE_FALSE(seen.empty());
    return seen.back();
  }
};

EnrollmentResponse CheckIn(EnrollmentService& service, const Bytes& leaf,
                           const std::string& peer = kDeviceAddress,
                           const std::string& body = "{}") {
  return Post(service, "checkin", body, {leaf}, peer);
}

std::vector<std::string> NamesOf(const EnrollmentResponse& r) {
  std::vector<std::string> out;
  auto names = Json(r.body)->getArray("names");
  REQUIRE(names);
  for (unsigned i = 0; i < names->size(); ++i) out.push_back(names->getElement<std::string>(i));
  return out;
}

TEST_CASE("check-in answers the address the CA saw and the certificate's names", "[checkin]") {
  TestCa ca;
  EnrollmentService service(*ca, TestOptions(RandomServerHash()));
  const ca::IssuedCertificate cert = IssueDirect(ca, {"nas", "files"});
  const std::size_t audit_before = ca.AuditLog().size();
  const std::int64_t certs_before = ca.CertificateCount();

  EnrollmentResponse r = CheckIn(service, cert.leaf.der());
  INFO(r.body);
  REQUIRE(r.http_status == 200);
  auto body = Json(r.body);
  CHECK(body->getValue<std::string>("address") == kDeviceAddress);
  CHECK(NamesOf(r) == std::vector<std::string>{"nas.home.arpa", "files.home.arpa"});
  // Nothing issued, nothing audited: a check-in may come often.
  CHECK(ca.CertificateCount() == certs_before);
  CHECK(ca.AuditLog().size() == audit_before);

  SECTION("an IPv6 peer is answered as given") {
    ca.clock.Advance(60);
    EnrollmentResponse v6 = CheckIn(service, cert.leaf.der(), "fd00::7");
    REQUIRE(v6.http_status == 200);
    CHECK(Json(v6.body)->getValue<std::string>("address") == "fd00::7");
  }
  SECTION("unknown fields are ignored, as everywhere in the protocol") {
    ca.clock.Advance(60);
    CHECK(CheckIn(service, cert.leaf.der(), kDeviceAddress, R"({"future": 1})").http_status == 200);
  }
}

TEST_CASE("check-in refuses what renewal refuses", "[checkin]") {
  TestCa ca;
  const Bytes hash = RandomServerHash();
  ContactLog contacts;
  EnrollmentService service(*ca, contacts.Options(hash));
  const ca::IssuedCertificate cert = IssueDirect(ca, {"nas"});
  // Every refusal: the error, and nothing said about where a device is.
  auto expect = [&](std::vector<Bytes> chain, int status, const std::string& error) {
    const std::size_t contacts_before = contacts.size();
    EnrollmentResponse r = Post(service, "checkin", "{}", std::move(chain), kDeviceAddress);
    INFO(r.body);
    CHECK(r.http_status == status);
    CHECK(ErrorOf(r) == error);
    CHECK(contacts.size() == contacts_before);
  };

  SECTION("no certificate, or something that is not one") {
    expect({}, 401, "no_client_certificate");
    expect({ToBytes("garbage")}, 401, "no_client_certificate");
    expect({ca->intermediate().der()}, 401, "no_client_certificate");
  }
  SECTION("issued by another CA") {
    TestCa other;
    expect({IssueDirect(other, {"nas"}).leaf.der()}, 401, "no_client_certificate");
  }
  SECTION("signed by our intermediate but not on record") {
    expect({SignedButNotStored(ca)}, 403, "unknown_certificate");
    CHECK_THAT(ca.AuditText(), Catch::Contains("| checkin-refused | serial "));
    CHECK_THAT(ca.AuditText(), Catch::Contains(": not on record"));
  }
  SECTION("the serial of one on record, but other bytes") {
    expect({Twin(ca, cert)}, 403, "unknown_certificate");
  }
  SECTION("revoked") {
    REQUIRE(ca->Revoke(cert.record.serial_hex, ca::RevocationReason::kKeyCompromise, "cli").ok());
    expect({cert.leaf.der()}, 403, "revoked");
    CHECK_THAT(ca.AuditText(), Catch::Contains("checkin:" + cert.record.serial_hex +
                                               " | checkin-refused | serial " +
                                               cert.record.serial_hex + ": revoked"));
  }
  SECTION("expired") {
    ca.clock.Set(cert.record.not_after);
    expect({cert.leaf.der()}, 403, "expired");
  }
  SECTION("superseded: only the newest certificate of a device checks in") {
    const PairedDevice device = PairDevice(ca, service, hash, "printer");
    const Bytes b = RenewedLeaf(Post(service, "renew", RenewBody(NewCsrDer()), {device.leaf}));
    expect({device.leaf}, 403, "superseded");
    CHECK_THAT(ca.AuditText(), Catch::Contains("checkin-refused | serial " + SerialOf(device.leaf) +
                                               ": already renewed as " + SerialOf(b)));
    CHECK(CheckIn(service, b).http_status == 200);
  }
  SECTION("a revoked device (lineage ended)") {
    const PairedDevice device = PairDevice(ca, service, hash, "printer");
    REQUIRE(
        ca->RevokeDevice(device.pairing_id, ca::RevocationReason::kCessationOfOperation, "admin")
            .ok());
    expect({device.leaf}, 403, "revoked");
  }
  SECTION("a malformed body from a good client") {
    for (const std::string& body :
         {std::string(), std::string("[]"), std::string("{"), std::string("null"),
          std::string("\"{}\""), std::string("1"), std::string(64 * 1024 + 1, ' ')}) {
      EnrollmentResponse r = CheckIn(service, cert.leaf.der(), kDeviceAddress, body);
      INFO(body.substr(0, 20) << " -> " << r.body);
      CHECK(r.http_status == 400);
      CHECK(ErrorOf(r) == "bad_request");
    }
    CHECK(contacts.size() == 0);
  }
}

TEST_CASE("a certificate checks in at most every few seconds", "[checkin]") {
  TestCa ca;
  ContactLog contacts;
  EnrollmentService service(*ca, contacts.Options(RandomServerHash()));
  const ca::IssuedCertificate cert = IssueDirect(ca, {"nas"});
  const ca::IssuedCertificate other = IssueDirect(ca, {"printer"});
  REQUIRE(CheckIn(service, cert.leaf.der()).http_status == 200);
  REQUIRE(contacts.size() == 1);

  EnrollmentResponse again = CheckIn(service, cert.leaf.der());
  INFO(again.body);
  CHECK(again.http_status == 429);
  CHECK(ErrorOf(again) == "rate_limited");
  CHECK(again.retry_after_seconds >= 1);
  CHECK(again.retry_after_seconds <= 5);
  CHECK(contacts.size() == 1);  // refused: no contact
  // Another device is not held up by this one.
  CHECK(CheckIn(service, other.leaf.der()).http_status == 200);
  CHECK(contacts.size() == 2);
  ca.clock.Advance(again.retry_after_seconds);
  CHECK(CheckIn(service, cert.leaf.der()).http_status == 200);
  CHECK(contacts.size() == 3);
}

TEST_CASE("a device that moved is heard a second after its last check-in", "[checkin]") {
  TestCa ca;
  ContactLog contacts;
  EnrollmentService service(*ca, contacts.Options(RandomServerHash()));
  const ca::IssuedCertificate cert = IssueDirect(ca, {"nas"});
  REQUIRE(CheckIn(service, cert.leaf.der(), "192.168.1.20").http_status == 200);
  // Renumbered at once: the same second is still too soon...
  EnrollmentResponse soon = CheckIn(service, cert.leaf.der(), "192.168.1.60");
  CHECK(soon.http_status == 429);
  CHECK(soon.retry_after_seconds == 1);
  // ...a second later the new address is heard, where the old one waits 5 s.
  ca.clock.Advance(1);
  CHECK(CheckIn(service, cert.leaf.der(), "192.168.1.60").http_status == 200);
  CHECK(CheckIn(service, cert.leaf.der(), "192.168.1.60").http_status == 429);
  REQUIRE(contacts.size() == 2);
}

TEST_CASE("authenticated contact is reported with the certificate the device now holds",
          "[checkin][contact]") {
  TestCa ca;
  const Bytes hash = RandomServerHash();
  ContactLog contacts;
  EnrollmentService service(*ca, contacts.Options(hash));

  // Pairing: the certificate finish issued.
  const PairedDevice device = PairDevice(ca, service, hash, "nas", "192.0.2.10");
  REQUIRE(contacts.size() == 1);
  CHECK(contacts.Last().how == "pairing");
  CHECK(contacts.Last().address == "192.0.2.10");
  CHECK(contacts.Last().certificate_id == CertificateIdOf(ca, device.leaf));

  // Renewal: the new certificate, not the presented one.
  auto next_key = testing::MakeEcKey();
  const std::string retry_body = RenewBody(testing::MakeCsrDer(next_key.get()));
  const Bytes b = RenewedLeaf(Post(service, "renew", retry_body, {device.leaf}, "192.0.2.11"));
  REQUIRE(contacts.size() == 2);
  CHECK(contacts.Last().how == "renewal");
  CHECK(contacts.Last().address == "192.0.2.11");
  CHECK(contacts.Last().certificate_id == CertificateIdOf(ca, b));

  // The crash retry: the certificate already issued, which the device now holds.
  CHECK(RenewedLeaf(Post(service, "renew", retry_body, {device.leaf}, "192.0.2.12")) == b);
  REQUIRE(contacts.size() == 3);
  CHECK(contacts.Last().how == "renewal");
  CHECK(contacts.Last().address == "192.0.2.12");
  CHECK(contacts.Last().certificate_id == CertificateIdOf(ca, b));

  // Check-in: the presented certificate.
  REQUIRE(CheckIn(service, b, "fd00::12").http_status == 200);
  REQUIRE(contacts.size() == 4);
  CHECK(contacts.Last().how == "checkin");
  CHECK(contacts.Last().address == "fd00::12");
  CHECK(contacts.Last().certificate_id == CertificateIdOf(ca, b));

  SECTION("refusals say nothing about where a device is") {
    ca.clock.Advance(60);
    CHECK(Post(service, "renew", RenewBody(NewCsrDer()), {device.leaf}, "192.0.2.66").http_status ==
          403);  // superseded
    CHECK(Post(service, "renew", "{}", {b}, "192.0.2.66").http_status == 400);
    CHECK(Post(service, "renew", RenewBody(NewCsrDer()), {}, "192.0.2.66").http_status == 401);
    CHECK(CheckIn(service, device.leaf, "192.0.2.66").http_status == 403);  // superseded
    CHECK(CheckIn(service, b, "192.0.2.66", "[]").http_status == 400);
    CHECK(CheckIn(service, SignedButNotStored(ca), "192.0.2.66").http_status == 403);
    // A pairing whose key confirmation fails (wrong code).
    auto pairing = CreateCodePairing(*ca, {"printer"});
    REQUIRE(pairing.ok());
    auto wrong = PairingCode::Generate(pairing->code.slot());
    REQUIRE(wrong.ok());
    TestDevice guesser = TestDevice::ForSlot(service, std::string(wrong->digits()), hash);
    guesser.set_peer_address("192.0.2.66");
    CHECK(guesser.Pair().http_status == 403);
    // A start and an exchange are not authenticated contact either.
    TestDevice starter = TestDevice::ForSlot(service, std::string(pairing->code.digits()), hash);
    starter.set_peer_address("192.0.2.66");
    REQUIRE(starter.Start().http_status == 200);
    REQUIRE(starter.Exchange().http_status == 200);
    CHECK(contacts.size() == 4);
  }
  SECTION("nor does a success without a peer address") {
    ca.clock.Advance(60);
    REQUIRE(CheckIn(service, b, "").http_status == 200);
    RenewedLeaf(Post(service, "renew", RenewBody(NewCsrDer()), {b}, ""));
    CHECK(contacts.size() == 4);
  }
}

TEST_CASE("a failing contact callback does not cost the device its answer", "[contact]") {
  TestCa ca;
  EnrollmentOptions options = TestOptions(RandomServerHash());
  options.on_device_contact = [](const DeviceContact&) {
    throw std::runtime_error("the store is locked");
  };
  EnrollmentService service(*ca, options);
  const ca::IssuedCertificate cert = IssueDirect(ca, {"nas"});
  EnrollmentResponse r = CheckIn(service, cert.leaf.der());
  CHECK(r.http_status == 200);
  CHECK_THAT(r.log_detail, Catch::Contains("the store is locked"));
  const Bytes renewed =
      RenewedLeaf(Post(service, "renew", RenewBody(NewCsrDer()), {cert.leaf.der()}, "10.0.0.2"));
  CHECK_FALSE(renewed.empty());
}

}  // namespace
}  // namespace homeca::enroll
