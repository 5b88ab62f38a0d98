// When `homeca-enroll run` checks in: at start, after address changes
// (debounced, and only when the addresses differ from the CA's last contact),
// and again after failures with back-off. Pure logic on a millisecond clock.
#include "enroll/cli/checkin_schedule.h"

#include <catch2/catch.hpp>

namespace homeca::enroll_cli {
namespace {

using Addresses = CheckInSchedule::Addresses;

const Addresses kHome = std::vector<std::string>{"2 192.168.1.20"};
const Addresses kMoved = std::vector<std::string>{"2 192.168.1.20", "3 10.0.0.7"};

TEST_CASE("check-in schedule: due at start, then only on a real change", "[device][checkin]") {
  CheckInSchedule s(1000);
  CHECK(s.Due(1000));
  REQUIRE(s.Take(1000, kHome));
  s.Succeeded(kHome);
  CHECK_FALSE(s.NextMs().has_value());  // nothing planned: sleep until renewal
  CHECK_FALSE(s.Due(1'000'000));

  SECTION("a burst of notifications is one look, after the last plus the debounce") {
    s.AddressesChanged(5000);
    s.AddressesChanged(5100);
    s.AddressesChanged(5200);
    CHECK(s.NextMs() == 5200 + CheckInSchedule::kDebounceMs);
    CHECK_FALSE(s.Due(5499));
    CHECK(s.Due(5500));
    CHECK(s.Take(5500, kMoved));
    s.Succeeded(kMoved);
    CHECK_FALSE(s.NextMs().has_value());
  }
  SECTION("a storm of notifications still looks within the cap") {
    for (std::int64_t t = 5000; t < 20000; t += 100) {
      s.AddressesChanged(t);
      if (s.Due(t)) break;
    }
    CHECK(s.NextMs() <= 5000 + CheckInSchedule::kMaxDebounceMs);
  }
  SECTION("a notification that changed nothing (an IPv6 lifetime refresh) costs no request") {
    s.AddressesChanged(5000);
    CHECK(s.Due(5300));
    CHECK_FALSE(s.Take(5300, kHome));
    CHECK_FALSE(s.NextMs().has_value());
  }
  SECTION("addresses that cannot be read count as a change") {
    s.AddressesChanged(5000);
    CHECK(s.Take(5300, std::nullopt));
  }
  SECTION("a renewal is contact too: a change already told need not be checked in") {
    s.AddressesChanged(5000);
    s.Succeeded(kMoved);  // the renewal answered from the new address
    CHECK(s.Due(5300));
    CHECK_FALSE(s.Take(5300, kMoved));
  }
}

TEST_CASE("check-in schedule: failures back off, and a change retries early", "[device][checkin]") {
  CheckInSchedule s(0);
  REQUIRE(s.Take(0, kHome));
  const std::int64_t first = s.Failed(0, false, 0, 0.5);
  CHECK(first == 30);
  CHECK(s.NextMs() == 30'000);
  REQUIRE(s.Take(30'000, kHome));  // retried even though nothing changed
  CHECK(s.Failed(30'000, false, 0, 0.5) == 60);
  CHECK(s.NextMs() == 90'000);

  SECTION("an address change checks in at once (the network may be why it failed)") {
    s.AddressesChanged(40'000);
    CHECK(s.NextMs() == 40'300);
    CHECK(s.Take(40'300, kMoved));
  }
  SECTION("a success ends the back-off") {
    s.AddressesChanged(40'000);
    REQUIRE(s.Take(40'300, kMoved));
    s.Succeeded(kMoved);
    CHECK_FALSE(s.NextMs().has_value());
    CHECK(s.Failed(50'000, false, 0, 0.5) == 30);  // counting starts again
  }
  SECTION("a permanent refusal waits an hour") {
    REQUIRE(s.Take(90'000, kHome));
    CHECK(s.Failed(90'000, true, 0, 0.5) == 3600);
    CHECK(s.NextMs() == 90'000 + 3'600'000);
  }
}

TEST_CASE("check-in schedule: the CA's Retry-After holds every check-in", "[device][checkin]") {
  CheckInSchedule s(0);
  REQUIRE(s.Take(0, kHome));
  CHECK(s.Failed(0, false, 45, 0.5) == 45);  // longer than the first back-off
  s.AddressesChanged(1000);
  CHECK(s.NextMs() == 45'000);
  CHECK_FALSE(s.Due(44'999));
  CHECK(s.Take(45'000, kMoved));
}

TEST_CASE("check-in schedule: a short Retry-After is not stretched to the back-off",
          "[device][checkin]") {
  CheckInSchedule s(0);
  REQUIRE(s.Take(0, kHome));
  CHECK(s.Failed(0, false, 1, 0.5) == 1);  // not the 30 s back-off
  CHECK(s.NextMs() == 1000);
}

}  // namespace
}  // namespace homeca::enroll_cli
