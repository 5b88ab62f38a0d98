#include "mdns/fake_mdns.h"

#include <catch2/catch.hpp>

#include "mdns/homeca_records.h"
#include "mdns/host_names.h"

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

TEST_CASE("the fake publishes host names, and watches see ours and others apart") {
  FakeMdns mdns;
  std::vector<HostSighting> seen;
  auto watch = mdns.WatchHost("NAS.local", [&](const HostSighting& s) { seen.push_back(s); });
  REQUIRE(watch);
  REQUIRE(seen.size() == 1);  // the first answers: none
  CHECK(seen.back() == HostSighting{"nas.local", {}, {}, false});

  auto publication = mdns.PublishHost("nas.local", {"fe80::5", "192.168.1.20"});
  REQUIRE(publication);
  CHECK(publication->State() == HostPublicationState::kEstablished);
  CHECK(mdns.PublishedHosts().at("nas.local") ==
        std::vector<std::string>{"192.168.1.20", "fe80::5"});
  CHECK(seen.back() == HostSighting{"nas.local", {"192.168.1.20", "fe80::5"}, {}, false});

  // A claimant answers with its own address: shown apart, nothing published moves.
  mdns.AnswerHost("nas.local", {"192.168.1.66", "not an address", "192.168.1.20"});
  CHECK(seen.back() ==
        HostSighting{"nas.local", {"192.168.1.20", "fe80::5"}, {"192.168.1.66"}, false});
  CHECK(mdns.PublishedHosts().at("nas.local") ==
        std::vector<std::string>{"192.168.1.20", "fe80::5"});

  // It wins a collision: our records go until the retry wins the name back.
  mdns.SetHostCollision("nas.local", true);
  CHECK(publication->State() == HostPublicationState::kCollision);
  CHECK(mdns.PublishedHosts().empty());
  CHECK(seen.back() == HostSighting{"nas.local", {}, {"192.168.1.20", "192.168.1.66"}, false});
  mdns.SetHostCollision("nas.local", false);
  CHECK(publication->State() == HostPublicationState::kEstablished);

  // Daemon off: nothing published, the watch sees nothing; on: all back.
  mdns.SetDaemonRunning(false);
  CHECK(publication->State() == HostPublicationState::kRegistering);
  CHECK(seen.back() == HostSighting{"nas.local", {}, {}, false});
  mdns.SetDaemonRunning(true);
  CHECK(seen.back() ==
        HostSighting{"nas.local", {"192.168.1.20", "fe80::5"}, {"192.168.1.66"}, false});

  // Withdrawn: goodbye.
  const std::size_t reports = seen.size();
  publication.reset();
  CHECK(mdns.PublishedHosts().empty());
  CHECK(seen.size() == reports + 1);
  CHECK(seen.back() == HostSighting{"nas.local", {}, {"192.168.1.20", "192.168.1.66"}, false});
  // Another host's name does not reach this watch.
  mdns.AnswerHost("printer.local", {"192.168.1.30"});
  CHECK(seen.size() == reports + 1);
  watch.reset();
  mdns.AnswerHost("nas.local", {});
  CHECK(seen.size() == reports + 1);
}

TEST_CASE("the fake refuses invalid host names and addresses, and bounds a flood") {
  FakeMdns mdns;
  CHECK_FALSE(mdns.PublishHost("nas.home.arpa", {"192.168.1.20"}));
  CHECK_FALSE(mdns.PublishHost("nas.local", {}));
  CHECK_FALSE(mdns.PublishHost("nas.local", {"192.168.1.20", "127.0.0.1"}));
  CHECK_FALSE(mdns.WatchHost("nas", nullptr));
  HostSighting last;
  auto watch = mdns.WatchHost("nas.local", [&](const HostSighting& s) { last = s; });
  std::vector<std::string> flood;
  for (int i = 1; i <= 200; ++i)
    flood.push_back("10.0." + std::to_string(i / 250) + "." + std::to_string(i % 250));
  mdns.AnswerHost("nas.local", flood);
  CHECK(last.others.size() == kMaxHostAddresses);
  CHECK(last.truncated);
}
