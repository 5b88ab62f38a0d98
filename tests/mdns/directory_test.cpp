#include "mdns/directory.h"

#include <catch2/catch.hpp>

#include "mdns/fake_mdns.h"
#include "mdns/homeca_records.h"

using namespace homeca::mdns;

namespace {

ServiceAddress V4(std::string a) { return ServiceAddress{std::move(a), false, 2, "eth0"}; }
ServiceAddress V6(std::string a) { return ServiceAddress{std::move(a), true, 2, "eth0"}; }

RawService Printer(std::string name = "Office printer", std::string host = "printer.local") {
  return RawService{std::move(name),
                    "_ipp._tcp",
                    std::move(host),
                    631,
                    {V6("fe80::20"), V4("192.168.77.20")},
                    {"rp=ipp/print", "ty=Acme"}};
}

RawService Waiting(std::string name, std::string id, std::string model = "Acme cam") {
  return RawService{std::move(name),       kPairServiceType,
                    "cam.local",           0,
                    {V4("192.168.77.31")}, {"id=" + std::move(id), "model=" + std::move(model)}};
}

struct Fixture {
  FakeMdns mdns;
  std::int64_t now = 1'700'000'000;
  std::unique_ptr<Directory> directory = std::make_unique<Directory>(mdns, [this] { return now; });
};

}  // namespace

TEST_CASE("the directory keeps CAs, waiting devices and the inventory apart") {
  Fixture f;
  f.mdns.Announce({"homeca on ca",
                   kCaServiceType,
                   "ca.local",
                   8443,
                   {V4("192.168.77.2")},
                   {"v=1", "fp=00112233445566778899", "path=/enroll/v1/"},
                   true});
  f.mdns.Announce(Waiting("cam waiting to pair", "cam-7f3a"));
  f.mdns.Announce(Printer());

  DirectorySnapshot s = f.directory->Snapshot();
  CHECK(s.status.state == MdnsState::kRunning);
  REQUIRE(s.cas.size() == 1);
  CHECK(s.cas[0].name == "homeca on ca");
  CHECK(s.cas[0].port == 8443);
  CHECK(s.cas[0].fingerprint_prefix == "00112233445566778899");
  CHECK(s.cas[0].local);
  REQUIRE(s.waiting.size() == 1);
  CHECK(s.waiting[0].device_id == "cam-7f3a");
  CHECK(s.waiting[0].model == "Acme cam");
  CHECK(s.waiting[0].first_seen == f.now);
  REQUIRE(s.inventory.size() == 1);
  CHECK(s.inventory[0].label == "Printer (IPP)");
  CHECK(s.inventory[0].host_name == "printer.local");
  REQUIRE(s.inventory[0].addresses.size() == 2);
  CHECK(s.inventory[0].addresses[0].address == "192.168.77.20");  // IPv4 first
  CHECK(s.ignored == 0);
}

TEST_CASE("a waiting device leaves the list when it withdraws its record") {
  Fixture f;
  f.mdns.Announce(Waiting("cam", "cam-1"));
  f.now += 30;
  f.mdns.Announce(Waiting("cam", "cam-1", "Acme cam v2"));  // a TXT change
  auto s = f.directory->Snapshot();
  REQUIRE(s.waiting.size() == 1);
  CHECK(s.waiting[0].model == "Acme cam v2");
  CHECK(s.waiting[0].first_seen == f.now - 30);  // still the first sighting
  f.mdns.Withdraw("cam", kPairServiceType);
  CHECK(f.directory->Snapshot().waiting.empty());
}

TEST_CASE("hostile announcements are listed safely or not at all") {
  Fixture f;
  // HTML and control characters in the name; an oversized, repeated TXT.
  std::vector<std::string> txt = {"id=cam-2", "model=<img src=x onerror=alert(1)>\x1b[2J"};
  for (int i = 0; i < 500; ++i)
    txt.push_back("junk" + std::to_string(i) + "=" + std::string(250, 'x'));
  f.mdns.Announce({"<script>alert(1)</script>\n\x07\xE2\x80\xAE" + std::string(200, 'A'),
                   kPairServiceType,
                   "evil\x01.local",
                   0,
                   {V4("192.168.77.66")},
                   txt});
  // A device id that would walk out of a directory, and one that is too long.
  f.mdns.Announce(Waiting("walker", "../../etc/passwd"));
  f.mdns.Announce(Waiting("long", std::string(65, 'x')));
  // A CA record without a fingerprint, one with a newer version.
  f.mdns.Announce({"fake ca", kCaServiceType, "x.local", 443, {V4("192.168.77.9")}, {"v=1"}});
  f.mdns.Announce({"future ca",
                   kCaServiceType,
                   "y.local",
                   443,
                   {V4("192.168.77.8")},
                   {"v=2", "fp=00112233445566778899"}});

  auto s = f.directory->Snapshot();
  REQUIRE(s.waiting.size() == 1);
  const WaitingDevice& w = s.waiting[0];
  CHECK(w.device_id == "cam-2");
  CHECK(w.name.size() <= kMaxInstanceNameBytes);
  CHECK(w.name.rfind("<script>alert(1)</script>", 0) == 0);  // kept as text, to be escaped
  for (char c : w.name + w.model + w.host_name) {
    CHECK((static_cast<unsigned char>(c) >= 0x20 && c != 0x7f));
  }
  CHECK(w.model.find("\x1b") == std::string::npos);
  CHECK(w.model.size() <= kMaxModelBytes);
  CHECK(s.cas.empty());
  CHECK(s.ignored == 4);
}

TEST_CASE("the inventory is bounded") {
  Fixture f;
  for (std::size_t i = 0; i < kMaxInventoryEntries + 10; ++i) {
    f.mdns.Announce(
        {"web " + std::to_string(i), "_http._tcp", "h.local", 80, {V4("10.0.0.1")}, {}});
  }
  auto s = f.directory->Snapshot();
  CHECK(s.inventory.size() == kMaxInventoryEntries);
  CHECK(s.ignored == 10);
}

TEST_CASE("addresses of enrolled devices are found by host name") {
  Fixture f;
  f.mdns.Announce(
      {"NAS web", "_https._tcp", "NAS.local", 443, {V6("fe80::5"), V4("192.168.77.5")}, {}});
  f.mdns.Announce({"NAS files", "_smb._tcp", "nas.local.", 445, {V4("192.168.77.5")}, {}});
  f.mdns.Announce({"other", "_ssh._tcp", "nas.example.org", 22, {V4("203.0.113.1")}, {}});
  auto addresses = f.directory->AddressesOfHost("nas");
  REQUIRE(addresses.size() == 2);
  CHECK(addresses[0].address == "192.168.77.5");
  CHECK(addresses[1].address == "fe80::5");
  CHECK(f.directory->AddressesOfHost("printer").empty());
  CHECK(f.directory->AddressesOfHost("").empty());
}

TEST_CASE("when avahi-daemon goes away the directory empties and says why") {
  Fixture f;
  f.mdns.Announce(Printer());
  f.mdns.Announce(Waiting("cam", "cam-1"));
  int changes = 0;
  f.directory->OnChange([&] { ++changes; });
  f.mdns.SetDaemonRunning(false);
  auto off = f.directory->Snapshot();
  CHECK(off.status.state == MdnsState::kUnavailable);
  CHECK(off.status.detail == "avahi-daemon is not running");
  CHECK(off.inventory.empty());
  CHECK(off.waiting.empty());
  CHECK(changes == 2);
  f.mdns.SetDaemonRunning(true);
  auto on = f.directory->Snapshot();
  CHECK(on.status.state == MdnsState::kRunning);
  CHECK(on.inventory.size() == 1);
  CHECK(on.waiting.size() == 1);
}
