#include "mdns/host_record_set.h"

#include <array>
#include <catch2/catch.hpp>
#include <cstdint>
#include <string>
#include <vector>

using namespace homeca::mdns;

namespace {

std::array<std::uint8_t, 4> V4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
  return {a, b, c, d};
}
std::array<std::uint8_t, 16> V6Last(std::uint8_t last) {
  return {0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, last};
}

constexpr RecordOrigin kEth0V4{2, 0};
constexpr RecordOrigin kEth0V6{2, 1};
constexpr RecordOrigin kWlan0V4{3, 0};

}  // namespace

TEST_CASE("a host's records: ours and others, merged across origins, sorted") {
  HostRecordSet set("nas.local");
  CHECK(set.Sighting() == HostSighting{"nas.local", {}, {}, false});
  auto ours = V4(192, 168, 1, 20);
  auto rogue = V4(192, 168, 1, 9);
  auto v6 = V6Last(1);
  CHECK(set.Added(kEth0V4, false, ours.data(), 4, true));
  CHECK(set.Added(kEth0V6, true, v6.data(), 16, false));
  CHECK(set.Added(kEth0V4, false, rogue.data(), 4, false));
  CHECK(set.Sighting() ==
        HostSighting{"nas.local", {"192.168.1.20"}, {"192.168.1.9", "fe80::1"}, false});
  // The same record over another interface or protocol changes nothing...
  CHECK_FALSE(set.Added(kWlan0V4, false, rogue.data(), 4, false));
  CHECK_FALSE(set.Added(kEth0V4, false, rogue.data(), 4, false));
  // ...and the address stays until every origin has dropped it.
  CHECK_FALSE(set.Removed(kEth0V4, false, rogue.data(), 4));
  CHECK(set.Removed(kWlan0V4, false, rogue.data(), 4));
  CHECK(set.Sighting().others == std::vector<std::string>{"fe80::1"});
  // Removing what was never there is no change.
  CHECK_FALSE(set.Removed(kWlan0V4, false, rogue.data(), 4));
  CHECK_FALSE(set.Removed(kEth0V4, true, v6.data(), 16));  // seen over IPv6, not IPv4
  CHECK(set.Clear());
  CHECK_FALSE(set.Clear());
  CHECK(set.Sighting() == HostSighting{"nas.local", {}, {}, false});
}

TEST_CASE("a host's records: hostile data is dropped or bounded") {
  HostRecordSet set("nas.local");
  auto v6 = V6Last(7);
  // Wrong lengths for the type, and no data at all.
  CHECK_FALSE(set.Added(kEth0V4, false, v6.data(), 16, false));
  CHECK_FALSE(set.Added(kEth0V4, true, v6.data(), 4, false));
  CHECK_FALSE(set.Added(kEth0V4, true, v6.data(), 0, false));
  CHECK_FALSE(set.Added(kEth0V4, false, nullptr, 4, false));
  CHECK_FALSE(set.Removed(kEth0V4, false, nullptr, 4));
  CHECK(set.Sighting() == HostSighting{"nas.local", {}, {}, false});

  // A flood of addresses: the first kMaxHostAddresses are kept, and the
  // sighting says the rest were dropped.
  for (unsigned i = 0; i < 100; ++i) {
    auto a = V4(10, 0, static_cast<std::uint8_t>(i / 256), static_cast<std::uint8_t>(i % 256));
    set.Added(kEth0V4, false, a.data(), 4, false);
  }
  HostSighting flooded = set.Sighting();
  CHECK(flooded.others.size() == kMaxHostAddresses);
  CHECK(flooded.others.front() == "10.0.0.0");
  CHECK(flooded.truncated);
  // A flood of origins for one address is bounded too.
  auto a = V4(10, 0, 0, 0);
  for (int i = 0; i < 1000; ++i) set.Added({100 + i, 0}, false, a.data(), 4, false);
  // Everything gone: the flood is over.
  for (unsigned i = 0; i < 100; ++i) {
    auto b = V4(10, 0, 0, static_cast<std::uint8_t>(i));
    set.Removed(kEth0V4, false, b.data(), 4);
  }
  // Only kMaxOriginsPerAddress origins were kept (eth0 and the first 31 of
  // the flood): dropping those drops the address.
  for (int i = 0; i < static_cast<int>(kMaxOriginsPerAddress) - 1; ++i) {
    set.Removed({100 + i, 0}, false, a.data(), 4);
  }
  CHECK(set.Sighting() == HostSighting{"nas.local", {}, {}, false});
}

TEST_CASE("a host's records: an address is ours when Avahi flagged any sighting LOCAL") {
  HostRecordSet set("nas.local");
  auto addr = V4(192, 168, 1, 20);
  CHECK(set.Added(kEth0V4, false, addr.data(), 4, false));
  CHECK(set.Sighting().others == std::vector<std::string>{"192.168.1.20"});
  CHECK(set.Added(kWlan0V4, false, addr.data(), 4, true));
  CHECK(set.Sighting() == HostSighting{"nas.local", {"192.168.1.20"}, {}, false});
  CHECK(set.Removed(kWlan0V4, false, addr.data(), 4));
  CHECK(set.Sighting() == HostSighting{"nas.local", {}, {"192.168.1.20"}, false});
}
