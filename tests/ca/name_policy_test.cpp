#include "ca/name_policy.h"

#include <catch2/catch.hpp>

namespace homeca::ca {
namespace {

TEST_CASE("name constraints config excludes every IP unless ranges are permitted") {
  NamePolicy policy;
  CHECK(NameConstraintsConfig(policy) ==
        "critical,permitted;DNS:home.arpa,excluded;IP:0.0.0.0/0.0.0.0,excluded;IP:::/::,"
        "permitted;email:homeca.invalid,permitted;URI:homeca.invalid");
  policy.permitted_domains.push_back("local");
  auto range = ParseIpRange("192.168.0.0/16");
  REQUIRE(range.ok());
  policy.permitted_ip_ranges.push_back(*range);
  CHECK(NameConstraintsConfig(policy) ==
        "critical,permitted;DNS:home.arpa,permitted;DNS:local,"
        "permitted;IP:192.168.0.0/255.255.0.0,excluded;IP:::/::,"
        "permitted;email:homeca.invalid,permitted;URI:homeca.invalid");
}

TEST_CASE("IP ranges must be private and written as networks") {
  CHECK(ParseIpRange("10.0.0.0/8").ok());
  CHECK(ParseIpRange("172.16.5.0/24").ok());
  CHECK(ParseIpRange("fd00:1234::/32").ok());
  CHECK(ParseIpRange("fe80::/64").ok());
  CHECK(ParseIpRange("8.8.8.0/24").status().IsPolicyViolation());
  CHECK(ParseIpRange("0.0.0.0/0").status().IsPolicyViolation());
  CHECK(ParseIpRange("172.0.0.0/8").status().IsPolicyViolation());
  auto host_bits = ParseIpRange("192.168.1.5/24");
  REQUIRE_FALSE(host_bits.ok());
  CHECK_THAT(host_bits.status().message(), Catch::Contains("192.168.1.0/24"));
  CHECK(ParseIpRange("192.168.1.0").status().IsInvalidArgument());
  CHECK(ParseIpRange("192.168.1.0/33").status().IsInvalidArgument());
  CHECK(ParseIpRange("192.168.1.0/-1").status().IsInvalidArgument());
  CHECK(ParseIpRange("nonsense/8").status().IsInvalidArgument());
}

TEST_CASE("device names expand under the first permitted domain") {
  NamePolicy policy;
  CHECK(ExpandDeviceName("nas", policy) == "nas.home.arpa");
  CHECK(ExpandDeviceName("nas.home.arpa", policy) == "nas.home.arpa");
  CHECK(ExpandDeviceName("fd00::1", policy) == "fd00::1");
}

TEST_CASE("a pairing's first name gets its .local twin where .local is permitted") {
  NamePolicy policy;
  CHECK(PairingNamesFor({"nas"}, policy) == std::vector<std::string>{"nas.home.arpa"});
  policy.permitted_domains = {"home.arpa", "local"};
  CHECK(PairingNamesFor({"nas"}, policy) == std::vector<std::string>{"nas.home.arpa", "nas.local"});
  CHECK(PairingNamesFor({"nas", "files"}, policy) ==
        std::vector<std::string>{"nas.home.arpa", "nas.local", "files.home.arpa"});
  // Already there, given first as .local, or deeper than one label: as given.
  CHECK(PairingNamesFor({"nas", "nas.local"}, policy) ==
        std::vector<std::string>{"nas.home.arpa", "nas.local"});
  CHECK(PairingNamesFor({"printer.local"}, policy) == std::vector<std::string>{"printer.local"});
  CHECK(PairingNamesFor({"cam.lab.home.arpa"}, policy) ==
        std::vector<std::string>{"cam.lab.home.arpa"});
  CHECK(PairingNamesFor({"fd00::1"}, policy) == std::vector<std::string>{"fd00::1"});
}

TEST_CASE("the box's own host name is reserved under every permitted domain") {
  NamePolicy policy;
  policy.permitted_domains = {"home.arpa", "local"};
  policy.box_host_label = "homeserver";
  for (const char* name :
       {"homeserver.local", "homeserver.home.arpa", "ca.local", "ca.home.arpa"}) {
    INFO(name);
    CHECK(IsReservedForCa(policy, name));
    auto refused = CheckNames(policy, {name});
    REQUIRE_FALSE(refused.ok());
    CHECK_THAT(refused.status().message(), Catch::Contains("is reserved for the CA itself"));
    CHECK(CheckNames(policy, {name}, NameHolder::kCaItself).ok());
  }
  CHECK_FALSE(IsReservedForCa(policy, "nas.local"));
  CHECK_FALSE(IsReservedForCa(policy, "homeserver2.local"));
  policy.box_host_label.clear();
  CHECK_FALSE(IsReservedForCa(policy, "homeserver.local"));
}

TEST_CASE("names are normalized and de-duplicated") {
  NamePolicy policy;
  auto names = CheckNames(policy, {"Nas.Home.Arpa", "nas.home.arpa.", "tv.home.arpa"});
  REQUIRE(names.ok());
  REQUIRE(names->size() == 2);
  CHECK((*names)[0].text == "nas.home.arpa");
  CHECK((*names)[1].text == "tv.home.arpa");
  std::string long_name;
  while (long_name.size() < 250) long_name += "abcdefghi.";
  CHECK_FALSE(CheckNames(policy, {long_name + "home.arpa"}).ok());
}

}  // namespace
}  // namespace homeca::ca
