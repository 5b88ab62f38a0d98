// AccountKeyCache: the same stored text gives the same parsed key without
// parsing it again, another text (a key change) gives its own key, a bad
// JWK is refused and not kept, and the least recently used entry goes first.
#include "enroll/acme/account_key_cache.h"

#include <catch2/catch.hpp>

#include "tests/enroll/acme/jws_signer.h"

namespace homeca::enroll::acme {
namespace {

using testing::JwkJson;
using testing::TestKey;

}  // namespace

TEST_CASE("a cached account key is parsed once and is the stored key", "[acme][cache]") {
  AccountKeyCache cache(2);
  const std::string p256 = JwkJson(TestKey("p256"));
  Result<Jwk> first = cache.Get(p256);
  REQUIRE(first.ok());
  Result<Jwk> again = cache.Get(p256);
  REQUIRE(again.ok());
  CHECK(again->pkey() == first->pkey());  // the same parsed key, not a new parse
  CHECK(again->SameKey(*Jwk::Parse(p256)));

  // A key change stores new text: a different key, never the old one.
  const std::string rsa = JwkJson(TestKey("rsa2048"));
  Result<Jwk> changed = cache.Get(rsa);
  REQUIRE(changed.ok());
  CHECK_FALSE(changed->SameKey(*first));
  CHECK(changed->SameKey(*Jwk::Parse(rsa)));
}

TEST_CASE("the account key cache refuses what Jwk refuses and keeps the recent keys",
          "[acme][cache]") {
  AccountKeyCache cache(2);
  CHECK_FALSE(cache.Get("{\"kty\":\"RSA\"}").ok());
  CHECK_FALSE(cache.Get(JwkJson(TestKey("rsa1024"))).ok());

  const std::string a = JwkJson(TestKey("p256"));
  const std::string b = JwkJson(TestKey("p384"));
  const std::string c = JwkJson(TestKey("p256-other"));
  EVP_PKEY* a_key = cache.Get(a)->pkey();
  // Held, so that a new parse of b cannot land at the same address.
  const Result<Jwk> b_held = cache.Get(b);
  EVP_PKEY* b_key = b_held->pkey();
  CHECK(cache.Get(a)->pkey() == a_key);  // a is now the most recent
  REQUIRE(cache.Get(c).ok());            // evicts b, the least recent
  CHECK(cache.Get(a)->pkey() == a_key);
  CHECK(cache.Get(b)->pkey() != b_key);  // parsed anew
}

}  // namespace homeca::enroll::acme
