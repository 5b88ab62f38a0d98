#include "mdns/host_names.h"

#include <catch2/catch.hpp>
#include <string>

#include "mdns/collision_backoff.h"

using namespace homeca::mdns;

TEST_CASE("host names: only LDH labels under .local, in lower case") {
  CHECK(CanonicalLocalHostName("nas.local") == "nas.local");
  CHECK(CanonicalLocalHostName("NAS.Local") == "nas.local");
  CHECK(CanonicalLocalHostName("living-room-tv.local") == "living-room-tv.local");
  CHECK(CanonicalLocalHostName("a.b.local") == "a.b.local");
  CHECK(CanonicalLocalHostName(std::string(63, 'a') + ".local"));
  for (const char* bad : {"", "local", ".local", "nas", "nas.home.arpa", "nas.local.", "nas..local",
                          "-nas.local", "nas-.local", "na s.local", "nas_1.local", "nas.local\n",
                          "n\xc3\xa4s.local", "nas.lo", "nas.localx"}) {
    INFO(bad);
    CHECK_FALSE(CanonicalLocalHostName(bad));
  }
  CHECK_FALSE(CanonicalLocalHostName(std::string(64, 'a') + ".local"));
  CHECK_FALSE(CanonicalLocalHostName(std::string("nas\0.local", 10)));
  // 253 bytes in all at most.
  std::string long_name;
  while (long_name.size() < 250) long_name += std::string(9, 'x') + ".";
  CHECK_FALSE(CanonicalLocalHostName(long_name + "local"));
}

TEST_CASE("host addresses: canonical text, nothing a device cannot be at") {
  CHECK(ParseHostAddress("192.168.1.20")->text == "192.168.1.20");
  CHECK_FALSE(ParseHostAddress("192.168.1.20")->ipv6);
  CHECK(ParseHostAddress("FE80:0:0::1")->text == "fe80::1");
  CHECK(ParseHostAddress("2001:db8::a")->ipv6);
  for (const char* bad :
       {"", "nas.local", "192.168.1", "192.168.1.256", "192.168.1.20/24", " 192.168.1.20",
        "0.0.0.0", "127.0.0.1", "127.1.2.3", "224.0.0.251", "239.1.1.1", "255.255.255.255",
        "::", "::1", "ff02::fb", "fe80::1%eth0", "::ffff:192.168.1.3"}) {
    INFO(bad);
    CHECK_FALSE(ParseHostAddress(bad));
  }
  CHECK_FALSE(ParseHostAddress(std::string(100, '1')));
}

TEST_CASE("host addresses to publish: de-duplicated, sorted, bounded") {
  auto parsed = ParseHostAddresses({"fe80::2", "192.168.1.9", "192.168.1.10", "192.168.1.9"});
  REQUIRE(parsed);
  std::vector<std::string> texts;
  for (const HostAddress& a : *parsed) texts.push_back(a.text);
  CHECK(texts == std::vector<std::string>{"192.168.1.9", "192.168.1.10", "fe80::2"});
  CHECK_FALSE(ParseHostAddresses({}));
  CHECK_FALSE(ParseHostAddresses({"192.168.1.9", "127.0.0.1"}));  // one bad: none
  std::vector<std::string> many;
  for (std::size_t i = 0; i <= kMaxHostAddresses; ++i)
    many.push_back("10.0.0." + std::to_string(i + 1));
  CHECK_FALSE(ParseHostAddresses(many));
  many.pop_back();
  CHECK(ParseHostAddresses(many));
}

TEST_CASE("record data from the network: the length must fit the type") {
  const unsigned char v4[4] = {192, 168, 1, 9};
  const unsigned char v6[16] = {0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  CHECK(AddressFromRecordData(false, v4, 4)->text == "192.168.1.9");
  CHECK(AddressFromRecordData(true, v6, 16)->text == "fe80::1");
  CHECK_FALSE(AddressFromRecordData(false, v4, 3));
  CHECK_FALSE(AddressFromRecordData(false, v6, 16));
  CHECK_FALSE(AddressFromRecordData(true, v4, 4));
  CHECK_FALSE(AddressFromRecordData(true, nullptr, 16));
  // What a claimant says is reported as is, even where no device can be.
  const unsigned char loopback[4] = {127, 0, 0, 1};
  CHECK(AddressFromRecordData(false, loopback, 4)->text == "127.0.0.1");
}

TEST_CASE("collision back-off: 5 s doubling to 60 s, reset after holding the name a minute") {
  using std::chrono::milliseconds;
  using std::chrono::seconds;
  CollisionBackoff backoff;
  auto t = CollisionBackoff::Clock::time_point{} + seconds(1000);
  std::vector<long> delays;
  for (int i = 0; i < 7; ++i) delays.push_back(static_cast<long>(backoff.Next(t).count()));
  CHECK(delays == std::vector<long>{5000, 10000, 20000, 40000, 60000, 60000, 60000});
  // Established briefly (a claimant that lets go and comes back): no reset.
  backoff.Established(t);
  CHECK(backoff.Next(t + seconds(59)) == milliseconds(60000));
  // Held for a minute: the next collision starts over.
  backoff.Established(t + seconds(100));
  CHECK(backoff.Next(t + seconds(160)) == milliseconds(5000));
  CHECK(backoff.Next(t + seconds(165)) == milliseconds(10000));
}
