// The device's client core against the CA's real EnrollmentService, in one
// process: a Transport that hands each request to EnrollmentService::Handle,
// as the daemon's HTTP handler would.
#include <catch2/catch.hpp>

#include "enroll/device/device_enroller.h"
#include "enroll/device/protocol_client.h"
#include "enroll/enrollment_service.h"
#include "enroll/pairing_admin.h"
#include "tests/device/fake_ca.h"

namespace homeca::enroll {
namespace {

class InProcessTransport final : public Transport {
 public:
  InProcessTransport(EnrollmentService& service, Bytes server_hash)
      : service_(service), server_hash_(std::move(server_hash)) {}

  // The client chain a TLS handshake would have carried (renewal).
  std::vector<Bytes> client_chain;

  Result<TransportResponse> Post(std::string_view path, std::string_view json_body) override {
    EnrollmentRequest request{std::string(path), std::string(json_body), client_chain};
    EnrollmentResponse response = service_.Handle(request);
    return TransportResponse{response.http_status, response.body, response.retry_after_seconds};
  }
  Bytes ServerCertificateSha256() const override { return server_hash_; }

 private:
  EnrollmentService& service_;
  Bytes server_hash_;
};

struct Fixture {
  DeviceTestCa ca;
  Bytes server_hash = RandomBytes(32);
  std::unique_ptr<EnrollmentService> service;
  EnrollerConfig config;

  Fixture() {
    EnrollmentOptions options;
    options.server_cert_sha256 = server_hash;
    options.renew_url = "https://ca.home.arpa:8443/enroll/v1/renew";
    service = std::make_unique<EnrollmentService>(*ca.authority, options);
    config.paths = DevicePaths::Under(ca.dir / "device");
    config.clock = &ca.clock;
  }
};

TEST_CASE("pairs and renews against the real EnrollmentService", "[device][in-process]") {
  Fixture f;
  auto pairing = CreateCodePairing(*f.ca.authority, {"nas"}, kDefaultPairingTtlSeconds, "test");
  INFO(pairing.status().message());
  REQUIRE(pairing.ok());
  InProcessTransport transport(*f.service, f.server_hash);
  auto paired = PairAndInstallWith(transport, f.config, pairing->code.Display(), "/enroll/v1");
  INFO(paired.status().message() << " / " << paired.status().detail());
  REQUIRE(paired.ok());
  CHECK(paired->names == std::vector<std::string>{"nas.home.arpa", "nas.local"});
  CHECK(paired->root.der() == f.ca.authority->root().der());
  CHECK(paired->renew_url == "https://ca.home.arpa:8443/enroll/v1/renew");

  // Single use: the same code cannot pair again.
  InProcessTransport again(*f.service, f.server_hash);
  EnrollerConfig other = f.config;
  other.paths = DevicePaths::Under(f.ca.dir / "other");
  CHECK(ErrorOf(PairAndInstallWith(again, other, pairing->code.Display(), "/enroll/v1")) ==
        EnrollError::kNoPairing);

  auto installed = LoadEnrollment(f.config.paths);
  REQUIRE(installed.ok());
  InProcessTransport mutual_tls(*f.service, f.server_hash);
  for (const ca::Certificate& cert : installed->chain)
    mutual_tls.client_chain.push_back(cert.der());
  auto renewed = RenewAndInstallWith(mutual_tls, f.config, *installed, "/enroll/v1/renew");
  INFO(renewed.status().message() << " / " << renewed.status().detail());
  REQUIRE(renewed.ok());
  CHECK(renewed->names == paired->names);
  CHECK(renewed->chain[0].SerialHex() != paired->chain[0].SerialHex());

  InProcessTransport anonymous(*f.service, f.server_hash);
  CHECK(ErrorOf(RenewAndInstallWith(anonymous, f.config, *installed, "/enroll/v1/renew")) ==
        EnrollError::kNoClientCertificate);
}

TEST_CASE("the real service: wrong code and intercepted TLS", "[device][in-process]") {
  Fixture f;
  auto pairing = CreateCodePairing(*f.ca.authority, {"printer"}, kDefaultPairingTtlSeconds, "t");
  REQUIRE(pairing.ok());
  std::string wrong = NewCode(pairing->code.slot());
  InProcessTransport transport(*f.service, f.server_hash);
  auto result = PairAndInstallWith(transport, f.config, wrong, "/enroll/v1");
  CHECK(ErrorOf(result) == EnrollError::kBadConfirmation);
  CHECK(result.status().message().find("wrong code or intercepted connection") !=
        std::string::npos);

  InProcessTransport mitm(*f.service, RandomBytes(32));
  CHECK(ErrorOf(PairAndInstallWith(mitm, f.config, pairing->code.Display(), "/enroll/v1")) ==
        EnrollError::kBadConfirmation);
  // Two failed attempts used; the right code over the real connection still works.
  auto paired = PairAndInstallWith(transport, f.config, pairing->code.Display(), "/enroll/v1");
  INFO(paired.status().message());
  CHECK(paired.ok());
}

TEST_CASE("the real service: a device with its own code", "[device][in-process]") {
  Fixture f;
  const std::string code = NewCode(3);
  f.config.device_id = "tv-livingroom-7f3a";
  InProcessTransport transport(*f.service, f.server_hash);
  CHECK(ErrorOf(PairAndInstallWith(transport, f.config, code, "/enroll/v1")) ==
        EnrollError::kNoPairing);
  auto armed = ArmDevicePairing(*f.ca.authority, "tv-livingroom-7f3a", code, {"tv"},
                                kDefaultPairingTtlSeconds, "test");
  INFO(armed.status().message());
  REQUIRE(armed.ok());
  auto paired = PairAndInstallWith(transport, f.config, code, "/enroll/v1");
  INFO(paired.status().message());
  REQUIRE(paired.ok());
  CHECK(paired->names == std::vector<std::string>{"tv.home.arpa", "tv.local"});
}

TEST_CASE("the real service: a device that keeps w0/w1 instead of its code",
          "[device][in-process]") {
  Fixture f;
  const std::string code = NewCode(4);
  const std::string id = "cam-porch-01";
  REQUIRE(
      ArmDevicePairing(*f.ca.authority, id, code, {"cam"}, kDefaultPairingTtlSeconds, "test").ok());
  auto record =
      f.ca.authority->pairings().FindArmedPairing(ca::PairingKey::Device(id), f.ca.clock.Now());
  REQUIRE(record.ok());
  auto key = ca::PrivateKey::Generate(ca::KeyAlgorithm::kEcP256);
  REQUIRE(key.ok());
  PairingOptions options;
  options.device_id = id;
  options.clock = &f.ca.clock;
  InProcessTransport transport(*f.service, f.server_hash);
  auto kdf = ParsePasswordKdf(record->kdf);
  REQUIRE(kdf.ok());
  CHECK(kdf->kind == PasswordKdf::Kind::kScrypt);  // the default for a device's own code
  const std::string id_prover = "device:" + id;

  SECTION("secrets for the CA's salt are used as they are") {
    // Derived from another code: if the client used them, the exchange
    // fails, which proves they replace PBKDF2 of the real code.
    auto wrong = DeriveProverSecrets("999999999", id_prover, "homeca", record->salt, *kdf);
    REQUIRE(wrong.ok());
    options.precomputed_secrets = PairingOptions::PrecomputedSecrets{record->salt, *kdf, *wrong};
    auto refused = PairDevice(transport, code, *key, options);
    CHECK(ErrorOf(refused) == EnrollError::kBadConfirmation);
  }
  SECTION("the right secrets pair without the code being stretched") {
    auto code_digits = PairingCode::Parse(code);
    REQUIRE(code_digits.ok());
    auto secrets =
        DeriveProverSecrets(code_digits->digits(), id_prover, "homeca", record->salt, *kdf);
    REQUIRE(secrets.ok());
    options.precomputed_secrets = PairingOptions::PrecomputedSecrets{record->salt, *kdf, *secrets};
    auto paired = PairDevice(transport, code, *key, options);
    INFO(paired.status().message());
    REQUIRE(paired.ok());
    CHECK(paired->names == std::vector<std::string>{"cam.home.arpa", "cam.local"});
  }
  SECTION("secrets for another salt are ignored: the code is stretched instead") {
    auto code_digits = PairingCode::Parse(code);
    REQUIRE(code_digits.ok());
    Bytes other_salt = RandomBytes(16);
    auto unrelated =
        DeriveProverSecrets(code_digits->digits(), id_prover, "homeca", other_salt, *kdf);
    REQUIRE(unrelated.ok());
    options.precomputed_secrets = PairingOptions::PrecomputedSecrets{other_salt, *kdf, *unrelated};
    auto paired = PairDevice(transport, code, *key, options);
    INFO(paired.status().message());
    CHECK(paired.ok());
  }
}

}  // namespace
}  // namespace homeca::enroll
