// FakeMdns: an in-memory Mdns for unit tests of the code above it (the
// Directory, homecad's publishing, the device's CA discovery). Tests play the
// LAN: Announce/Withdraw services, switch the daemon off and on, and look at
// what was published. Events are delivered synchronously, on the calling
// thread, to every matching browser; Browse replays what is already there,
// followed by kAllForNow, as Avahi does.
//
// Host names: PublishHost is established at once while the daemon runs;
// tests play other hosts answering for a name (AnswerHost) and claiming it
// (SetHostCollision), and watches see the result as Avahi would report it.
//
// Announce takes a ResolvedService as the LAN would send it: the fake runs
// the same sanitizing as the real browser (untrusted_text.h) on the instance
// name, host name and raw TXT strings, so hostile-data tests exercise it.
//
// Thread-safety: all members lock one recursive mutex, held while callbacks
// run (so callbacks may call back into the fake).
#pragma once

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "mdns/mdns.h"

namespace homeca::mdns {

// A service as announced on the wire, before any sanitizing.
struct RawService {
  std::string name;  // raw bytes
  std::string type;
  std::string host_name;
  std::uint16_t port = 0;
  std::vector<ServiceAddress> addresses;
  std::vector<std::string> txt;  // raw "key=value" strings
  bool local = false;
};

class FakeMdns final : public Mdns {
 public:
  FakeMdns();
  ~FakeMdns() override;

  std::unique_ptr<Publication> Publish(const Announcement& announcement) override;
  std::unique_ptr<Browser> Browse(const std::string& type,
                                  std::function<void(const BrowseEvent&)> on_event) override;
  std::unique_ptr<HostPublication> PublishHost(const std::string& host,
                                               const std::vector<std::string>& addresses) override;
  std::unique_ptr<Browser> WatchHost(const std::string& host,
                                     std::function<void(const HostSighting&)> on_change) override;
  MdnsStatus Status() const override;
  void OnStatusChange(std::function<void(const MdnsStatus&)> listener) override;

  // The LAN side.
  void Announce(const RawService& service);  // new or changed
  void Withdraw(const std::string& raw_name, const std::string& type);
  // Daemon off: browsers see every service removed, publications drop.
  // Daemon on: browsers see the LAN again, publications come back.
  void SetDaemonRunning(bool running);
  // Names already taken on the LAN: publishing one renames (" #2", " #3").
  void TakeName(const std::string& name);

  // What this process has published and not withdrawn (while running).
  std::vector<Announcement> Published() const;

  // The LAN side, for host names. Other hosts answer for `host` with
  // `addresses` (replacing what they answered before; empty: they stop).
  // Each is parsed as record data would be: text that is no address is
  // dropped, and at most kMaxHostAddresses are tracked. What we publish does
  // not change.
  void AnswerHost(const std::string& host, const std::vector<std::string>& addresses);
  // While `colliding`, another host holds `host` with other addresses: our
  // publications of it are in kCollision and their records withdrawn. Back
  // to false plays the retry after the back-off winning the name again.
  void SetHostCollision(const std::string& host, bool colliding);
  // The host names this process publishes (established), with their
  // addresses as published.
  std::map<std::string, std::vector<std::string>> PublishedHosts() const;

 private:
  class FakePublication;
  class FakeBrowser;
  class FakeHostPublication;
  class FakeHostWatch;
  friend class FakePublication;
  friend class FakeBrowser;
  friend class FakeHostPublication;
  friend class FakeHostWatch;

  static ResolvedService Sanitize(const RawService& raw);
  void Deliver(const std::string& type, const BrowseEvent& event);
  void Replay(FakeBrowser* browser);
  std::string FreeName(const std::string& wanted) const;
  HostPublicationState HostState(const std::string& host) const;
  HostSighting SightingOf(const std::string& host) const;
  // Reports to every watch whose sighting changed.
  void UpdateWatches();

  mutable std::recursive_mutex mu_;
  bool running_ = true;
  std::map<std::pair<std::string, std::string>, RawService> lan_;  // (raw name, type)
  std::set<std::string> taken_names_;
  std::set<FakePublication*> publications_;
  std::set<FakeBrowser*> browsers_;
  std::map<std::string, std::vector<std::string>> host_answers_;  // host -> raw addresses
  std::set<std::string> colliding_hosts_;
  std::set<FakeHostPublication*> host_publications_;
  std::set<FakeHostWatch*> host_watches_;
  std::function<void(const MdnsStatus&)> listener_;
};

}  // namespace homeca::mdns
