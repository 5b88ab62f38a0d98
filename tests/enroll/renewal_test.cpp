// Renewal over mutual TLS, as the EnrollmentService sees it: the client
// certificate is the credential, the stored names are what gets renewed.
#include <catch2/catch.hpp>

#include "ca/cert_builder.h"
#include "ca/csr.h"
#include "ca/file_util.h"
#include "ca/key.h"
#include "ca/leaf_profile.h"
#include "enroll/enrollment_service.h"
#include "tests/enroll/enroll_fixture.h"
#include "tests/support/csr_factory.h"

namespace homeca::enroll {
namespace {

std::string RenewBody(const std::string& csr_der) {
  return R"({"csr": ")" + Base64UrlEncode(ToBytes(csr_der)) + "\"}";
}

ca::IssuedCertificate Issue(TestCa& ca, std::vector<std::string> names) {
  auto issued = ca->Issue({NewCsrDer(), std::move(names), 0, "cli"});
  INFO(issued.status().message());
  REQUIRE(issued.ok());
  return *issued;
}

// A leaf the intermediate really signed, but that the store never saw: what a
// leaked intermediate key (or a lost database) would produce.
Bytes SignedButNotStored(TestCa& ca) {
  auto key_pem = ReadFile(ca->data_dir().intermediate_key());
  REQUIRE(key_pem.ok());
  auto key = ca::PrivateKey::FromPem(*key_pem);
  REQUIRE(key.ok());
  auto csr = ca::CertificateRequest::Parse(NewCsrDer());
  REQUIRE(csr.ok());
  auto names = ca::CheckNames(ca->policy(), {"ghost.home.arpa"});
  REQUIRE(names.ok());
  const std::int64_t now = ca.clock.Now();
  auto leaf = ca::SignLeaf(*csr, {*names, {now - 60, now + 86400}, ""}, ca->intermediate(), *key);
  REQUIRE(leaf.ok());
  return leaf->der();
}

// A certificate with the serial of one on record, signed by our intermediate,
// but not the one we stored.
Bytes Twin(TestCa& ca, const ca::IssuedCertificate& original) {
  auto key_pem = ReadFile(ca->data_dir().intermediate_key());
  REQUIRE(key_pem.ok());
  auto signer = ca::PrivateKey::FromPem(*key_pem);
  REQUIRE(signer.ok());
  auto key = testing::MakeEcKey();
  auto names = ca::CheckNames(ca->policy(), original.record.names);
  REQUIRE(names.ok());
  ca::CertBuilder builder;
  REQUIRE(builder.SetSerial(HexDecode(original.record.serial_hex).value()).ok());
  REQUIRE(builder.SetSubject("", original.record.subject_cn).ok());
  builder.SetValidity(original.record.not_before, original.record.not_after);
  REQUIRE(builder.SetPublicKey(key.get()).ok());
  REQUIRE(builder.SetIssuer(ca->intermediate()).ok());
  REQUIRE(builder.AddSubjectAltNames(*names, false).ok());
  auto twin = builder.Sign(*signer);
  REQUIRE(twin.ok());
  REQUIRE(twin->SerialHex() == original.record.serial_hex);
  return twin->der();
}

TEST_CASE("renewal issues a fresh certificate for the stored names, not the CSR's") {
  TestCa ca;
  EnrollmentService service(*ca, TestOptions(RandomServerHash()));
  const ca::IssuedCertificate old = Issue(ca, {"nas", "files"});
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
  auto record = ca->store().FindBySerial(leaf->SerialHex());
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
  const ca::IssuedCertificate cert = Issue(ca, {"nas"});
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
    expect({Issue(other, {"nas"}).leaf.der()}, 401, "no_client_certificate");
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

}  // namespace
}  // namespace homeca::enroll
