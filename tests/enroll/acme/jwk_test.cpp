#include "enroll/acme/jwk.h"

#include <algorithm>
#include <catch2/catch.hpp>

#include "enroll/acme/problem.h"
#include "tests/enroll/acme/jws_signer.h"
#include "tests/enroll/acme/rfc_vectors.h"

namespace acme = homeca::enroll::acme;
using acme::testing::JwkJson;
using acme::testing::TestKey;

namespace {

std::string RsaJwk(std::string_view n, std::string_view e, std::string_view extra = "") {
  return "{\"kty\":\"RSA\",\"n\":\"" + std::string(n) + "\",\"e\":\"" + std::string(e) + "\"" +
         std::string(extra) + "}";
}

std::string EcJwk(std::string_view crv, std::string_view x, std::string_view y) {
  return "{\"kty\":\"EC\",\"crv\":\"" + std::string(crv) + "\",\"x\":\"" + std::string(x) +
         "\",\"y\":\"" + std::string(y) + "\"}";
}

acme::ProblemType TypeOf(const homeca::Status& status) { return acme::ToProblem(status).type; }

}  // namespace

TEST_CASE("jwk: the RFC 7638 section 3.1 example has the RFC's thumbprint") {
  auto jwk = acme::Jwk::Parse(RsaJwk(acme::testing::kRfc7638N, "AQAB"));
  REQUIRE(jwk.ok());
  CHECK(jwk->thumbprint() == acme::testing::kRfc7638Thumbprint);
  CHECK(jwk->kind() == acme::KeyKind::kRsa);
  CHECK(jwk->bits() == 2048);
}

TEST_CASE("jwk: member order and extra members do not change the thumbprint") {
  // As RFC 7638 prints it (alg and kid present), reordered, and with the
  // "use":"sig" Proxmox VE sends.
  const std::string n(acme::testing::kRfc7638N);
  auto jwk = acme::Jwk::Parse("{\"use\":\"sig\",\"e\":\"AQAB\",\"alg\":\"RS256\",\"n\":\"" + n +
                              "\",\"kid\":\"2011-04-29\",\"kty\":\"RSA\"}");
  REQUIRE(jwk.ok());
  CHECK(jwk->thumbprint() == acme::testing::kRfc7638Thumbprint);
  CHECK(jwk->canonical_json() == "{\"e\":\"AQAB\",\"kty\":\"RSA\",\"n\":\"" + n + "\"}");
}

TEST_CASE("jwk: EC keys of every curve round-trip from EVP_PKEY to JWK and back") {
  for (const char* name : {"p256", "p384", "p521", "rsa2048"}) {
    INFO(name);
    EVP_PKEY* key = TestKey(name);
    auto jwk = acme::Jwk::FromPkey(key);
    REQUIRE(jwk.ok());
    CHECK(jwk->SameKey(*acme::Jwk::Parse(JwkJson(key))));
    auto again = acme::Jwk::Parse(jwk->canonical_json());
    REQUIRE(again.ok());
    CHECK(again->thumbprint() == jwk->thumbprint());
    CHECK(EVP_PKEY_eq(again->pkey(), key) == 1);
  }
  CHECK(acme::Jwk::FromPkey(TestKey("p384"))->kind() == acme::KeyKind::kEcP384);
  CHECK(acme::Jwk::FromPkey(TestKey("p521"))->kind() == acme::KeyKind::kEcP521);
  CHECK_FALSE(acme::Jwk::FromPkey(TestKey("p256"))->SameKey(*acme::Jwk::FromPkey(TestKey("p384"))));
}

TEST_CASE("jwk: private members are refused") {
  for (const char* member : {"d", "p", "q", "dp", "dq", "qi", "oth", "k"}) {
    INFO(member);
    auto jwk = acme::Jwk::Parse(
        RsaJwk(acme::testing::kRfc7638N, "AQAB", std::string(",\"") + member + "\":\"AQAB\""));
    REQUIRE_FALSE(jwk.ok());
    CHECK(TypeOf(jwk.status()) == acme::ProblemType::kBadPublicKey);
  }
}

TEST_CASE("jwk: unknown key types and curves are refused") {
  const std::string x(acme::testing::kRfc7515A3X);
  const std::string y(acme::testing::kRfc7515A3Y);
  for (const std::string& json :
       {std::string("{\"kty\":\"oct\",\"k\":\"AAAA\"}"),
        std::string("{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"") + x + "\"}",
        std::string("{\"kty\":\"rsa\",\"n\":\"AQAB\",\"e\":\"AQAB\"}"), EcJwk("P-192", x, y),
        EcJwk("secp256k1", x, y),
        std::string("{\"kty\":\"ec\",\"crv\":\"P-256\",\"x\":\"") + x + "\",\"y\":\"" + y + "\"}",
        std::string("{\"n\":\"AQAB\",\"e\":\"AQAB\"}"), std::string("{\"kty\":7}")}) {
    INFO(json);
    auto jwk = acme::Jwk::Parse(json);
    REQUIRE_FALSE(jwk.ok());
    CHECK(TypeOf(jwk.status()) == acme::ProblemType::kBadPublicKey);
  }
  CHECK(acme::Jwk::Parse(EcJwk("P-256", x, y)).ok());
}

TEST_CASE("jwk: EC coordinates must have the curve's exact length and lie on it") {
  const std::string x(acme::testing::kRfc7515A3X);
  const std::string y(acme::testing::kRfc7515A3Y);
  // One octet short, one too long (a leading zero), a P-256 point named P-384.
  const homeca::Bytes x_bytes = *homeca::Base64UrlDecode(x);
  const std::string short_x =
      homeca::Base64UrlEncode(homeca::Bytes(x_bytes.begin() + 1, x_bytes.end()));
  homeca::Bytes long_x_bytes(x_bytes.size() + 1, 0);
  std::copy(x_bytes.begin(), x_bytes.end(), long_x_bytes.begin() + 1);
  const std::string long_x = homeca::Base64UrlEncode(long_x_bytes);
  for (const std::string& json : {EcJwk("P-256", short_x, y), EcJwk("P-256", long_x, y),
                                  EcJwk("P-384", x, y), EcJwk("P-256", y, x)}) {
    INFO(json);
    auto jwk = acme::Jwk::Parse(json);
    REQUIRE_FALSE(jwk.ok());
    CHECK(TypeOf(jwk.status()) == acme::ProblemType::kBadPublicKey);
  }
  // The length is checked before OpenSSL sees the point, with a clear answer.
  CHECK(acme::Jwk::Parse(EcJwk("P-256", short_x, y)).status().message().find("32 octets") !=
        std::string::npos);
  // y + 1: right length, off the curve.
  homeca::Bytes off = *homeca::Base64UrlDecode(y);
  off.back() ^= 1;
  auto jwk = acme::Jwk::Parse(EcJwk("P-256", x, homeca::Base64UrlEncode(off)));
  REQUIRE_FALSE(jwk.ok());
  CHECK(TypeOf(jwk.status()) == acme::ProblemType::kBadPublicKey);
}

TEST_CASE("jwk: RSA keys need 2048 to 8192 bits and canonical numbers") {
  auto weak = acme::Jwk::Parse(JwkJson(TestKey("rsa1024")));
  REQUIRE_FALSE(weak.ok());
  CHECK(TypeOf(weak.status()) == acme::ProblemType::kBadPublicKey);
  CHECK(weak.status().message().find("2048") != std::string::npos);

  // 8200 bits of modulus (odd), over the bound, refused before any math.
  homeca::Bytes big(1025, 0xff);
  auto huge = acme::Jwk::Parse(RsaJwk(homeca::Base64UrlEncode(big), "AQAB"));
  REQUIRE_FALSE(huge.ok());
  CHECK(TypeOf(huge.status()) == acme::ProblemType::kBadPublicKey);

  homeca::Bytes n = *homeca::Base64UrlDecode(acme::testing::kRfc7638N);
  n.insert(n.begin(), 0);
  CHECK_FALSE(acme::Jwk::Parse(RsaJwk(homeca::Base64UrlEncode(n), "AQAB")).ok());
  // An even modulus: well-formed, but no RSA key.
  homeca::Bytes even = *homeca::Base64UrlDecode(acme::testing::kRfc7638N);
  even.back() &= 0xfe;
  auto not_rsa = acme::Jwk::Parse(RsaJwk(homeca::Base64UrlEncode(even), "AQAB"));
  REQUIRE_FALSE(not_rsa.ok());
  CHECK(TypeOf(not_rsa.status()) == acme::ProblemType::kBadPublicKey);
  CHECK_THAT(not_rsa.status().message(), Catch::Contains("modulus must be odd"));
  // An odd modulus of the right size with a factor 3 (all bits set: 2^2048-1).
  homeca::Bytes threes(256, 0xff);
  auto factor = acme::Jwk::Parse(RsaJwk(homeca::Base64UrlEncode(threes), "AQAB"));
  REQUIRE_FALSE(factor.ok());
  CHECK(TypeOf(factor.status()) == acme::ProblemType::kBadPublicKey);
  CHECK_THAT(factor.status().message(), Catch::Contains("small factor (3)"));
  CHECK_FALSE(acme::Jwk::Parse(RsaJwk(acme::testing::kRfc7638N, "AAEAAQ")).ok());  // 0x00010001
  CHECK_FALSE(acme::Jwk::Parse(RsaJwk(acme::testing::kRfc7638N, "AQAA")).ok());    // even
  CHECK_FALSE(acme::Jwk::Parse(RsaJwk(acme::testing::kRfc7638N, "AQ")).ok());      // 1
  CHECK_FALSE(acme::Jwk::Parse(RsaJwk(acme::testing::kRfc7638N, "AQAB=")).ok());   // padded
  CHECK(acme::Jwk::Parse(JwkJson(TestKey("rsa4096"))).ok());
}

TEST_CASE("jwk: malformed JSON and wrong member types are refused") {
  for (const char* json : {"", "[]", "{", "{\"kty\":\"RSA\",\"kty\":\"EC\"}",
                           "{\"kty\":\"RSA\",\"n\":7,\"e\":\"AQAB\"}"}) {
    INFO(json);
    CHECK_FALSE(acme::Jwk::Parse(json).ok());
  }
}
