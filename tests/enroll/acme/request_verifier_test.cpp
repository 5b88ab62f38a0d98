#include "enroll/acme/request_verifier.h"

#include <catch2/catch.hpp>

#include "enroll/acme/problem.h"
#include "tests/enroll/acme/jws_signer.h"

namespace acme = homeca::enroll::acme;
using acme::KeyReference;
using acme::ProblemType;
using acme::testing::HeaderWithJwk;
using acme::testing::HeaderWithKid;
using acme::testing::JwkJson;
using acme::testing::SignFlattened;
using acme::testing::TestKey;

namespace {

constexpr std::string_view kNewAccount = "https://ca.home.arpa:8443/acme/new-account";
constexpr std::string_view kNewOrder = "https://ca.home.arpa:8443/acme/new-order";
constexpr std::string_view kAccount = "https://ca.home.arpa:8443/acme/acct/7";
constexpr std::string_view kJose = "application/jose+json";

struct Fixture {
  homeca::ca::FakeClock clock{1'000'000};
  acme::NoncePool pool{clock};
  int lookups = 0;
  acme::AccountKeyLookup lookup = [this](std::string_view kid) -> homeca::Result<acme::Jwk> {
    ++lookups;
    if (kid != kAccount) {
      return acme::AcmeError(ProblemType::kAccountDoesNotExist, "no such account");
    }
    return acme::Jwk::FromPkey(TestKey("p256"));
  };

  homeca::Result<acme::VerifiedRequest> Verify(std::string_view url, const std::string& body,
                                               KeyReference reference,
                                               std::string_view content_type = kJose) {
    return acme::VerifyAcmeRequest({url, content_type, body}, reference, pool, lookup);
  }

  std::string NewAccountBody(const std::string& nonce, std::string_view url = kNewAccount,
                             const char* key = "p256", const char* alg = "ES256") {
    return SignFlattened(TestKey(key), alg, HeaderWithJwk(alg, nonce, url, JwkJson(TestKey(key))),
                         "{\"termsOfServiceAgreed\":true}");
  }

  std::string KidBody(const std::string& nonce, std::string_view url = kNewOrder,
                      std::string_view payload = "{}", std::string_view kid = kAccount,
                      const char* key = "p256") {
    return SignFlattened(TestKey(key), "ES256", HeaderWithKid("ES256", nonce, url, kid), payload);
  }
};

ProblemType TypeOf(const homeca::Status& status) { return acme::ToProblem(status).type; }

}  // namespace

TEST_CASE("request: a newAccount with jwk verifies and uses up its nonce") {
  Fixture f;
  const std::string nonce = f.pool.Issue();
  const std::string body = f.NewAccountBody(nonce);
  auto request = f.Verify(kNewAccount, body, KeyReference::kJwk);
  REQUIRE(request.ok());
  CHECK(request->alg == acme::JwsAlgorithm::kEs256);
  CHECK(request->kid.empty());
  CHECK(request->url == kNewAccount);
  CHECK(request->payload == "{\"termsOfServiceAgreed\":true}");
  CHECK(request->key.SameKey(*acme::Jwk::FromPkey(TestKey("p256"))));
  CHECK(f.pool.size() == 0);

  // The same request again: the nonce is spent.
  auto replay = f.Verify(kNewAccount, body, KeyReference::kJwk);
  REQUIRE_FALSE(replay.ok());
  const acme::Problem problem = acme::ToProblem(replay.status());
  CHECK(problem.type == ProblemType::kBadNonce);
  CHECK(problem.detail.find("JWS has an invalid anti-replay nonce") != std::string::npos);
}

TEST_CASE("request: RS256 and every EC curve are accepted") {
  Fixture f;
  for (auto [key, alg] : {std::pair{"rsa2048", "ES256"}, std::pair{"rsa4096", "RS256"},
                          std::pair{"p384", "ES384"}, std::pair{"p521", "ES512"}}) {
    if (std::string_view(key) == "rsa2048") alg = "RS256";
    INFO(alg);
    auto request = f.Verify(kNewAccount, f.NewAccountBody(f.pool.Issue(), kNewAccount, key, alg),
                            KeyReference::kJwk);
    CHECK(request.ok());
  }
}

TEST_CASE("request: a kid request finds the account key, POST-as-GET has no payload") {
  Fixture f;
  auto request = f.Verify(kNewOrder, f.KidBody(f.pool.Issue()), KeyReference::kKid);
  REQUIRE(request.ok());
  CHECK(request->kid == kAccount);
  CHECK_FALSE(request->post_as_get());

  auto get = f.Verify(kAccount, f.KidBody(f.pool.Issue(), kAccount, ""), KeyReference::kKid);
  REQUIRE(get.ok());
  CHECK(get->post_as_get());

  // revokeCert takes either.
  CHECK(f.Verify(kNewOrder, f.KidBody(f.pool.Issue()), KeyReference::kJwkOrKid).ok());
  CHECK(f.Verify(kNewAccount, f.NewAccountBody(f.pool.Issue()), KeyReference::kJwkOrKid).ok());
}

TEST_CASE("request: unknown, forged and expired nonces are badNonce, and nothing is spent") {
  Fixture f;
  const std::string kept = f.pool.Issue();
  for (const std::string& nonce :
       {std::string("AAAAAAAAAAAAAAAAAAAAAA"), std::string("not a nonce!"), std::string("")}) {
    INFO(nonce);
    auto request = f.Verify(kNewAccount, f.NewAccountBody(nonce), KeyReference::kJwk);
    REQUIRE_FALSE(request.ok());
    CHECK(TypeOf(request.status()) == ProblemType::kBadNonce);
  }
  CHECK(f.pool.size() == 1);
  f.clock.Advance(7200);
  auto expired = f.Verify(kNewAccount, f.NewAccountBody(kept), KeyReference::kJwk);
  REQUIRE_FALSE(expired.ok());
  CHECK(TypeOf(expired.status()) == ProblemType::kBadNonce);
  // A header whose nonce is a number, or missing.
  const std::string no_nonce =
      SignFlattened(TestKey("p256"), "ES256",
                    "{\"alg\":\"ES256\",\"jwk\":" + JwkJson(TestKey("p256")) + ",\"url\":\"" +
                        std::string(kNewAccount) + "\"}",
                    "{}");
  CHECK(TypeOf(f.Verify(kNewAccount, no_nonce, KeyReference::kJwk).status()) ==
        ProblemType::kBadNonce);
}

TEST_CASE("request: a url that is not the request's is unauthorized and keeps the nonce") {
  Fixture f;
  const std::string nonce = f.pool.Issue();
  auto request = f.Verify(kNewOrder, f.KidBody(nonce, kNewAccount), KeyReference::kKid);
  REQUIRE_FALSE(request.ok());
  CHECK(TypeOf(request.status()) == ProblemType::kUnauthorized);
  CHECK(acme::ToProblem(request.status()).status == 403);
  CHECK(f.pool.size() == 1);
  CHECK(f.lookups == 0);
}

TEST_CASE("request: jwk where kid is required and kid where jwk is required are malformed") {
  Fixture f;
  auto jwk_for_order =
      f.Verify(kNewOrder, f.NewAccountBody(f.pool.Issue(), kNewOrder), KeyReference::kKid);
  REQUIRE_FALSE(jwk_for_order.ok());
  CHECK(TypeOf(jwk_for_order.status()) == ProblemType::kMalformed);
  CHECK(jwk_for_order.status().message().find("kid") != std::string::npos);

  auto kid_for_account =
      f.Verify(kNewAccount, f.KidBody(f.pool.Issue(), kNewAccount), KeyReference::kJwk);
  REQUIRE_FALSE(kid_for_account.ok());
  CHECK(TypeOf(kid_for_account.status()) == ProblemType::kMalformed);
  CHECK(f.lookups == 0);

  const std::string jwk = JwkJson(TestKey("p256"));
  const std::string nonce = f.pool.Issue();
  const std::string both = SignFlattened(TestKey("p256"), "ES256",
                                         "{\"alg\":\"ES256\",\"jwk\":" + jwk + ",\"kid\":\"" +
                                             std::string(kAccount) + "\",\"nonce\":\"" + nonce +
                                             "\",\"url\":\"" + std::string(kNewOrder) + "\"}",
                                         "{}");
  CHECK(TypeOf(f.Verify(kNewOrder, both, KeyReference::kJwkOrKid).status()) ==
        ProblemType::kMalformed);
  const std::string neither = SignFlattened(
      TestKey("p256"), "ES256",
      "{\"alg\":\"ES256\",\"nonce\":\"" + nonce + "\",\"url\":\"" + std::string(kNewOrder) + "\"}",
      "{}");
  CHECK(TypeOf(f.Verify(kNewOrder, neither, KeyReference::kJwkOrKid).status()) ==
        ProblemType::kMalformed);
  CHECK(f.pool.size() == 3);  // none of the four requests spent its nonce
}

TEST_CASE(
    "request: an unknown account is the lookup's problem, another key's signature is malformed") {
  Fixture f;
  const std::string nonce = f.pool.Issue();
  auto unknown = f.Verify(
      kNewOrder, f.KidBody(nonce, kNewOrder, "{}", "https://ca.home.arpa:8443/acme/acct/8"),
      KeyReference::kKid);
  REQUIRE_FALSE(unknown.ok());
  CHECK(TypeOf(unknown.status()) == ProblemType::kAccountDoesNotExist);

  // Signed by p256-other, but the kid's key is p256.
  auto forged = f.Verify(kNewOrder, f.KidBody(nonce, kNewOrder, "{}", kAccount, "p256-other"),
                         KeyReference::kKid);
  REQUIRE_FALSE(forged.ok());
  CHECK(TypeOf(forged.status()) == ProblemType::kMalformed);
  CHECK(f.pool.size() == 1);

  // A jwk header whose key did not sign the request.
  const std::string body =
      SignFlattened(TestKey("p256-other"), "ES256",
                    HeaderWithJwk("ES256", nonce, kNewAccount, JwkJson(TestKey("p256"))), "{}");
  CHECK_FALSE(f.Verify(kNewAccount, body, KeyReference::kJwk).ok());
  CHECK(f.pool.size() == 1);
  CHECK(f.Verify(kNewAccount, f.NewAccountBody(nonce), KeyReference::kJwk).ok());
}

TEST_CASE("request: alg none, HS256, PS256 and a weak or private jwk are refused by type") {
  Fixture f;
  const std::string nonce = f.pool.Issue();
  const std::string jwk = JwkJson(TestKey("p256"));
  for (const char* alg : {"none", "HS256", "PS256"}) {
    INFO(alg);
    const std::string body =
        SignFlattened(TestKey("p256"), "ES256", HeaderWithJwk(alg, nonce, kNewAccount, jwk), "{}");
    auto request = f.Verify(kNewAccount, body, KeyReference::kJwk);
    REQUIRE_FALSE(request.ok());
    CHECK(TypeOf(request.status()) == ProblemType::kBadSignatureAlgorithm);
  }
  // alg none as a client would send it: with an empty signature.
  const std::string unsigned_body =
      "{\"protected\":\"" + acme::testing::B64(HeaderWithJwk("none", nonce, kNewAccount, jwk)) +
      "\",\"payload\":\"\",\"signature\":\"\"}";
  CHECK(TypeOf(f.Verify(kNewAccount, unsigned_body, KeyReference::kJwk).status()) ==
        ProblemType::kBadSignatureAlgorithm);
  const std::string weak =
      SignFlattened(TestKey("rsa1024"), "RS256",
                    HeaderWithJwk("RS256", nonce, kNewAccount, JwkJson(TestKey("rsa1024"))), "{}");
  CHECK(TypeOf(f.Verify(kNewAccount, weak, KeyReference::kJwk).status()) ==
        ProblemType::kBadPublicKey);
  const std::string with_d = "{\"d\":\"AQAB\"," + jwk.substr(1);
  const std::string leaked = SignFlattened(
      TestKey("p256"), "ES256", HeaderWithJwk("ES256", nonce, kNewAccount, with_d), "{}");
  CHECK(TypeOf(f.Verify(kNewAccount, leaked, KeyReference::kJwk).status()) ==
        ProblemType::kBadPublicKey);
  // ES256 header with an RSA key.
  const std::string mismatch =
      SignFlattened(TestKey("rsa2048"), "RS256",
                    HeaderWithJwk("ES256", nonce, kNewAccount, JwkJson(TestKey("rsa2048"))), "{}");
  CHECK(TypeOf(f.Verify(kNewAccount, mismatch, KeyReference::kJwk).status()) ==
        ProblemType::kBadSignatureAlgorithm);
  CHECK(f.pool.size() == 1);
}

TEST_CASE("request: oversized bodies, other media types and broken JSON are refused first") {
  Fixture f;
  const std::string nonce = f.pool.Issue();
  const std::string body = f.NewAccountBody(nonce);
  std::string big = body;
  big.insert(big.size() - 1, std::string(acme::kMaxAcmeBodySize, ' '));
  auto too_big = f.Verify(kNewAccount, big, KeyReference::kJwk);
  REQUIRE_FALSE(too_big.ok());
  CHECK(acme::ToProblem(too_big.status()).type == ProblemType::kMalformed);
  CHECK(acme::ToProblem(too_big.status()).status == 413);

  auto json = f.Verify(kNewAccount, body, KeyReference::kJwk, "application/json");
  REQUIRE_FALSE(json.ok());
  CHECK(acme::ToProblem(json.status()).status == 415);
  CHECK(f.Verify(kNewAccount, "{\"protected\":", KeyReference::kJwk)
            .status()
            .message()
            .find("JSON") != std::string::npos);
  CHECK(f.pool.size() == 1);
  // Parameters and case in the media type are fine.
  CHECK(
      f.Verify(kNewAccount, body, KeyReference::kJwk, "Application/JOSE+JSON; charset=utf-8").ok());
}
