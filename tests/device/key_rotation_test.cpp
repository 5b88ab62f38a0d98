// The device makes a new key on every renewal (docs/enrollment-protocol.md,
// Renewal), against the CA's real EnrollmentService and a real SQLite store,
// in one process: the transport hands each request to
// EnrollmentService::Handle with the client certificate a TLS handshake from
// the device's files would have carried. Covers: the key file changes and
// matches the new leaf; a copy of the device's files stops renewing once the
// device has renewed; a lost answer is recovered with the pending key (the
// CA's crash-retry rule) at each crash point; a refused renewal leaves no
// pending key.
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "enroll/device/device_csr.h"
#include "enroll/device/device_enroller.h"
#include "enroll/device/issued_chain.h"
#include "enroll/enrollment_service.h"
#include "enroll/pairing_admin.h"
#include "enroll/protocol/messages.h"
#include "tests/device/fake_ca.h"

namespace homeca::enroll {
namespace {

class ServiceTransport final : public Transport {
 public:
  ServiceTransport(EnrollmentService& service, Bytes server_hash)
      : service_(service), server_hash_(std::move(server_hash)) {}

  std::vector<Bytes> client_chain;  // what the TLS handshake would carry
  bool drop_answer = false;         // the CA answers, the device never hears it
  std::string last_body;            // the CA's last answer, heard or not

  Result<TransportResponse> Post(std::string_view path, std::string_view json_body) override {
    EnrollmentResponse response =
        service_.Handle(EnrollmentRequest{std::string(path), std::string(json_body), client_chain});
    last_body = response.body;
    if (drop_answer) return Fail(EnrollError::kNetwork, "connection lost (test)");
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

  void Pair() {
    auto pairing = CreateCodePairing(*ca.authority, {"nas"}, kDefaultPairingTtlSeconds, "test");
    REQUIRE(pairing.ok());
    ServiceTransport transport(*service, server_hash);
    auto paired = PairAndInstallWith(transport, config, pairing->code.Display(), "/enroll/v1");
    INFO(paired.status().message());
    REQUIRE(paired.ok());
  }

  // Renews the device whose files are at `paths`, as RenewAndInstall does:
  // load them, present their certificate, renew.
  Result<Enrollment> Renew(const DevicePaths& paths, bool drop_answer = false,
                           std::string* answer = nullptr) {
    auto installed = LoadEnrollment(paths);
    if (!installed.ok()) return installed;
    ServiceTransport transport(*service, server_hash);
    transport.drop_answer = drop_answer;
    for (const ca::Certificate& cert : installed->chain)
      transport.client_chain.push_back(cert.der());
    EnrollerConfig at = config;
    at.paths = paths;
    auto renewed = RenewAndInstallWith(transport, at, *installed, "/enroll/v1/renew");
    if (answer != nullptr) *answer = transport.last_body;
    return renewed;
  }
};

ca::Certificate Leaf(const DevicePaths& paths) {
  auto leaf = ca::Certificate::FromPem(testing::ReadText(paths.cert));
  REQUIRE(leaf.ok());
  return *leaf;
}

bool KeyMatchesLeaf(const DevicePaths& paths) {
  auto key = ca::PrivateKey::FromPem(testing::ReadText(paths.key));
  REQUIRE(key.ok());
  return EVP_PKEY_eq(X509_get0_pubkey(Leaf(paths).native()), key->native()) == 1;
}

// The leaf of a renew answer the device never heard.
ca::Certificate LeafOf(const std::string& answer) {
  auto renewed = ParseRenewAnswer(answer);
  REQUIRE(renewed.ok());
  REQUIRE_FALSE(renewed->chain.empty());
  auto leaf = ca::Certificate::FromDer(renewed->chain.front());
  REQUIRE(leaf.ok());
  return *leaf;
}

// The documented name: the key file's path plus ".next".
std::filesystem::path Pending(const DevicePaths& paths) { return paths.key.string() + ".next"; }

bool Exists(const std::filesystem::path& path) {
  std::error_code ec;
  return std::filesystem::exists(path, ec);
}

mode_t ModeOf(const std::filesystem::path& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

TEST_CASE("key rotation: each renewal installs a new key matching the new leaf",
          "[device][in-process][keyrotate]") {
  Fixture f;
  f.Pair();
  const DevicePaths& paths = f.config.paths;
  const std::string key_before = testing::ReadText(paths.key);
  const std::string serial_before = Leaf(paths).SerialHex();

  auto renewed = f.Renew(paths);
  INFO(renewed.status().message() << " / " << renewed.status().detail());
  REQUIRE(renewed.ok());
  CHECK(Leaf(paths).SerialHex() != serial_before);
  CHECK(testing::ReadText(paths.key) != key_before);
  CHECK(KeyMatchesLeaf(paths));
  CHECK(renewed->key.PublicKeyDer() ==
        ca::PrivateKey::FromPem(testing::ReadText(paths.key))->PublicKeyDer());
  CHECK(ModeOf(paths.key) == 0600);
  CHECK_FALSE(Exists(Pending(paths)));
  CHECK(LoadEnrollment(paths).ok());

  // And again from the new certificate: another new key, same algorithm.
  const std::string key_second = testing::ReadText(paths.key);
  auto again = f.Renew(paths);
  INFO(again.status().message());
  REQUIRE(again.ok());
  CHECK(testing::ReadText(paths.key) != key_second);
  CHECK(KeyMatchesLeaf(paths));
  CHECK(again->key.Description() == "EC P-256");
}

TEST_CASE("key rotation: the new key is of the current key's kind",
          "[device][in-process][keyrotate]") {
  SECTION("a P-384 device renews to a P-384 key through the real service") {
    Fixture f;
    f.config.key_algorithm = ca::KeyAlgorithm::kEcP384;
    f.Pair();
    const std::string key_before = testing::ReadText(f.config.paths.key);
    auto renewed = f.Renew(f.config.paths);
    INFO(renewed.status().message());
    REQUIRE(renewed.ok());
    CHECK(renewed->key.Description() == "EC P-384");
    CHECK(testing::ReadText(f.config.paths.key) != key_before);
    CHECK(KeyMatchesLeaf(f.config.paths));
  }
  SECTION("RSA keeps its size") {
    EVP_PKEY* rsa = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", std::size_t{2048});
    REQUIRE(rsa != nullptr);
    const ca::PrivateKey current(rsa);
    auto fresh = GenerateKeyLike(current);
    INFO(fresh.status().message());
    REQUIRE(fresh.ok());
    CHECK(fresh->Description() == "RSA 2048");
    CHECK(fresh->PublicKeyDer() != current.PublicKeyDer());
  }
}

TEST_CASE("key rotation: a copy of the device's files stops renewing once the device renews",
          "[device][in-process][keyrotate]") {
  Fixture f;
  f.Pair();
  const std::filesystem::path copy_dir = f.ca.dir / "copy";
  std::filesystem::copy(f.ca.dir / "device", copy_dir, std::filesystem::copy_options::recursive);
  const DevicePaths copy = DevicePaths::Under(copy_dir);
  const std::string copied_cert = testing::ReadText(copy.cert);

  auto device = f.Renew(f.config.paths);
  INFO(device.status().message());
  REQUIRE(device.ok());
  const std::string current_serial = Leaf(f.config.paths).SerialHex();

  // With the old library the copy's CSR carried the key the device still
  // used, which the CA's crash-retry rule took for the device asking again:
  // the copy got the current certificate back, and could renew from it.
  auto stolen = f.Renew(copy);
  CHECK(ErrorOf(stolen) == EnrollError::kSuperseded);
  CHECK(testing::ReadText(copy.cert) == copied_cert);
  CHECK(Leaf(copy).SerialHex() != current_serial);
  CHECK_FALSE(Exists(Pending(copy)));  // refused for good: the new key is dropped

  // The real device carries on.
  auto next = f.Renew(f.config.paths);
  INFO(next.status().message());
  CHECK(next.ok());
}

TEST_CASE("key rotation: a lost answer is recovered with the pending key",
          "[device][in-process][keyrotate]") {
  Fixture f;
  f.Pair();
  const DevicePaths& paths = f.config.paths;
  const std::string old_key = testing::ReadText(paths.key);
  const std::string old_cert = testing::ReadText(paths.cert);

  // The CA issues, the device never hears it (crash, power cut, dropped link).
  std::string answer;
  auto lost = f.Renew(paths, /*drop_answer=*/true, &answer);
  REQUIRE(ErrorOf(lost) == EnrollError::kNetwork);
  const ca::Certificate issued = LeafOf(answer);
  // Nothing installed; the old pair still works; the new key is kept, 0600.
  CHECK(testing::ReadText(paths.key) == old_key);
  CHECK(testing::ReadText(paths.cert) == old_cert);
  REQUIRE(Exists(Pending(paths)));
  CHECK(ModeOf(Pending(paths)) == 0600);
  const std::string pending = testing::ReadText(Pending(paths));
  CHECK(LoadEnrollment(paths).ok());

  SECTION("crash before anything was written: the next renewal gets the same certificate") {
    auto retried = f.Renew(paths);
    INFO(retried.status().message() << " / " << retried.status().detail());
    REQUIRE(retried.ok());
    CHECK(retried->chain[0].SerialHex() == issued.SerialHex());
    CHECK(Leaf(paths).SerialHex() == issued.SerialHex());
    CHECK(testing::ReadText(paths.key) == pending);
    CHECK(KeyMatchesLeaf(paths));
    CHECK_FALSE(Exists(Pending(paths)));
  }
  SECTION("crash after the chain was written, before the leaf and the key") {
    // What InstallRenewal has done by then: chain.pem only.
    testing::WriteText(paths.chain, issued.Pem() + f.ca.authority->intermediate().Pem());
    auto loaded = LoadEnrollment(paths);
    INFO(loaded.status().message());
    REQUIRE(loaded.ok());
    CHECK(loaded->chain[0].SerialHex() == issued.SerialHex());
    CHECK(Leaf(paths).SerialHex() == issued.SerialHex());  // cert.pem finished too
    CHECK(testing::ReadText(paths.key) == pending);
    CHECK(KeyMatchesLeaf(paths));
    CHECK_FALSE(Exists(Pending(paths)));
    // And it renews on from there, with yet another key.
    auto renewed = f.Renew(paths);
    INFO(renewed.status().message());
    REQUIRE(renewed.ok());
    CHECK(renewed->chain[0].SerialHex() != issued.SerialHex());
    CHECK(testing::ReadText(paths.key) != pending);
    CHECK(KeyMatchesLeaf(paths));
  }
}

TEST_CASE("key rotation: a renewal the CA refuses leaves no pending key",
          "[device][in-process][keyrotate]") {
  Fixture f;
  f.Pair();
  const DevicePaths& paths = f.config.paths;

  SECTION("the certificate was revoked") {
    REQUIRE(f.ca.authority
                ->Revoke(Leaf(paths).SerialHex(), ca::RevocationReason::kKeyCompromise, "test")
                .ok());
    CHECK(ErrorOf(f.Renew(paths)) == EnrollError::kRevoked);
    CHECK_FALSE(Exists(Pending(paths)));
    CHECK(LoadEnrollment(paths).ok());
  }
  SECTION("a pending key from a lost answer whose certificate was since revoked") {
    std::string answer;
    REQUIRE(ErrorOf(f.Renew(paths, /*drop_answer=*/true, &answer)) == EnrollError::kNetwork);
    REQUIRE(Exists(Pending(paths)));
    REQUIRE(f.ca.authority
                ->Revoke(LeafOf(answer).SerialHex(), ca::RevocationReason::kKeyCompromise, "test")
                .ok());
    CHECK(ErrorOf(f.Renew(paths)) == EnrollError::kSuperseded);
    CHECK_FALSE(Exists(Pending(paths)));
  }
  SECTION("a network failure keeps it: the CA may have issued") {
    REQUIRE(ErrorOf(f.Renew(paths, /*drop_answer=*/true)) == EnrollError::kNetwork);
    CHECK(Exists(Pending(paths)));
  }
}

}  // namespace
}  // namespace homeca::enroll
