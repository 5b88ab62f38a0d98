// The name directory: authenticated contact moves a device's names, in the
// DNS export files and over mDNS; mDNS claims by others never do. A real CA
// and store in a temporary directory, the real exporter writing real files,
// and the fake mDNS standing in for the LAN.
#include "webui/names/name_directory.h"

#include <Poco/Logger.h>

#include <catch2/catch.hpp>
#include <ctime>
#include <fstream>
#include <sstream>
#include <thread>

#include "ca/authority.h"
#include "enroll/pairing_admin.h"
#include "mdns/fake_mdns.h"
#include "tests/support/csr_factory.h"
#include "tests/support/process.h"

namespace homeca::webui::names {
namespace {

// Polls `condition` for up to 5 s: the directory acts on its own thread, and
// waits a moment before announcing a name a device may answer for itself.
template <typename Condition>
bool Eventually(Condition condition) {
  for (int i = 0; i < 500; ++i) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return condition();
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}

struct Fixture {
  Fixture() : clock(static_cast<std::int64_t>(std::time(nullptr))) {
    auto created = ca::Authority::Init(dir / "ca", ca::InitOptions{}, clock);
    REQUIRE(created.ok());
    authority = std::move(*created);
    exporter = std::make_unique<NameExporter>(dir / "names", std::vector<std::string>{},
                                              Poco::Logger::get("test"));
    directory = std::make_unique<NameDirectory>(*authority, exporter.get(), &mdns,
                                                Poco::Logger::get("test"));
    directory->Start();
    REQUIRE(directory->WaitPublished(5000));
  }
  // Pairs a device: returns the id of its first certificate.
  std::int64_t Pair(const std::string& name, std::int64_t* pairing_id = nullptr) {
    auto pairing = enroll::CreateCodePairing(*authority, {name}, 600, "admin");
    REQUIRE(pairing.ok());
    if (pairing_id != nullptr) *pairing_id = pairing->id;
    ossl::Pkey key = testing::MakeEcKey();
    ca::IssueRequest request{testing::MakeCsrPem(key.get()), pairing->names, 0,
                             "pairing:" + std::to_string(pairing->id), pairing->id};
    auto issued = authority->Issue(request);
    REQUIRE(issued.ok());
    return issued->record.id;
  }
  void Contact(std::int64_t certificate, const std::string& address, const char* how = "checkin") {
    directory->OnDeviceContact(certificate, address, how);
    REQUIRE(directory->WaitPublished(5000));
  }
  std::string Hosts() { return ReadFile(dir / "names" / "hosts"); }
  const DeviceNameStatus& Device(const NameDirectoryStatus& status, std::int64_t id) {
    for (const DeviceNameStatus& d : status.devices) {
      if (d.pairing_id == id) return d;
    }
    FAIL("no device " << id);
    return status.devices.front();
  }

  testing::TempDir dir;
  ca::FakeClock clock;
  std::unique_ptr<ca::Authority> authority;
  mdns::FakeMdns mdns;
  std::unique_ptr<NameExporter> exporter;
  std::unique_ptr<NameDirectory> directory;
};

TEST_CASE("authenticated contact publishes a device's names, and moves them", "[names]") {
  Fixture f;
  std::int64_t id = 0;
  const std::int64_t cert = f.Pair("nas", &id);
  CHECK(f.Hosts().find("nas.home.arpa") == std::string::npos);  // no address yet

  f.Contact(cert, "192.168.1.20", "pairing");
  CHECK(f.Hosts().find("192.168.1.20\tnas.home.arpa") != std::string::npos);
  CHECK(f.Hosts().find("nas.local") == std::string::npos);  // mDNS's, not DNS's
  CHECK(Eventually([&] { return f.mdns.PublishedHosts().count("nas.local") == 1; }));
  CHECK(f.mdns.PublishedHosts()["nas.local"] == std::vector<std::string>{"192.168.1.20"});
  NameDirectoryStatus status = f.directory->Status();
  CHECK(f.Device(status, id).mdns == MdnsAnswer::kByHomecad);
  REQUIRE(status.map.size() == 1);
  CHECK(status.map[0].addresses == std::vector<std::string>{"192.168.1.20"});

  f.Contact(cert, "::ffff:192.168.1.21");  // a dual-stack socket's view of IPv4
  CHECK(f.Hosts().find("192.168.1.21\tnas.home.arpa") != std::string::npos);
  CHECK(f.Hosts().find("192.168.1.20") == std::string::npos);
  CHECK(Eventually([&] {
    return f.mdns.PublishedHosts()["nas.local"] == std::vector<std::string>{"192.168.1.21"};
  }));

  // Loopback (a device on the box itself) is nothing the LAN could use.
  f.Contact(cert, "127.0.0.1");
  CHECK(f.Hosts().find("192.168.1.21\tnas.home.arpa") != std::string::npos);
}

TEST_CASE("a device answering for its own .local name is left to it", "[names]") {
  Fixture f;
  std::int64_t id = 0;
  const std::int64_t cert = f.Pair("nas", &id);
  f.mdns.AnswerHost("nas.local", {"192.168.1.20"});  // its own avahi-daemon, say
  f.Contact(cert, "192.168.1.20", "pairing");
  CHECK(Eventually(
      [&] { return f.Device(f.directory->Status(), id).mdns == MdnsAnswer::kByDevice; }));
  CHECK(f.mdns.PublishedHosts().count("nas.local") == 0);
  CHECK(f.Device(f.directory->Status(), id).conflicts.empty());
  // The DNS export does not depend on mDNS at all.
  CHECK(f.Hosts().find("192.168.1.20\tnas.home.arpa") != std::string::npos);

  // It stops answering (switched off, say): homecad announces the name.
  f.mdns.AnswerHost("nas.local", {});
  CHECK(Eventually([&] { return f.mdns.PublishedHosts().count("nas.local") == 1; }));
  CHECK(f.Device(f.directory->Status(), id).mdns == MdnsAnswer::kByHomecad);
}

TEST_CASE("a claim by another address is a conflict and moves nothing", "[names]") {
  Fixture f;
  std::int64_t id = 0;
  const std::int64_t cert = f.Pair("nas", &id);
  f.Contact(cert, "192.168.1.20", "pairing");
  REQUIRE(Eventually([&] { return f.mdns.PublishedHosts().count("nas.local") == 1; }));
  const std::string hosts = f.Hosts();
  f.mdns.AnswerHost("nas.local", {"192.168.1.66"});
  CHECK(Eventually([&] { return !f.Device(f.directory->Status(), id).conflicts.empty(); }));
  const NameDirectoryStatus status = f.directory->Status();
  CHECK(f.Device(status, id).conflicts == std::vector<std::string>{"nas.local from 192.168.1.66"});
  CHECK(f.Device(status, id).mdns == MdnsAnswer::kByHomecad);
  CHECK(f.mdns.PublishedHosts()["nas.local"] == std::vector<std::string>{"192.168.1.20"});
  CHECK(f.Hosts() == hosts);
  REQUIRE(status.map.size() == 1);
  CHECK(status.map[0].addresses == std::vector<std::string>{"192.168.1.20"});
}

TEST_CASE("pins win, and a revoked device's names go", "[names]") {
  Fixture f;
  std::int64_t id = 0;
  const std::int64_t cert = f.Pair("nas", &id);
  f.Contact(cert, "192.168.1.20", "pairing");
  auto pin = ca::ParseDeviceAddress("192.168.1.99");
  REQUIRE(pin.ok());
  REQUIRE(
      f.authority->pairings()
          .PinDeviceAddress(id, *pin, ca::AuditEntry{0, f.clock.Now(), "admin", "device-pin", ""})
          .ok());
  f.directory->Changed();
  REQUIRE(f.directory->WaitPublished(5000));
  CHECK(f.Hosts().find("192.168.1.99\tnas.home.arpa") != std::string::npos);
  CHECK(Eventually([&] {
    return f.mdns.PublishedHosts()["nas.local"] == std::vector<std::string>{"192.168.1.99"};
  }));

  REQUIRE(f.authority->RevokeDevice(id, ca::RevocationReason::kKeyCompromise, "admin").ok());
  f.directory->Changed();
  REQUIRE(f.directory->WaitPublished(5000));
  CHECK(f.Hosts().find("nas.home.arpa") == std::string::npos);
  CHECK(f.mdns.PublishedHosts().count("nas.local") == 0);
  CHECK(f.directory->Status().map.empty());
  // And its certificate's contact no longer counts.
  f.Contact(cert, "192.168.1.30");
  CHECK(f.Hosts().find("nas.home.arpa") == std::string::npos);
}

}  // namespace
}  // namespace homeca::webui::names
