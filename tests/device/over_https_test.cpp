// The homeca-enroll binary against the CA's real EnrollmentService served
// over real HTTPS (a Poco server with a certificate the test CA issued for
// ca.home.arpa, as homecad has): pairing binds the real TLS leaf, renewal is
// mutual TLS verified for the CA's own name while connecting to 127.0.0.1,
// and `run` renews when due and runs its hook; check-in tells the CA the
// address it connects from. Judged by `openssl verify`.
#include <catch2/catch.hpp>
#include <mutex>

#include "ca/x509/certificate.h"
#include "ca/x509/key.h"
#include "enroll/device/device_csr.h"
#include "enroll/enrollment_service.h"
#include "enroll/pairing_admin.h"
#include "homeca/enroll.hpp"
#include "tests/device/fake_ca.h"
#include "tests/device/https_test_server.h"
#include "tests/support/background_process.h"

namespace homeca::enroll {
namespace {

using testing::ProcessResult;

// Key and chain files for a TLS server certificate `authority` issues for `name`.
Bytes WriteServerIdentity(ca::Authority& authority, const std::string& name,
                          const std::filesystem::path& dir) {
  auto key = ca::PrivateKey::Generate(ca::KeyAlgorithm::kEcP256);
  REQUIRE(key.ok());
  auto csr = MakeCsrDer(*key, name);
  REQUIRE(csr.ok());
  // As homecad gets its own: the CA's own name is reserved for this path.
  auto issued = authority.IssueServerIdentity(ToString(*csr), {name});
  INFO(issued.status().message());
  REQUIRE(issued.ok());
  std::filesystem::create_directories(dir);
  testing::WriteText(dir / "key.pem", *key->ToPem());
  testing::WriteText(dir / "chain.pem", ca::ChainPem(issued->chain));
  testing::WriteText(dir / "root.pem", authority.root().Pem());
  return issued->leaf.FingerprintSha256();
}

// EnrollmentService behind HTTPS, as homecad mounts it.
struct ServedCa {
  explicit ServedCa(int age_days = 0) {
    ca.clock.Advance(-age_days * 86400);
    const Bytes leaf_sha256 = WriteServerIdentity(*ca.authority, "ca.home.arpa", ca.dir / "srv");
    EnrollmentOptions options;
    options.server_cert_sha256 = leaf_sha256;
    options.renew_url = "https://ca.home.arpa:8443/enroll/v1/renew";
    options.on_device_contact = [this](const DeviceContact& contact) {
      std::lock_guard<std::mutex> lock(contacts_mu);
      contacts.push_back(contact);
    };
    service = std::make_unique<EnrollmentService>(*ca.authority, options);
    server = std::make_unique<testing::HttpsTestServer>(
        (ca.dir / "srv" / "key.pem").string(), (ca.dir / "srv" / "chain.pem").string(),
        (ca.dir / "srv" / "root.pem").string(),
        [this](Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
          EnrollmentResponse answer = service->Handle({request.getURI(), testing::ReadBody(request),
                                                       testing::ClientChain(request),
                                                       request.clientAddress().host().toString()});
          response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(answer.http_status));
          if (answer.retry_after_seconds > 0) {
            response.set("Retry-After", std::to_string(answer.retry_after_seconds));
          }
          response.setContentType("application/json");
          response.send() << answer.body;
        });
  }
  std::string NewPairing(const std::string& name) {
    auto pairing = CreateCodePairing(*ca.authority, {name}, kDefaultPairingTtlSeconds, "test");
    REQUIRE(pairing.ok());
    return pairing->code.Display();
  }
  std::vector<DeviceContact> Contacts() {
    std::lock_guard<std::mutex> lock(contacts_mu);
    return contacts;
  }

  DeviceTestCa ca;
  std::mutex contacts_mu;
  std::vector<DeviceContact> contacts;  // guarded by contacts_mu
  std::unique_ptr<EnrollmentService> service;
  std::unique_ptr<testing::HttpsTestServer> server;
};

ProcessResult Cli(std::vector<std::string> args) {
  args.insert(args.begin(), testing::BuiltProgram("enroll/cli/homeca-enroll"));
  return testing::Run(args);
}

// The file options as the e2e tests and an nginx setup use them: no --dir.
std::vector<std::string> Files(const testing::TempDir& device) {
  return {"--key",   (device / "key.pem").string(),   "--cert", (device / "cert.pem").string(),
          "--chain", (device / "chain.pem").string(), "--root", (device / "root.pem").string()};
}

std::vector<std::string> With(std::vector<std::string> head, const std::vector<std::string>& tail) {
  head.insert(head.end(), tail.begin(), tail.end());
  return head;
}

void CheckOpensslVerifies(const testing::TempDir& device, const std::string& host) {
  ProcessResult verify =
      testing::Run({"openssl", "verify", "-x509_strict", "-purpose", "sslserver",
                    "-verify_hostname", host, "-CAfile", (device / "root.pem").string(),
                    "-untrusted", (device / "chain.pem").string(), (device / "cert.pem").string()});
  INFO(verify.out << verify.err);
  CHECK(verify.exit_code == 0);
}

TEST_CASE("over HTTPS: pair, renew, revoke with the real service", "[device][https][cli]") {
  ServedCa served;
  testing::TempDir device;
  const std::string code = served.NewPairing("nas");
  ProcessResult paired =
      Cli(With({"pair", "--code", code, "--ca", served.server->url()}, Files(device)));
  INFO(paired.out << paired.err);
  REQUIRE(paired.exit_code == 0);
  CHECK(paired.out.find("paired: nas.home.arpa") == 0);
  CHECK(paired.out.find(code) == std::string::npos);
  CHECK(std::filesystem::exists(device / "enrollment.json"));  // beside the certificate
  CheckOpensslVerifies(device, "nas.home.arpa");

  const std::string key = testing::ReadText(device / "key.pem");
  const std::string cert = testing::ReadText(device / "cert.pem");
  ProcessResult renewed = Cli(With({"renew", "--ca", served.server->url()}, Files(device)));
  INFO(renewed.out << renewed.err);
  REQUIRE(renewed.exit_code == 0);
  CHECK(testing::ReadText(device / "cert.pem") != cert);
  // A new key every renewal, at the same path, matching the new leaf.
  CHECK(testing::ReadText(device / "key.pem") != key);
  CHECK_FALSE(std::filesystem::exists(device / "key.pem.next"));
  ProcessResult leaf_key =
      testing::Run({"openssl", "x509", "-noout", "-pubkey", "-in", (device / "cert.pem").string()});
  ProcessResult file_key =
      testing::Run({"openssl", "pkey", "-pubout", "-in", (device / "key.pem").string()});
  REQUIRE(leaf_key.exit_code == 0);
  REQUIRE(file_key.exit_code == 0);
  CHECK(leaf_key.out == file_key.out);
  CheckOpensslVerifies(device, "nas.home.arpa");

  auto leaf = ca::Certificate::FromPem(testing::ReadText(device / "cert.pem"));
  REQUIRE(leaf.ok());
  REQUIRE(
      served.ca.authority->Revoke(leaf->SerialHex(), ca::RevocationReason::kKeyCompromise, "test")
          .ok());
  ProcessResult refused = Cli(With({"renew", "--ca", served.server->url()}, Files(device)));
  CHECK(refused.exit_code == 1);
  CHECK(refused.err.find("revoked") != std::string::npos);
}

TEST_CASE("over HTTPS: interception and impostors are refused", "[device][https][cli]") {
  ServedCa served;
  SECTION("the CA binds another TLS certificate than the device sees") {
    served.service->SetServerCertificateSha256(RandomBytes(32));
    testing::TempDir device;
    ProcessResult result = Cli(With(
        {"pair", "--code", served.NewPairing("nas"), "--ca", served.server->url()}, Files(device)));
    CHECK(result.exit_code == 1);
    CHECK(result.err.find("intercepted") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(device / "cert.pem"));
  }
  SECTION("renewal against a server with another CA's certificate for ca.home.arpa") {
    testing::TempDir device;
    REQUIRE(Cli(With({"pair", "--code", served.NewPairing("nas"), "--ca", served.server->url()},
                     Files(device)))
                .exit_code == 0);
    DeviceTestCa other;
    WriteServerIdentity(*other.authority, "ca.home.arpa", other.dir / "srv");
    testing::HttpsTestServer impostor(
        (other.dir / "srv" / "key.pem").string(), (other.dir / "srv" / "chain.pem").string(),
        (other.dir / "srv" / "root.pem").string(),
        [](Poco::Net::HTTPServerRequest&, Poco::Net::HTTPServerResponse& response) {
          response.send() << "{}";
        });
    ProcessResult result = Cli(With({"renew", "--ca", impostor.url()}, Files(device)));
    CHECK(result.exit_code == 1);
    CHECK(result.err.find("did not prove") != std::string::npos);
  }
}

TEST_CASE("over HTTPS: run renews when due and runs the hook", "[device][https][cli]") {
  ServedCa served(70);  // what it issues is 70 days old: past two thirds of 90 days
  testing::TempDir device;
  REQUIRE(Cli({"pair", "--code", served.NewPairing("nas"), "--ca", served.server->url(), "--dir",
               device.path().string()})
              .exit_code == 0);
  // The CA's clock moves to today: the renewed certificate starts now.
  served.ca.clock.Advance(70 * 86400);
  testing::BackgroundProcess run(
      {testing::BuiltProgram("enroll/cli/homeca-enroll"), "run", "--dir", device.path().string(),
       "--exec", "touch " + (device / "reloaded").string()},
      device / "run.log");
  REQUIRE(run.WaitForLog("next renewal"));
  const std::string log = run.Log();
  INFO(log);
  CHECK(log.find("renewed; valid until") != std::string::npos);
  CHECK(std::filesystem::exists(device / "reloaded"));
  CHECK(run.Stop() == 0);
  CheckOpensslVerifies(device, "nas.home.arpa");
}

TEST_CASE("over HTTPS: checkin tells the CA where the device is (CLI, C and C++ API)",
          "[device][https][cli][checkin]") {
  ServedCa served;
  testing::TempDir device;
  const std::string dir = (device / "tls").string();
  REQUIRE(
      Cli({"pair", "--code", served.NewPairing("nas"), "--ca", served.server->url(), "--dir", dir})
          .exit_code == 0);
  REQUIRE(served.Contacts().size() == 1);
  CHECK(served.Contacts().back().how == "pairing");
  const std::int64_t paired_id = served.Contacts().back().certificate_id;

  ProcessResult checked = Cli({"checkin", "--dir", dir});
  INFO(checked.out << checked.err);
  REQUIRE(checked.exit_code == 0);
  CHECK(checked.out.find("checked in: the CA sees this device at 127.0.0.1\n") == 0);
  CHECK(checked.out.find("names:      nas.home.arpa") != std::string::npos);
  REQUIRE(served.Contacts().size() == 2);
  CHECK(served.Contacts().back().how == "checkin");
  CHECK(served.Contacts().back().address == "127.0.0.1");
  CHECK(served.Contacts().back().certificate_id == paired_id);

  // At once again: the CA holds a certificate to one check-in per 5 s.
  ProcessResult again = Cli({"checkin", "--dir", dir});
  CHECK(again.exit_code == 1);
  CHECK(again.err.find("[rate_limited]; try again in") != std::string::npos);
  CHECK(served.Contacts().size() == 2);

  served.ca.clock.Advance(5);
  homeca::enroll_api::Device api;
  REQUIRE_FALSE(api.SetStateDir(dir));
  homeca::enroll_api::CheckInResult seen;
  auto err = api.CheckIn(&seen);
  INFO(err.message);
  REQUIRE_FALSE(err);
  CHECK(seen.address == "127.0.0.1");
  CHECK(seen.names == std::vector<std::string>{"nas.home.arpa", "nas.local"});
  CHECK(served.Contacts().size() == 3);

  // The C view after a failure: nothing left over from the success.
  auto leaf = ca::Certificate::FromPem(testing::ReadText(device / "tls" / "cert.pem"));
  REQUIRE(leaf.ok());
  REQUIRE(
      served.ca.authority->Revoke(leaf->SerialHex(), ca::RevocationReason::kKeyCompromise, "test")
          .ok());
  served.ca.clock.Advance(5);
  homeca_enroll_t* h = homeca_enroll_new(nullptr);
  REQUIRE(h != nullptr);
  REQUIRE(homeca_enroll_set_state_dir(h, dir.c_str()) == HOMECA_ENROLL_OK);
  CHECK(homeca_enroll_checkin(h) == HOMECA_ENROLL_ERR_REVOKED);
  CHECK(std::string(homeca_enroll_checkin_address(h)).empty());
  CHECK(homeca_enroll_checkin_name_count(h) == 0);
  CHECK(homeca_enroll_checkin_name(h, 0) == nullptr);
  CHECK(homeca_enroll_checkin_name(h, -1) == nullptr);
  homeca_enroll_free(h);
  CHECK(homeca_enroll_checkin(nullptr) == HOMECA_ENROLL_ERR_INVALID_ARGUMENT);
  CHECK(std::string(homeca_enroll_checkin_address(nullptr)).empty());
  CHECK(served.Contacts().size() == 3);
  ProcessResult revoked = Cli({"checkin", "--dir", dir});
  CHECK(revoked.exit_code == 1);
  CHECK(revoked.err.find("[revoked]") != std::string::npos);
}

TEST_CASE("over HTTPS: run checks in at start", "[device][https][cli][checkin]") {
  ServedCa served;
  testing::TempDir device;
  REQUIRE(Cli({"pair", "--code", served.NewPairing("nas"), "--ca", served.server->url(), "--dir",
               device.path().string()})
              .exit_code == 0);
  testing::BackgroundProcess run(
      {testing::BuiltProgram("enroll/cli/homeca-enroll"), "run", "--dir", device.path().string()},
      device / "run.log");
  REQUIRE(run.WaitForLog("checked in: the CA sees this device at 127.0.0.1"));
  REQUIRE(run.WaitForLog("next renewal"));
  CHECK(run.Stop() == 0);
  const std::vector<DeviceContact> contacts = served.Contacts();
  REQUIRE(contacts.size() == 2);
  CHECK(contacts.back().how == "checkin");
  CHECK(contacts.back().address == "127.0.0.1");
}

}  // namespace
}  // namespace homeca::enroll
