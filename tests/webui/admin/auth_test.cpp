// CSRF tokens, random secrets, the setup token and the login limiter.
#include <catch2/catch.hpp>
#include <set>

#include "webui/admin/csrf.h"
#include "webui/admin/login_rate_limiter.h"
#include "webui/admin/setup_token.h"
#include "webui/http/secret_tokens.h"
#include "webui/http/source_key.h"

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

TEST_CASE("a source is an IPv4 address or an IPv6 /64") {
  CHECK(SourceKey("192.0.2.7") == "192.0.2.7");
  CHECK(SourceKey("::ffff:192.0.2.7") == "192.0.2.7");
  CHECK(SourceKey("::FFFF:192.0.2.7") == "192.0.2.7");
  CHECK(SourceKey("2001:db8:1:2:3:4:5:6") == "2001:db8:1:2::/64");
  CHECK(SourceKey("2001:0db8:0001:0002::") == "2001:db8:1:2::/64");
  CHECK(SourceKey("fe80::1%eth0") == "fe80::/64");
  CHECK(SourceKey("::1") == "::/64");
  CHECK(SourceKey("not an address") == "not an address");
  CHECK(IsLoopbackSource("127.0.0.1"));
  CHECK(IsLoopbackSource("127.8.9.10"));
  CHECK(IsLoopbackSource("::1"));
  CHECK(IsLoopbackSource("::ffff:127.0.0.1"));
  CHECK_FALSE(IsLoopbackSource("128.0.0.1"));
  CHECK_FALSE(IsLoopbackSource("::2"));
  CHECK_FALSE(IsLoopbackSource("::ffff:10.0.0.1"));
  CHECK_FALSE(IsLoopbackSource("localhost"));
}

// Records a failure the way the login handler does: only when allowed.
void Fail(LoginRateLimiter& limiter, const std::string& address, std::int64_t now) {
  if (!limiter.Check(address, now)) limiter.RecordFailure(address, now);
}

TEST_CASE("the login limiter counts failures per source, and one source locks out only itself") {
  LoginLimits limits;
  limits.per_source = 3;
  limits.global = 5;
  limits.max_sources = 4;
  limits.window_seconds = 600;
  LoginRateLimiter limiter(limits);
  const std::int64_t t0 = 1'000'000;

  SECTION("per address, until the oldest failure ages out; the message says when") {
    for (int i = 0; i < 3; ++i) {
      CHECK_FALSE(limiter.Check("10.0.0.1", t0 + i).has_value());
      limiter.RecordFailure("10.0.0.1", t0 + i);
    }
    auto refused = limiter.Check("10.0.0.1", t0 + 10);
    REQUIRE(refused.has_value());
    CHECK(refused->reason == LoginRefusal::Reason::kSource);
    CHECK(refused->retry_after_seconds == 590);
    CHECK(refused->until == t0 + 600);
    CHECK(refused->Message() ==
          "Too many failed logins from your address. Try again at 13:56 UTC (in 10 minutes).");
    CHECK_FALSE(limiter.Check("10.0.0.2", t0 + 10).has_value());  // others still may
    CHECK(limiter.Check("10.0.0.1", t0 + 599).has_value());
    CHECK_FALSE(limiter.Check("10.0.0.1", t0 + 600).has_value());
  }
  SECTION("the last attempts before a lockout warn, with the window's length") {
    CHECK(limiter.FailuresLeft("10.0.0.1", t0) == 3);
    CHECK(limiter.Warning("10.0.0.1", t0).empty());
    limiter.RecordFailure("10.0.0.1", t0);
    CHECK(limiter.Warning("10.0.0.1", t0) ==
          "2 attempts left before a lockout of up to 10 minutes.");
    limiter.RecordFailure("10.0.0.1", t0 + 1);
    CHECK(limiter.Warning("10.0.0.1", t0 + 1) ==
          "1 attempt left before a lockout of up to 10 minutes.");
    limiter.RecordFailure("10.0.0.1", t0 + 2);
    CHECK(limiter.FailuresLeft("10.0.0.1", t0 + 2) == 0);
    CHECK(limiter.Warning("10.0.0.1", t0 + 2).empty());  // the refusal says it now
    // A lockout that ends on another day names the day.
    auto late = limiter.Check("10.0.0.1", t0 + 3);
    REQUIRE(late.has_value());
    LoginRefusal overnight = *late;
    overnight.until = 86400 * 20 + 300;  // 00:05 the next day
    overnight.retry_after_seconds = 600;
    CHECK_THAT(overnight.Message(), Catch::Contains("Try again at 1970-01-21 00:05 UTC"));
  }
  SECTION("an IPv6 /64 is one source; an IPv4-mapped address is its IPv4 address") {
    limiter.RecordFailure("2001:db8:1:2::a", t0);
    limiter.RecordFailure("2001:db8:1:2:8a2e:370:7334:1", t0);
    limiter.RecordFailure("2001:DB8:1:2:ffff:ffff:ffff:ffff", t0);
    CHECK(limiter.Check("2001:db8:1:2::1234", t0 + 1).has_value());
    CHECK(limiter.Check("fe80::1%eth0", t0 + 1) == std::nullopt);
    CHECK_FALSE(limiter.Check("2001:db8:1:3::a", t0 + 1).has_value());  // the next /64

    for (int i = 0; i < 3; ++i) limiter.RecordFailure("::ffff:10.0.0.7", t0);
    CHECK(limiter.Check("10.0.0.7", t0 + 1).has_value());
    CHECK(limiter.Check("::ffff:10.0.0.7", t0 + 1).has_value());
  }
  SECTION("one source hammering locks out no one else, loopback included") {
    for (int i = 0; i < 100; ++i) Fail(limiter, "10.0.0.1", t0 + i);
    for (int i = 0; i < 100; ++i) Fail(limiter, "2001:db8::" + std::to_string(i + 1), t0 + i);
    CHECK(limiter.Check("10.0.0.1", t0 + 100).has_value());
    CHECK(limiter.Check("2001:db8::ffff", t0 + 100).has_value());
    CHECK_FALSE(limiter.Check("10.0.0.2", t0 + 100).has_value());
    CHECK_FALSE(limiter.Check("2001:db8:0:1::1", t0 + 100).has_value());
    CHECK_FALSE(limiter.Check("127.0.0.1", t0 + 100).has_value());
    CHECK_FALSE(limiter.Check("::1", t0 + 100).has_value());
  }
  SECTION("many sources: those that failed are paused, a fresh browser and loopback are not") {
    Fail(limiter, "10.0.1.1", t0);
    Fail(limiter, "10.0.1.1", t0 + 1);
    Fail(limiter, "10.0.1.2", t0 + 2);
    Fail(limiter, "10.0.1.2", t0 + 3);
    Fail(limiter, "10.0.1.3", t0 + 4);  // five failures in all
    auto refused = limiter.Check("10.0.1.3", t0 + 5);
    REQUIRE(refused.has_value());
    CHECK(refused->reason == LoginRefusal::Reason::kGlobal);
    CHECK(refused->until == t0 + 600);  // the oldest of the five ages out first
    CHECK_THAT(refused->Message(), Catch::Contains("many addresses"));
    CHECK(limiter.Check("10.0.1.1", t0 + 5).has_value());
    CHECK_FALSE(limiter.Check("10.9.9.9", t0 + 5).has_value());  // a second browser
    CHECK_FALSE(limiter.Check("127.0.0.1", t0 + 5).has_value());
    Fail(limiter, "127.0.0.1", t0 + 5);  // a typo on the console
    CHECK_FALSE(limiter.Check("127.0.0.1", t0 + 6).has_value());
    // The console's typo counts too: five failures until t0 + 601.
    CHECK(limiter.Check("10.0.1.3", t0 + 600).has_value());
    CHECK_FALSE(limiter.Check("10.0.1.3", t0 + 601).has_value());
  }
  SECTION("a guesser with many addresses runs out of fresh ones") {
    for (int i = 0; i < 4; ++i) Fail(limiter, "10.0.2." + std::to_string(i), t0 + i);
    auto refused = limiter.Check("10.0.2.200", t0 + 10);
    REQUIRE(refused.has_value());
    CHECK(refused->reason == LoginRefusal::Reason::kManySources);
    CHECK(refused->until == t0 + 600);
    CHECK_FALSE(limiter.Check("127.0.0.1", t0 + 10).has_value());
    CHECK_FALSE(limiter.Check("::1", t0 + 10).has_value());
    CHECK_FALSE(limiter.Check("10.0.2.200", t0 + 600).has_value());
  }
  SECTION("a successful login clears its source's failures") {
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
