#include "ca/base/relative_time.h"

#include <catch2/catch.hpp>
#include <limits>

namespace homeca::ca {
namespace {

constexpr std::int64_t kNow = 1'700'000'000;
constexpr std::int64_t kMinute = 60;
constexpr std::int64_t kHour = 3600;
constexpr std::int64_t kDay = 86400;

TEST_CASE("relative time: ahead, behind, and now", "[base][relative-time]") {
  CHECK(RelativeTime(kNow, kNow) == "now");
  CHECK(RelativeTime(kNow + 1, kNow) == "in 1 second");
  CHECK(RelativeTime(kNow - 1, kNow) == "1 second ago");
  CHECK(RelativeTime(kNow + 30, kNow) == "in 30 seconds");
  CHECK(RelativeTime(kNow - 3 * kDay, kNow) == "3 days ago");
}

TEST_CASE("relative time: a larger unit from two of it on", "[base][relative-time]") {
  // Each boundary, on both sides, ahead and behind.
  CHECK(RelativeTime(kNow + 2 * kMinute - 1, kNow) == "in 119 seconds");
  CHECK(RelativeTime(kNow + 2 * kMinute, kNow) == "in 2 minutes");
  CHECK(RelativeTime(kNow - 2 * kMinute + 1, kNow) == "119 seconds ago");
  CHECK(RelativeTime(kNow - 2 * kMinute, kNow) == "2 minutes ago");
  CHECK(RelativeTime(kNow + 2 * kHour - 1, kNow) == "in 119 minutes");
  CHECK(RelativeTime(kNow + 2 * kHour, kNow) == "in 2 hours");
  CHECK(RelativeTime(kNow - 2 * kHour, kNow) == "2 hours ago");
  CHECK(RelativeTime(kNow + 2 * kDay - 1, kNow) == "in 47 hours");
  CHECK(RelativeTime(kNow + 2 * kDay, kNow) == "in 2 days");
  CHECK(RelativeTime(kNow - 2 * kDay + 1, kNow) == "47 hours ago");
  CHECK(RelativeTime(kNow - 2 * kDay, kNow) == "2 days ago");
  // Counted down to a whole unit.
  CHECK(RelativeTime(kNow + 15 * kMinute - 1, kNow) == "in 14 minutes");
  CHECK(RelativeTime(kNow + 60 * kDay - 1, kNow) == "in 59 days");
  CHECK(RelativeTime(kNow + 825 * kDay, kNow) == "in 825 days");
}

TEST_CASE("relative time: the extremes do not overflow", "[base][relative-time]") {
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
  CHECK(RelativeTime(kMax, kMin) == "in 213503982334601 days");
  CHECK(RelativeTime(kMin, kMax) == "213503982334601 days ago");
}

}  // namespace
}  // namespace homeca::ca
