#include "mdns/service_merger.h"

#include <catch2/catch.hpp>

using namespace homeca::mdns;

namespace {

constexpr int kInet = 0;   // AVAHI_PROTO_INET
constexpr int kInet6 = 1;  // AVAHI_PROTO_INET6

ResolvedService Piece(const ServiceKey& key, std::string address, bool ipv6, int port = 631) {
  ResolvedService s;
  s.key = key;
  s.host_name = "printer.local";
  s.port = static_cast<std::uint16_t>(port);
  s.addresses.push_back(ServiceAddress{std::move(address), ipv6, 2, "eth0"});
  return s;
}

}  // namespace

TEST_CASE("sightings over IPv4 and IPv6 merge into one service, IPv4 first") {
  ServiceMerger merger;
  const ServiceKey key{"Office printer", "_ipp._tcp", "local"};
  const SightingOrigin v4{2, kInet, "Office printer"};
  const SightingOrigin v6{2, kInet6, "Office printer"};
  REQUIRE(merger.Seen(key, v6));
  REQUIRE(merger.Seen(key, v4));

  auto first = merger.Resolved(v6, Piece(key, "fe80::1", true));
  REQUIRE(first);
  CHECK(first->addresses.size() == 1);
  auto second = merger.Resolved(v4, Piece(key, "192.168.77.20", false));
  REQUIRE(second);
  REQUIRE(second->addresses.size() == 2);
  CHECK(second->addresses[0].address == "192.168.77.20");
  CHECK(second->addresses[1].address == "fe80::1");

  // The same answer again changes nothing: no event.
  CHECK_FALSE(merger.Resolved(v4, Piece(key, "192.168.77.20", false)));

  bool gone = false;
  auto after = merger.Removed(key, v6, gone);
  CHECK_FALSE(gone);
  REQUIRE(after);
  CHECK(after->addresses.size() == 1);
  CHECK_FALSE(merger.Removed(key, v4, gone));
  CHECK(gone);
  CHECK(merger.size() == 0);
}

TEST_CASE("a service never resolved is never reported gone") {
  ServiceMerger merger;
  const ServiceKey key{"x", "_http._tcp", "local"};
  const SightingOrigin o{1, kInet, "x"};
  REQUIRE(merger.Seen(key, o));
  bool gone = true;
  CHECK_FALSE(merger.Removed(key, o, gone));
  CHECK_FALSE(gone);
  CHECK(merger.Clear().empty());
}

TEST_CASE("resolving for an unknown sighting is ignored") {
  ServiceMerger merger;
  const ServiceKey key{"x", "_http._tcp", "local"};
  CHECK_FALSE(merger.Resolved({1, kInet, "x"}, Piece(key, "10.0.0.1", false)));
}

TEST_CASE("the merger caps how many instances it tracks") {
  ServiceMerger merger(3);
  for (int i = 0; i < 3; ++i) {
    const std::string name = "s" + std::to_string(i);
    CHECK(merger.Seen({name, "_http._tcp", "local"}, {1, kInet, name}));
  }
  CHECK_FALSE(merger.Seen({"s3", "_http._tcp", "local"}, {1, kInet, "s3"}));
  // More sightings of a known instance are still taken.
  CHECK(merger.Seen({"s0", "_http._tcp", "local"}, {1, kInet6, "s0"}));
  CHECK(merger.size() == 3);
}

TEST_CASE("clearing reports every resolved service as gone") {
  ServiceMerger merger;
  const ServiceKey a{"a", "_http._tcp", "local"};
  const ServiceKey b{"b", "_http._tcp", "local"};
  REQUIRE(merger.Seen(a, {1, kInet, "a"}));
  REQUIRE(merger.Seen(b, {1, kInet, "b"}));
  REQUIRE(merger.Resolved({1, kInet, "a"}, Piece(a, "10.0.0.1", false)));
  auto gone = merger.Clear();
  REQUIRE(gone.size() == 1);
  CHECK(gone[0] == a);
  CHECK(merger.size() == 0);
}
