#include <catch2/catch.hpp>

#include "mdns/fake_mdns.h"
#include "mdns/homeca_records.h"

using namespace homeca::mdns;

TEST_CASE("the fake replays the LAN to a new browser, then reports changes") {
  FakeMdns mdns;
  mdns.Announce({"a", "_http._tcp", "a.local", 80, {}, {}});
  std::vector<BrowseEvent::Kind> kinds;
  auto browser = mdns.Browse("_http._tcp", [&](const BrowseEvent& e) { kinds.push_back(e.kind); });
  REQUIRE(browser);
  mdns.Announce({"b", "_http._tcp", "b.local", 80, {}, {}});
  mdns.Announce({"c", "_ssh._tcp", "c.local", 22, {}, {}});  // another type
  mdns.Withdraw("a", "_http._tcp");
  browser.reset();
  mdns.Withdraw("b", "_http._tcp");  // no browser any more
  using K = BrowseEvent::Kind;
  CHECK(kinds == std::vector<K>{K::kResolved, K::kAllForNow, K::kResolved, K::kRemoved});
  CHECK_FALSE(mdns.Browse("not a type", nullptr));
}

TEST_CASE("the fake publishes, renames on a collision and withdraws") {
  FakeMdns mdns;
  mdns.TakeName("homeca on ca");
  auto publication = mdns.Publish(MakeCaAnnouncement("homeca on ca", 8443, std::string(64, 'a')));
  REQUIRE(publication);
  CHECK(publication->CurrentName() == "homeca on ca #2");
  REQUIRE(mdns.Published().size() == 1);
  mdns.SetDaemonRunning(false);
  CHECK_FALSE(publication->Established());
  CHECK(mdns.Published().empty());
  mdns.SetDaemonRunning(true);
  CHECK(publication->Established());
  publication.reset();
  CHECK(mdns.Published().empty());
  CHECK_FALSE(mdns.Publish(Announcement{"", "_homeca._tcp", 1, {}}));
}
