// Sessions: idle and absolute expiry on a fake clock, logout, the cap on
// live sessions, and the one-time values a session may hold.
#include "webui/admin/session_store.h"

#include <catch2/catch.hpp>

namespace homeca::webui {
namespace {

constexpr std::int64_t kStart = 1'700'000'000;

TEST_CASE("a session lives while used, up to its absolute limit") {
  ca::FakeClock clock(kStart);
  SessionStore store(clock, SessionLimits{600, 3600, 8});
  SessionStore::Created created = store.Create("stamp");
  CHECK(created.id.size() == 43);
  CHECK(created.session.csrf_token.size() == 43);
  CHECK(created.session.csrf_token != created.id);
  CHECK(created.session.password_stamp == "stamp");

  auto found = store.Find(created.id);
  REQUIRE(found.has_value());
  CHECK(found->csrf_token == created.session.csrf_token);
  CHECK_FALSE(store.Find("").has_value());
  CHECK_FALSE(store.Find(created.id + "x").has_value());

  SECTION("idle expiry") {
    clock.Advance(599);
    CHECK(store.Find(created.id).has_value());  // restarts the idle timer
    clock.Advance(599);
    CHECK(store.Find(created.id).has_value());
    clock.Advance(600);
    CHECK_FALSE(store.Find(created.id).has_value());
    CHECK(store.size() == 0);
  }
  SECTION("absolute expiry, however busy") {
    for (int i = 0; i < 11; ++i) {
      clock.Advance(300);
      REQUIRE(store.Find(created.id).has_value());
    }
    clock.Advance(300);  // 3600 s after login
    CHECK_FALSE(store.Find(created.id).has_value());
  }
  SECTION("logout") {
    store.Remove(created.id);
    CHECK_FALSE(store.Find(created.id).has_value());
  }
}

TEST_CASE("the oldest session goes when the cap is reached") {
  ca::FakeClock clock(kStart);
  SessionStore store(clock, SessionLimits{600, 3600, 2});
  auto first = store.Create("s");
  clock.Advance(1);
  auto second = store.Create("s");
  clock.Advance(1);
  REQUIRE(store.Find(first.id).has_value());  // first is now the most recent
  clock.Advance(1);
  auto third = store.Create("s");
  CHECK(store.size() == 2);
  CHECK(store.Find(first.id).has_value());
  CHECK_FALSE(store.Find(second.id).has_value());
  CHECK(store.Find(third.id).has_value());
}

TEST_CASE("one-time values belong to their session") {
  ca::FakeClock clock(kStart);
  SessionStore store(clock);
  auto a = store.Create("s");
  auto b = store.Create("s");
  store.Stash(a.id, "pairing:1", "1234-5678-9012");
  CHECK(store.Peek(a.id, "pairing:1") == std::optional<std::string>("1234-5678-9012"));
  CHECK(store.Peek(a.id, "pairing:1").has_value());  // Peek leaves it
  CHECK_FALSE(store.Peek(b.id, "pairing:1").has_value());
  CHECK(store.Take(a.id, "pairing:1") == std::optional<std::string>("1234-5678-9012"));
  CHECK_FALSE(store.Take(a.id, "pairing:1").has_value());
  store.Stash(a.id, "new-token", "t");
  store.Remove(a.id);
  CHECK_FALSE(store.Peek(a.id, "new-token").has_value());
  store.Stash("no-such-session", "k", "v");
  CHECK_FALSE(store.Peek("no-such-session", "k").has_value());
}

}  // namespace
}  // namespace homeca::webui
