// homecad's CaDiscovery over the fake Mdns: what it publishes, how it feeds
// the web UI (waiting list, inventory, devices' addresses), and what it says
// when discovery is off.
#include "webui/daemon/ca_discovery.h"

#include <Poco/Logger.h>

#include <catch2/catch.hpp>

#include "mdns/fake_mdns.h"
#include "mdns/homeca_records.h"

namespace homeca::webui {
namespace {

const std::string kRootSha256 = "53ec1f4f4a68e672c84897fa24d9643b6ee0632665c88c842d8292d3e8dd7cea";

mdns::ServiceAddress V4(std::string a) { return {std::move(a), false, 2, "eth0"}; }
mdns::ServiceAddress V6(std::string a) { return {std::move(a), true, 2, "eth0"}; }

}  // namespace

TEST_CASE("CaDiscovery publishes _homeca._tcp with its TXT, and withdraws it") {
  auto fake = std::make_unique<mdns::FakeMdns>();
  mdns::FakeMdns& lan = *fake;
  CaDiscovery discovery({true, "homeca on test", kRootSha256}, Poco::Logger::get("test"),
                        std::move(fake));
  CHECK(lan.Published().empty());  // nothing before the port is known
  discovery.Publish(8443);
  auto published = lan.Published();
  REQUIRE(published.size() == 1);
  const mdns::Announcement& a = published.front();
  CHECK(a.name == "homeca on test");
  CHECK(a.type == "_homeca._tcp");
  CHECK(a.port == 8443);
  CHECK(mdns::FindTxt(a.txt, "v") == "1");
  CHECK(mdns::FindTxt(a.txt, "fp") == kRootSha256.substr(0, 16));
  CHECK(mdns::FindTxt(a.txt, "path") == "/enroll/v1/");
  CHECK(discovery.enabled());
  CHECK(discovery.StatusText() == "on, published as 'homeca on test'");
  discovery.Withdraw();
  CHECK(lan.Published().empty());
}

TEST_CASE("CaDiscovery feeds the web UI from the LAN") {
  auto fake = std::make_unique<mdns::FakeMdns>();
  mdns::FakeMdns& lan = *fake;
  CaDiscovery discovery({true, "homeca on test", kRootSha256}, Poco::Logger::get("test"),
                        std::move(fake));
  lan.Announce({"cam",
                mdns::kPairServiceType,
                "cam.local",
                0,
                {V6("fe80::7"), V4("192.168.1.7")},
                {"id=cam-7", "model=Acme"}});
  lan.Announce({"NAS", "_smb._tcp", "nas.local", 445, {V6("fe80::5")}, {}});
  auto waiting = discovery.WaitingToPair();
  REQUIRE(waiting.size() == 1);
  CHECK(waiting[0].device_id == "cam-7");
  CHECK(waiting[0].model == "Acme");
  CHECK(waiting[0].address == "192.168.1.7");
  CHECK(waiting[0].last_seen > 0);
  CHECK(waiting[0].kdf.empty());  // scrypt
  // A constrained device asks for PBKDF2; the arm form and the API pass it on.
  lan.Announce({"meter",
                mdns::kPairServiceType,
                "meter.local",
                0,
                {V4("192.168.1.8")},
                {"id=meter-1", "kdf=pbkdf2-sha256"}});
  for (const WaitingDevice& w : discovery.WaitingToPair()) {
    CHECK(w.kdf == (w.device_id == "meter-1" ? "pbkdf2-sha256" : ""));
  }
  CHECK(discovery.WaitingToPair().size() == 2);
  auto inventory = discovery.Inventory();
  REQUIRE(inventory.size() == 1);
  CHECK(inventory[0].service_type == "_smb._tcp");
  CHECK(inventory[0].address == "fe80::5%eth0");  // a link-local address keeps its scope
  CHECK(discovery.AddressesOf("nas.home.arpa") == std::vector<std::string>{"fe80::5%eth0"});
  CHECK(discovery.AddressesOf("printer.home.arpa").empty());

  lan.SetDaemonRunning(false);
  CHECK_FALSE(discovery.enabled());
  CHECK(discovery.StatusText() == "off: avahi-daemon is not running");
  CHECK(discovery.WaitingToPair().empty());
}

TEST_CASE("CaDiscovery switched off says so and lists nothing") {
  CaDiscovery discovery({false, "", kRootSha256}, Poco::Logger::get("test"));
  discovery.Publish(8443);
  CHECK_FALSE(discovery.enabled());
  CHECK(discovery.StatusText() == "off: mDNS is switched off (mdns = off)");
  CHECK(discovery.WaitingToPair().empty());
  CHECK(discovery.Inventory().empty());
  CHECK(discovery.directory() == nullptr);
}

}  // namespace homeca::webui
