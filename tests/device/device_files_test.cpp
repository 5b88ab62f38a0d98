#include "enroll/device/device_files.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "enroll/device/device_enroller.h"
#include "enroll/device/issued_chain.h"
#include "tests/device/fake_ca.h"

namespace homeca::enroll {
namespace {

mode_t ModeOf(const std::filesystem::path& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

ino_t InodeOf(const std::filesystem::path& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_ino;
}

EnrollerConfig ConfigUnder(const std::filesystem::path& dir, const ca::Clock& clock) {
  EnrollerConfig config;
  config.paths = DevicePaths::Under(dir);
  config.clock = &clock;
  return config;
}

TEST_CASE("pairing installs key, certificate, chain and root with the right modes", "[device]") {
  DeviceTestCa ca;
  const std::string code = NewCode();
  FakeCa fake(*ca.authority, code);
  const EnrollerConfig config = ConfigUnder(ca.dir / "device" / "tls", ca.clock);
  auto paired = PairAndInstallWith(fake, config, code, "/enroll/v1");
  INFO(paired.status().message());
  REQUIRE(paired.ok());

  CHECK(ModeOf(config.paths.key) == 0600);
  CHECK(ModeOf(config.paths.cert) == 0644);
  CHECK(ModeOf(config.paths.chain) == 0644);
  CHECK(ModeOf(config.paths.root) == 0644);
  CHECK(ModeOf(ca.dir / "device" / "tls") == 0755);

  auto chain = ParsePemCertificates(testing::ReadText(config.paths.chain));
  REQUIRE(chain.ok());
  REQUIRE(chain->size() == 2);
  CHECK((*chain)[0].der() == paired->chain[0].der());
  CHECK((*chain)[1].der() == ca.authority->intermediate().der());
  auto leaf = ParsePemCertificates(testing::ReadText(config.paths.cert));
  REQUIRE(leaf.ok());
  REQUIRE(leaf->size() == 1);
  CHECK((*leaf)[0].der() == paired->chain[0].der());
  auto root = ParsePemCertificates(testing::ReadText(config.paths.root));
  REQUIRE(root.ok());
  CHECK((*root)[0].der() == ca.authority->root().der());
  const std::string key_pem = testing::ReadText(config.paths.key);
  CHECK(key_pem.find("-----BEGIN PRIVATE KEY-----") == 0);
  // No temporary files left behind.
  int entries = 0;
  for ([[maybe_unused]] const auto& e :
       std::filesystem::directory_iterator(ca.dir / "device" / "tls")) {
    ++entries;
  }
  CHECK(entries == 5);

  auto loaded = LoadEnrollment(config.paths);
  INFO(loaded.status().message());
  REQUIRE(loaded.ok());
  CHECK(loaded->renew_url == fake.renew_url);
  CHECK(loaded->names == std::vector<std::string>{"nas.home.arpa"});
  CHECK(loaded->not_after == paired->not_after);
  CHECK(loaded->key.PublicKeyDer() == paired->key.PublicKeyDer());

  SECTION("renewal replaces the key and the certificates, at the same paths") {
    const ino_t key_inode = InodeOf(config.paths.key);
    const ino_t chain_inode = InodeOf(config.paths.chain);
    auto renewed = RenewAndInstallWith(fake, config, *loaded, "/enroll/v1/renew");
    INFO(renewed.status().message());
    REQUIRE(renewed.ok());
    CHECK(InodeOf(config.paths.key) != key_inode);
    CHECK(InodeOf(config.paths.chain) != chain_inode);
    CHECK(testing::ReadText(config.paths.key) != key_pem);
    CHECK(ModeOf(config.paths.key) == 0600);
    CHECK_FALSE(std::filesystem::exists(config.paths.key.string() + ".next"));
    auto reloaded = LoadEnrollment(config.paths);
    REQUIRE(reloaded.ok());
    CHECK(reloaded->key.PublicKeyDer() == renewed->key.PublicKeyDer());
    CHECK(reloaded->chain[0].SerialHex() == renewed->chain[0].SerialHex());
    CHECK(reloaded->chain[0].SerialHex() != loaded->chain[0].SerialHex());
  }
  SECTION("a key that does not match the certificate is reported") {
    auto other = ca::PrivateKey::Generate(ca::KeyAlgorithm::kEcP256);
    REQUIRE(other.ok());
    testing::WriteText(config.paths.key, *other->ToPem());
    auto mismatched = LoadEnrollment(config.paths);
    CHECK(ErrorOf(mismatched) == EnrollError::kIo);
    CHECK(mismatched.status().message().find("does not match") != std::string::npos);
  }
}

TEST_CASE("each file can live where the device's services expect it", "[device]") {
  DeviceTestCa ca;
  const std::string code = NewCode();
  FakeCa fake(*ca.authority, code);
  EnrollerConfig config = ConfigUnder(ca.dir / "state", ca.clock);
  config.paths.key = ca.dir / "private" / "device.key";
  config.paths.chain = ca.dir / "certs" / "fullchain.pem";
  auto paired = PairAndInstallWith(fake, config, code, "/enroll/v1");
  INFO(paired.status().message());
  REQUIRE(paired.ok());
  CHECK(ModeOf(ca.dir / "private" / "device.key") == 0600);
  CHECK(std::filesystem::exists(ca.dir / "certs" / "fullchain.pem"));
  CHECK(std::filesystem::exists(ca.dir / "state" / "cert.pem"));
  CHECK(std::filesystem::exists(ca.dir / "state" / "enrollment.json"));
  CHECK_FALSE(std::filesystem::exists(ca.dir / "state" / "key.pem"));
  CHECK(LoadEnrollment(config.paths).ok());
}

TEST_CASE("nothing is sent or written for a typo, and unwritable paths fail first", "[device]") {
  DeviceTestCa ca;
  const std::string code = NewCode();
  FakeCa fake(*ca.authority, code);
  const EnrollerConfig config = ConfigUnder(ca.dir / "tls", ca.clock);
  CHECK(ErrorOf(PairAndInstallWith(fake, config, WithTypo(code), "/enroll/v1")) ==
        EnrollError::kInvalidCode);
  CHECK_FALSE(std::filesystem::exists(ca.dir / "tls"));

  testing::WriteText(ca.dir / "file", "not a directory");
  const EnrollerConfig blocked = ConfigUnder(ca.dir / "file" / "tls", ca.clock);
  CHECK(ErrorOf(PairAndInstallWith(fake, blocked, code, "/enroll/v1")) == EnrollError::kIo);
  CHECK(fake.requests.empty());
}

TEST_CASE("status without a pairing says so", "[device]") {
  testing::TempDir dir;
  auto loaded = LoadEnrollment(DevicePaths::Under(dir.path()));
  CHECK(ErrorOf(loaded) == EnrollError::kNotEnrolled);
  CHECK(loaded.status().message().find("pair this device first") != std::string::npos);
}

}  // namespace
}  // namespace homeca::enroll
