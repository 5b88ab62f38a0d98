#include "enroll/device/renewal_schedule.h"

#include <catch2/catch.hpp>

namespace homeca::enroll {
namespace {

constexpr std::int64_t kDay = 86400;

TEST_CASE("renewal at two thirds of the lifetime, within +-10%", "[device][schedule]") {
  const std::int64_t start = 1'700'000'000;
  const std::int64_t end = start + 90 * kDay;
  CHECK(RenewalTime(start, end, 0.5) == start + 60 * kDay);
  CHECK(RenewalTime(start, end, 0.0) == start + 54 * kDay);
  CHECK(RenewalTime(start, end, 1.0) == start + 66 * kDay);
  // Out-of-range jitter is clamped, never past the bounds.
  CHECK(RenewalTime(start, end, -3.0) == start + 54 * kDay);
  CHECK(RenewalTime(start, end, 7.0) == start + 66 * kDay);
  std::int64_t previous = 0;
  for (double j = 0.0; j <= 1.0; j += 0.05) {
    const std::int64_t t = RenewalTime(start, end, j);
    CHECK(t >= previous);
    CHECK(t > start);
    CHECK(t < end);
    previous = t;
  }
  // A malformed validity renews at once rather than never.
  CHECK(RenewalTime(end, start, 0.5) == end);
  CHECK(RenewalTime(start, start, 0.5) == start);
  // Short lifetimes scale down.
  CHECK(RenewalTime(start, start + 3 * 3600, 0.5) == start + 2 * 3600);
}

TEST_CASE("jitter comes from the fingerprint: stable, spread, from 0 up to 1",
          "[device][schedule]") {
  CHECK(JitterFromFingerprint({}) == 0.5);
  CHECK(JitterFromFingerprint(Bytes(8, 0x00)) == 0.0);
  const double top = JitterFromFingerprint(Bytes(32, 0xff));
  CHECK(top < 1.0);
  CHECK(top > 0.999);
  const Bytes fp = RandomBytes(32);
  CHECK(JitterFromFingerprint(fp) == JitterFromFingerprint(fp));
  int low = 0;
  for (int i = 0; i < 1000; ++i) {
    const double j = JitterFromFingerprint(RandomBytes(32));
    CHECK(j >= 0.0);
    CHECK(j < 1.0);
    if (j < 0.5) ++low;
  }
  CHECK(low > 400);
  CHECK(low < 600);
}

TEST_CASE("backoff doubles from 30 s to 1 h with +-10% spread", "[device][schedule]") {
  CHECK(BackoffSeconds(1, 0.5) == 30);
  CHECK(BackoffSeconds(2, 0.5) == 60);
  CHECK(BackoffSeconds(3, 0.5) == 120);
  CHECK(BackoffSeconds(7, 0.5) == 1920);
  CHECK(BackoffSeconds(8, 0.5) == 3600);
  CHECK(BackoffSeconds(1000, 0.5) == 3600);
  CHECK(BackoffSeconds(0, 0.5) == 30);
  CHECK(BackoffSeconds(-5, 0.5) == 30);
  CHECK(BackoffSeconds(3, 0.0) == 108);
  CHECK(BackoffSeconds(3, 1.0) == 132);
  // The spread never leaves [30 s, 1 h].
  CHECK(BackoffSeconds(1, 0.0) == 30);
  CHECK(BackoffSeconds(20, 1.0) == 3600);
}

TEST_CASE("the loop sleeps at most an hour at a time", "[device][schedule]") {
  CHECK(SleepSeconds(100, 50) == 0);
  CHECK(SleepSeconds(100, 100) == 0);
  CHECK(SleepSeconds(100, 130) == 30);
  CHECK(SleepSeconds(0, 60 * kDay) == kMaxSleepSeconds);
}

}  // namespace
}  // namespace homeca::enroll
