// The key bundles handed to devices without a shell (ca/key_bundle.h): each
// PKCS#12 is opened by the real `openssl pkcs12`, which must find the key,
// the leaf and the intermediate behind the password, and a PEM bundle must
// hold a key that matches its certificate.
#include "ca/key_bundle.h"

#include <catch2/catch.hpp>

#include "ca/authority.h"
#include "tests/ca/ca_fixture.h"
#include "tests/support/process.h"

namespace homeca::ca {
namespace {

using testing::Run;

struct Issued {
  PrivateKey key;
  std::vector<Certificate> chain;
};

Issued IssueWithNewKey(Authority& ca, DeviceKeyType type) {
  Result<PrivateKey> key = GenerateDeviceKey(type);
  REQUIRE(key.ok());
  Result<std::string> csr = MakeCsrPem(*key);
  REQUIRE(csr.ok());
  Result<IssuedCertificate> issued = ca.Issue(IssueRequest{*csr, {"printer"}});
  INFO(issued.status().message());
  REQUIRE(issued.ok());
  return Issued{*key, issued->chain};
}

// `openssl pkcs12 -info` on `der`: its output and stderr (where -info goes).
testing::ProcessResult OpenPkcs12(const testing::TempDir& dir, const Bytes& der,
                                  const std::string& password) {
  testing::WriteText(dir / "bundle.p12", std::string(der.begin(), der.end()));
  return Run({"openssl", "pkcs12", "-in", (dir / "bundle.p12").string(), "-info", "-nodes",
              "-passin", "pass:" + password});
}

TEST_CASE("a PKCS#12 with AES-256 and a SHA-256 MAC opens with its password") {
  testing::TempDir dir;
  auto ca = testing::NewAuthority(dir / "ca");
  Issued issued = IssueWithNewKey(*ca, DeviceKeyType::kEcP256);
  Result<Bytes> p12 =
      BuildPkcs12(issued.key, issued.chain, "correct horse", Pkcs12Protection::kAes256, "printer");
  INFO(p12.status().message() << " " << p12.status().detail());
  REQUIRE(p12.ok());

  testing::ProcessResult opened = OpenPkcs12(dir, *p12, "correct horse");
  INFO(opened.err);
  REQUIRE(opened.exit_code == 0);
  CHECK(opened.err.find("MAC: sha256") != std::string::npos);
  CHECK(opened.err.find("AES-256-CBC") != std::string::npos);
  CHECK(opened.err.find("PBKDF2") != std::string::npos);
  CHECK(opened.out.find("PRIVATE KEY") != std::string::npos);
  CHECK(opened.out.find("friendlyName: printer") != std::string::npos);
  CHECK(opened.out.find(issued.chain[0].Pem()) != std::string::npos);
  CHECK(opened.out.find(issued.chain[1].Pem()) != std::string::npos);

  CHECK(OpenPkcs12(dir, *p12, "wrong horse!").exit_code != 0);
}

TEST_CASE("a legacy PKCS#12 uses 3DES and SHA-1 and opens without the legacy provider") {
  testing::TempDir dir;
  auto ca = testing::NewAuthority(dir / "ca");
  Issued issued = IssueWithNewKey(*ca, DeviceKeyType::kRsa2048);
  CHECK(issued.key.Description() == "RSA 2048");
  Result<Bytes> p12 = BuildPkcs12(issued.key, issued.chain, "old printer",
                                  Pkcs12Protection::kLegacy3Des, "printer");
  INFO(p12.status().message() << " " << p12.status().detail());
  REQUIRE(p12.ok());
  // 3DES is in OpenSSL 3's default provider; only RC2-40 (the old default
  // for certificates) would need -legacy, and it is not used.
  testing::ProcessResult opened = OpenPkcs12(dir, *p12, "old printer");
  INFO(opened.err);
  REQUIRE(opened.exit_code == 0);
  CHECK(opened.err.find("MAC: sha1") != std::string::npos);
  CHECK(opened.err.find("pbeWithSHA1And3-KeyTripleDES-CBC") != std::string::npos);
  CHECK(opened.err.find("AES") == std::string::npos);
  CHECK(opened.out.find(issued.chain[0].Pem()) != std::string::npos);
}

TEST_CASE("PKCS#12 passwords: too short or unconfirmed is refused in plain words") {
  CHECK(CheckPkcs12Password("short", "short").message().find("at least 8 characters") !=
        std::string::npos);
  CHECK(CheckPkcs12Password("long enough", "long enouhg").message() == "the two passwords differ");
  CHECK(CheckPkcs12Password("long enough", "long enough").ok());

  testing::TempDir dir;
  auto ca = testing::NewAuthority(dir / "ca");
  Issued issued = IssueWithNewKey(*ca, DeviceKeyType::kEcP256);
  CHECK(BuildPkcs12(issued.key, issued.chain, "short", Pkcs12Protection::kAes256, "x")
            .status()
            .IsInvalidArgument());
}

TEST_CASE("a PEM key bundle holds the key, then the leaf and the intermediate") {
  testing::TempDir dir;
  auto ca = testing::NewAuthority(dir / "ca");
  Issued issued = IssueWithNewKey(*ca, DeviceKeyType::kEcP256);
  Result<std::string> bundle = PemKeyBundle(issued.key, issued.chain);
  REQUIRE(bundle.ok());
  REQUIRE(bundle->rfind("-----BEGIN PRIVATE KEY-----", 0) == 0);
  const std::size_t leaf = bundle->find(issued.chain[0].Pem());
  const std::size_t intermediate = bundle->find(issued.chain[1].Pem());
  CHECK(leaf != std::string::npos);
  CHECK(intermediate != std::string::npos);
  CHECK(leaf < intermediate);
  testing::WriteText(dir / "bundle.pem", *bundle);
  // The key in the file is the one the certificate names.
  auto from_key = Run({"openssl", "pkey", "-in", (dir / "bundle.pem").string(), "-pubout"});
  auto from_cert =
      Run({"openssl", "x509", "-in", (dir / "bundle.pem").string(), "-noout", "-pubkey"});
  REQUIRE(from_key.exit_code == 0);
  CHECK(from_key.out == from_cert.out);
}

TEST_CASE("device key types parse as the form and the CLI say them") {
  CHECK(*ParseDeviceKeyType("p256") == DeviceKeyType::kEcP256);
  CHECK(*ParseDeviceKeyType("rsa2048") == DeviceKeyType::kRsa2048);
  CHECK(ParseDeviceKeyType("rsa1024").status().IsInvalidArgument());
}

}  // namespace
}  // namespace homeca::ca
