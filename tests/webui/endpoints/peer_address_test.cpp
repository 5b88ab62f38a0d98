// What homecad tells the enrollment service about where a request came from:
// a dual-stack listener's IPv4-mapped addresses are written as IPv4.
#include <catch2/catch.hpp>

#include "webui/endpoints/enroll_handler.h"

namespace homeca::webui {
namespace {

std::string Text(const std::string& address) {
  return PeerAddressText(Poco::Net::IPAddress(address));
}

TEST_CASE("peer addresses: IPv4-mapped IPv6 becomes IPv4, the rest is kept") {
  CHECK(Text("192.168.1.20") == "192.168.1.20");
  CHECK(Text("::ffff:192.168.1.20") == "192.168.1.20");
  CHECK(Text("::FFFF:10.0.0.1") == "10.0.0.1");
  CHECK(Text("fd00::20") == "fd00::20");
  CHECK(Text("::1") == "::1");
  // Not mapped: the IPv4-compatible form and NAT64 stay IPv6.
  CHECK(Text("64:ff9b::c000:207") == "64:ff9b::c000:207");
}

}  // namespace
}  // namespace homeca::webui
