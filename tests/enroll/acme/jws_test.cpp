#include "enroll/acme/jws.h"

#include <catch2/catch.hpp>

#include "enroll/acme/problem.h"
#include "tests/enroll/acme/jws_signer.h"
#include "tests/enroll/acme/rfc_vectors.h"

namespace acme = homeca::enroll::acme;
namespace vectors = acme::testing;
using acme::testing::B64;
using acme::testing::SignFlattened;
using acme::testing::TestKey;

namespace {

std::string Flattened(std::string_view protected_b64, std::string_view payload_b64,
                      std::string_view signature_b64) {
  return "{\"protected\":\"" + std::string(protected_b64) + "\",\"payload\":\"" +
         std::string(payload_b64) + "\",\"signature\":\"" + std::string(signature_b64) + "\"}";
}

acme::Jwk A2Key() {
  return *acme::Jwk::Parse("{\"kty\":\"RSA\",\"n\":\"" + std::string(vectors::kRfc7515A2N) +
                           "\",\"e\":\"AQAB\"}");
}

acme::Jwk A3Key() {
  return *acme::Jwk::Parse("{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" +
                           std::string(vectors::kRfc7515A3X) + "\",\"y\":\"" +
                           std::string(vectors::kRfc7515A3Y) + "\"}");
}

acme::ProblemType TypeOf(const homeca::Status& status) { return acme::ToProblem(status).type; }

homeca::Status Verify(const std::string& body, acme::JwsAlgorithm alg, const acme::Jwk& key) {
  auto jws = acme::ParseFlattenedJws(body);
  if (!jws.ok()) return jws.status();
  return acme::VerifyJwsSignature(*jws, alg, key);
}

std::string FlipLastChar(std::string s) {
  s[s.size() - 2] = s[s.size() - 2] == 'A' ? 'B' : 'A';
  return s;
}

}  // namespace

TEST_CASE("jws: RFC 7515 appendix A.2 (RS256) verifies, tampered it does not") {
  const std::string body = Flattened(vectors::kRfc7515A2Protected, vectors::kRfc7515Payload,
                                     vectors::kRfc7515A2Signature);
  auto jws = acme::ParseFlattenedJws(body);
  REQUIRE(jws.ok());
  CHECK(jws->header->getValue<std::string>("alg") == "RS256");
  CHECK(jws->payload.rfind("{\"iss\":\"joe\"", 0) == 0);
  CHECK(acme::VerifyJwsSignature(*jws, acme::JwsAlgorithm::kRs256, A2Key()).ok());

  // The payload with "joe" changed to "jof".
  std::string payload = jws->payload;
  payload[8] = 'f';
  auto tampered =
      Verify(Flattened(vectors::kRfc7515A2Protected, B64(payload), vectors::kRfc7515A2Signature),
             acme::JwsAlgorithm::kRs256, A2Key());
  REQUIRE_FALSE(tampered.ok());
  CHECK(TypeOf(tampered) == acme::ProblemType::kMalformed);
  // Another RSA key (RFC 7638's) does not verify it.
  auto other = acme::Jwk::Parse("{\"kty\":\"RSA\",\"n\":\"" + std::string(vectors::kRfc7638N) +
                                "\",\"e\":\"AQAB\"}");
  CHECK_FALSE(acme::VerifyJwsSignature(*jws, acme::JwsAlgorithm::kRs256, *other).ok());
}

TEST_CASE("jws: RFC 7515 appendix A.3 (ES256) verifies, tampered or truncated it does not") {
  const std::string body = Flattened(vectors::kRfc7515A3Protected, vectors::kRfc7515Payload,
                                     vectors::kRfc7515A3Signature);
  CHECK(Verify(body, acme::JwsAlgorithm::kEs256, A3Key()).ok());
  CHECK_FALSE(Verify(Flattened(vectors::kRfc7515A3Protected, vectors::kRfc7515Payload,
                               FlipLastChar(std::string(vectors::kRfc7515A3Signature))),
                     acme::JwsAlgorithm::kEs256, A3Key())
                  .ok());
  // 63 octets of R||S: refused for its length, before OpenSSL sees it.
  homeca::Bytes sig = *homeca::Base64UrlDecode(vectors::kRfc7515A3Signature);
  sig.pop_back();
  auto truncated = Verify(Flattened(vectors::kRfc7515A3Protected, vectors::kRfc7515Payload,
                                    homeca::Base64UrlEncode(sig)),
                          acme::JwsAlgorithm::kEs256, A3Key());
  REQUIRE_FALSE(truncated.ok());
  CHECK(truncated.message().find("64 octets") != std::string::npos);
  // The same R||S as DER (what OpenSSL itself would produce) is refused too.
  CHECK_FALSE(Verify(Flattened(vectors::kRfc7515A3Protected, vectors::kRfc7515Payload,
                               vectors::kRfc7515A2Signature),
                     acme::JwsAlgorithm::kEs256, A3Key())
                  .ok());
}

TEST_CASE("jws: our own keys sign and verify under every algorithm, and only with their key") {
  struct Case {
    const char* key;
    const char* alg;
    acme::JwsAlgorithm parsed;
    const char* other;
  };
  for (const Case& c : {Case{"rsa2048", "RS256", acme::JwsAlgorithm::kRs256, "rsa4096"},
                        Case{"p256", "ES256", acme::JwsAlgorithm::kEs256, "p256-other"},
                        Case{"p384", "ES384", acme::JwsAlgorithm::kEs384, "p384-other"},
                        Case{"p521", "ES512", acme::JwsAlgorithm::kEs512, "p521-other"}}) {
    INFO(c.alg);
    const std::string body = SignFlattened(TestKey(c.key), c.alg, "{\"alg\":\"x\"}", "{}");
    auto key = acme::Jwk::FromPkey(TestKey(c.key));
    REQUIRE(key.ok());
    CHECK(Verify(body, c.parsed, *key).ok());
    REQUIRE(acme::ParseJwsAlgorithm(c.alg).ok());
    CHECK(*acme::ParseJwsAlgorithm(c.alg) == c.parsed);
    auto other = acme::Jwk::FromPkey(TestKey(c.other));
    REQUIRE(other.ok());
    CHECK_FALSE(Verify(body, c.parsed, *other).ok());
  }
}

TEST_CASE("jws: a key that does not fit the algorithm is badSignatureAlgorithm") {
  const std::string es256 = SignFlattened(TestKey("p256"), "ES256", "{}", "{}");
  // A P-384 key under ES256; and under ES384, the 64-octet signature is
  // simply the wrong size.
  auto wrong_curve =
      Verify(es256, acme::JwsAlgorithm::kEs256, *acme::Jwk::FromPkey(TestKey("p384")));
  REQUIRE_FALSE(wrong_curve.ok());
  CHECK(TypeOf(wrong_curve) == acme::ProblemType::kBadSignatureAlgorithm);
  CHECK(TypeOf(Verify(es256, acme::JwsAlgorithm::kEs384, *acme::Jwk::FromPkey(TestKey("p384")))) ==
        acme::ProblemType::kMalformed);
  auto p256_as_es384 =
      Verify(es256, acme::JwsAlgorithm::kEs384, *acme::Jwk::FromPkey(TestKey("p256")));
  CHECK(TypeOf(p256_as_es384) == acme::ProblemType::kBadSignatureAlgorithm);
  auto rsa_as_es256 =
      Verify(es256, acme::JwsAlgorithm::kEs256, *acme::Jwk::FromPkey(TestKey("rsa2048")));
  CHECK(TypeOf(rsa_as_es256) == acme::ProblemType::kBadSignatureAlgorithm);
  auto ec_as_rs256 =
      Verify(es256, acme::JwsAlgorithm::kRs256, *acme::Jwk::FromPkey(TestKey("p256")));
  CHECK(TypeOf(ec_as_rs256) == acme::ProblemType::kBadSignatureAlgorithm);
}

TEST_CASE("jws: none, MACs, PS256 and EdDSA are not algorithms we accept") {
  for (const char* alg :
       {"none", "None", "HS256", "HS512", "PS256", "RS384", "EdDSA", "", "es256"}) {
    INFO(alg);
    auto parsed = acme::ParseJwsAlgorithm(alg);
    REQUIRE_FALSE(parsed.ok());
    const acme::Problem problem = acme::ToProblem(parsed.status());
    CHECK(problem.type == acme::ProblemType::kBadSignatureAlgorithm);
    CHECK(acme::RenderProblem(problem).find("\"algorithms\":[\"ES256\",\"ES384\",\"ES512\","
                                            "\"RS256\"]") != std::string::npos);
  }
}

TEST_CASE("jws: only the flattened serialization with a protected header is accepted") {
  const std::string p(vectors::kRfc7515A3Protected);
  const std::string pl(vectors::kRfc7515Payload);
  const std::string s(vectors::kRfc7515A3Signature);
  const std::string compact = p + "." + pl + "." + s;
  const std::string general = "{\"payload\":\"" + pl + "\",\"signatures\":[{\"protected\":\"" + p +
                              "\",\"signature\":\"" + s + "\"}]}";
  const std::string unprotected = "{\"protected\":\"" + p + "\",\"header\":{\"kid\":\"x\"}," +
                                  "\"payload\":\"" + pl + "\",\"signature\":\"" + s + "\"}";
  const std::string extra = "{\"protected\":\"" + p + "\",\"payload\":\"" + pl +
                            "\",\"signature\":\"" + s + "\",\"x\":1}";
  const std::string duplicate = "{\"protected\":\"" + p + "\",\"payload\":\"" + pl +
                                "\",\"payload\":\"\",\"signature\":\"" + s + "\"}";
  const std::string padded = Flattened(p, pl, s + "==");
  const std::string no_payload = "{\"protected\":\"" + p + "\",\"signature\":\"" + s + "\"}";
  const std::string numeric =
      "{\"protected\":\"" + p + "\",\"payload\":7,\"signature\":\"" + s + "\"}";
  for (const std::string& body :
       {compact, general, unprotected, extra, duplicate, padded, no_payload, numeric,
        std::string("{}"), std::string("null"), Flattened("e30", pl, s) + "x"}) {
    INFO(body);
    auto jws = acme::ParseFlattenedJws(body);
    REQUIRE_FALSE(jws.ok());
    CHECK(TypeOf(jws.status()) == acme::ProblemType::kMalformed);
  }
  CHECK(acme::ParseFlattenedJws(compact).status().message().find("compact") != std::string::npos);
  CHECK(acme::ParseFlattenedJws(general).status().message().find("general") != std::string::npos);
  CHECK(acme::ParseFlattenedJws(unprotected).status().message().find("unprotected") !=
        std::string::npos);
}

TEST_CASE("jws: the protected header must be a strict JSON object without extensions") {
  for (const char* header :
       {"{\"alg\":\"ES256\",\"crit\":[\"exp\"],\"exp\":1}", "{\"alg\":\"ES256\",\"b64\":false}",
        "{\"alg\":\"ES256\",\"alg\":\"none\"}", "[\"ES256\"]", "{\"alg\":\"ES256\"} {}",
        "{\"alg\":\"ES256\",\"jwk\":{\"kty\":\"EC\",\"kty\":\"RSA\"}}"}) {
    INFO(header);
    auto jws = acme::ParseFlattenedJws(Flattened(B64(header), "", "AAAA"));
    REQUIRE_FALSE(jws.ok());
    CHECK(TypeOf(jws.status()) == acme::ProblemType::kMalformed);
  }
  CHECK(
      acme::ParseFlattenedJws(Flattened(B64("{\"alg\":\"ES256\",\"b64\":true}"), "", "AAAA")).ok());
}

TEST_CASE("jws: POST-as-GET has an empty payload") {
  const std::string body = SignFlattened(TestKey("p256"), "ES256", "{\"alg\":\"ES256\"}", "");
  auto jws = acme::ParseFlattenedJws(body);
  REQUIRE(jws.ok());
  CHECK(jws->payload_b64.empty());
  CHECK(jws->payload.empty());
  CHECK(acme::VerifyJwsSignature(*jws, acme::JwsAlgorithm::kEs256,
                                 *acme::Jwk::FromPkey(TestKey("p256")))
            .ok());
}
