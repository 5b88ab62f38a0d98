#include "ca/base/renewal_rule.h"

#include <catch2/catch.hpp>

namespace homeca::ca {
namespace {

constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kStart = 1'700'000'000;

TEST_CASE("renewal is due at two thirds of the lifetime, to the second", "[base][renewal]") {
  CHECK(RenewalDue(kStart, kStart + 90 * kDay) == kStart + 60 * kDay);
  CHECK(RenewalDue(kStart, kStart + 3 * 3600) == kStart + 2 * 3600);
  // Rounded down: 2/3 of 10 s is 6.67 s.
  CHECK(RenewalDue(kStart, kStart + 10) == kStart + 6);
  CHECK(RenewalDue(kStart, kStart + 1) == kStart);

  const std::int64_t end = kStart + 90 * kDay;
  const std::int64_t due = kStart + 60 * kDay;
  CHECK_FALSE(IsRenewalDue(kStart, end, kStart));
  CHECK_FALSE(IsRenewalDue(kStart, end, due - 1));
  CHECK(IsRenewalDue(kStart, end, due));
  CHECK(IsRenewalDue(kStart, end, end + kDay));
}

TEST_CASE("a malformed validity is due at once, never never", "[base][renewal]") {
  CHECK(RenewalDue(kStart, kStart) == kStart);
  CHECK(RenewalDue(kStart + kDay, kStart) == kStart + kDay);
  CHECK(IsRenewalDue(kStart + kDay, kStart, kStart + kDay));
  CHECK_FALSE(IsRenewalDue(kStart + kDay, kStart, kStart));
}

}  // namespace
}  // namespace homeca::ca
