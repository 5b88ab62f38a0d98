// The device's certificate request, judged by `openssl req` (signature,
// subject, public key) for each kind of key a device may hold: the EC keys it
// generates, whose public key we encode ourselves, and keys brought with
// --key: RSA takes OpenSSL's general path, and an EC key stored with
// explicit parameters still gets its curve named.
#include "enroll/device/device_csr.h"

#include <openssl/x509.h>

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "ca/base/openssl_handles.h"
#include "tests/support/process.h"

namespace homeca::enroll {
namespace {

ca::PrivateKey KeyOfKind(const std::string& kind) {
  if (kind == "P-256" || kind == "P-384") {
    auto key = ca::PrivateKey::Generate(kind == "P-256" ? ca::KeyAlgorithm::kEcP256
                                                        : ca::KeyAlgorithm::kEcP384);
    REQUIRE(key.ok());
    return *key;
  }
  const std::vector<std::string> genpkey =
      kind == "RSA" ? std::vector<std::string>{"openssl", "genpkey",  "-algorithm",
                                               "RSA",     "-pkeyopt", "rsa_keygen_bits:2048"}
                    : std::vector<std::string>{"openssl",    "genpkey",
                                               "-algorithm", "EC",
                                               "-pkeyopt",   "ec_paramgen_curve:P-256",
                                               "-pkeyopt",   "ec_param_enc:explicit"};
  auto pem = testing::Run(genpkey);
  REQUIRE(pem.exit_code == 0);
  auto key = ca::PrivateKey::FromPem(pem.out);
  REQUIRE(key.ok());
  return *key;
}

TEST_CASE("the device's CSR is signed by its key, carries its public key, and openssl agrees") {
  for (const std::string kind : {"P-256", "P-384", "RSA", "EC with explicit parameters"}) {
    INFO(kind);
    const ca::PrivateKey key = KeyOfKind(kind);
    auto der = MakeCsrDer(key, "nas-7f3a");
    REQUIRE(der.ok());

    testing::TempDir dir;
    const std::string csr_file = (dir / "req.der").string();
    testing::WriteText(dir / "req.der", std::string(der->begin(), der->end()));
    auto checked = testing::Run({"openssl", "req", "-inform", "DER", "-in", csr_file, "-verify",
                                 "-noout", "-subject", "-pubkey"});
    INFO(checked.err);
    REQUIRE(checked.exit_code == 0);
    CHECK_THAT(checked.err + checked.out, Catch::Contains("verify OK"));
    CHECK_THAT(checked.out, Catch::Contains("subject=CN = nas-7f3a"));

    // The public key openssl reads from the request is the device's own, an
    // EC one always with its curve named (RFC 5480 forbids spelling out the
    // parameters in certificates), even when the key file spelled them out.
    const Bytes public_der = key.PublicKeyDer();
    std::vector<std::string> pkey = {"openssl", "pkey", "-pubin", "-inform", "DER", "-pubout"};
    if (kind != "RSA") pkey.insert(pkey.end(), {"-ec_param_enc", "named_curve"});
    auto expected = testing::Run(pkey, std::string(public_der.begin(), public_der.end()));
    REQUIRE(expected.exit_code == 0);
    CHECK_THAT(checked.out, Catch::Contains(expected.out));

    const unsigned char* p = der->data();
    ossl::X509Req parsed(d2i_X509_REQ(nullptr, &p, static_cast<long>(der->size())));
    REQUIRE(parsed);
    CHECK(EVP_PKEY_eq(X509_REQ_get0_pubkey(parsed.get()), key.native()) == 1);
  }
}

TEST_CASE("the device's CSR refuses an empty or overlong common name") {
  const ca::PrivateKey key = KeyOfKind("P-256");
  CHECK(MakeCsrDer(key, "").status().IsInvalidArgument());
  CHECK(MakeCsrDer(key, std::string(65, 'a')).status().IsInvalidArgument());
  CHECK(MakeCsrDer(key, std::string(64, 'a')).ok());
}

}  // namespace
}  // namespace homeca::enroll
