// CSRF tokens, random secrets, the setup token and the login limiter.
#include <catch2/catch.hpp>
#include <set>

#include "webui/csrf.h"
#include "webui/login_rate_limiter.h"
#include "webui/secret_tokens.h"
#include "webui/setup_token.h"

namespace homeca::webui {
namespace {

TEST_CASE("random tokens are 256-bit base64url and do not repeat") {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string token = NewRandomToken();
    CHECK(token.size() == 43);
    CHECK(token.find_first_not_of(
              "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
          std::string::npos);
    seen.insert(token);
  }
  CHECK(seen.size() == 100);
}

TEST_CASE("a CSRF token matches only itself") {
  const std::string token = NewRandomToken();
  CHECK(CsrfTokenMatches(token, token));
  std::string other = token;
  other.back() = other.back() == 'A' ? 'B' : 'A';
  CHECK_FALSE(CsrfTokenMatches(token, other));
  CHECK_FALSE(CsrfTokenMatches(token, ""));
  CHECK_FALSE(CsrfTokenMatches(token, token.substr(0, 42)));
  CHECK_FALSE(CsrfTokenMatches(token, token + "x"));
  // A session without a token (or a short one) never matches, even itself.
  CHECK_FALSE(CsrfTokenMatches("", ""));
  CHECK_FALSE(CsrfTokenMatches("short", "short"));
}

TEST_CASE("SecretsEqual compares content, refusing empty values") {
  CHECK(SecretsEqual("abc", "abc"));
  CHECK_FALSE(SecretsEqual("abc", "abd"));
  CHECK_FALSE(SecretsEqual("abc", "abcd"));
  CHECK_FALSE(SecretsEqual("", ""));
}

TEST_CASE("Sha256Hex matches the known digest of 'abc'") {
  CHECK(Sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("the setup token works once") {
  SetupToken setup;
  CHECK_FALSE(setup.active());
  CHECK_FALSE(setup.Matches(""));
  const std::string token = setup.Issue();
  CHECK(token.size() >= 22);  // at least 128 bits
  CHECK(setup.active());
  CHECK_FALSE(setup.Matches("wrong"));
  CHECK(setup.Matches(token));
  CHECK_FALSE(setup.Consume("wrong"));
  CHECK(setup.Consume(token));
  CHECK_FALSE(setup.Consume(token));
  CHECK_FALSE(setup.Matches(token));
  CHECK_FALSE(setup.active());
}

TEST_CASE("the login limiter counts failures per address and for everyone") {
  LoginLimits limits;
  limits.per_source = 3;
  limits.global = 5;
  limits.window_seconds = 600;
  LoginRateLimiter limiter(limits);
  const std::int64_t t0 = 1'000'000;

  SECTION("per address, until the oldest failure ages out") {
    for (int i = 0; i < 3; ++i) {
      CHECK_FALSE(limiter.Check("10.0.0.1", t0 + i).has_value());
      limiter.RecordFailure("10.0.0.1", t0 + i);
    }
    auto refused = limiter.Check("10.0.0.1", t0 + 10);
    REQUIRE(refused.has_value());
    CHECK_FALSE(refused->global);
    CHECK(refused->retry_after_seconds == 590);
    CHECK_THAT(refused->Message(),
               Catch::Contains("from your address") && Catch::Contains("10 minutes"));
    CHECK_FALSE(limiter.Check("10.0.0.2", t0 + 10).has_value());  // others still may
    CHECK(limiter.Check("10.0.0.1", t0 + 599).has_value());
    CHECK_FALSE(limiter.Check("10.0.0.1", t0 + 600).has_value());
  }
  SECTION("for everyone, whatever the addresses") {
    for (int i = 0; i < 5; ++i) limiter.RecordFailure("10.0.1." + std::to_string(i), t0);
    auto refused = limiter.Check("10.9.9.9", t0 + 1);
    REQUIRE(refused.has_value());
    CHECK(refused->global);
    CHECK_THAT(refused->Message(), Catch::Contains("for everyone"));
    CHECK_FALSE(limiter.Check("10.9.9.9", t0 + 600).has_value());
  }
  SECTION("a successful login clears its address's failures") {
    limiter.RecordFailure("10.0.0.1", t0);
    limiter.RecordFailure("10.0.0.1", t0);
    limiter.RecordSuccess("10.0.0.1");
    limiter.RecordFailure("10.0.0.1", t0);
    limiter.RecordFailure("10.0.0.1", t0);
    CHECK_FALSE(limiter.Check("10.0.0.1", t0).has_value());
  }
  SECTION("only a few password checks run at once") {
    CHECK(limiter.TryAcquireCheck());
    CHECK(limiter.TryAcquireCheck());
    CHECK_FALSE(limiter.TryAcquireCheck());
    limiter.ReleaseCheck();
    CHECK(limiter.TryAcquireCheck());
  }
}

}  // namespace
}  // namespace homeca::webui
