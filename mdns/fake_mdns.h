// FakeMdns: an in-memory Mdns for unit tests of the code above it (the
// Directory, homecad's publishing, the device's CA discovery). Tests play the
// LAN: Announce/Withdraw services, switch the daemon off and on, and look at
// what was published. Events are delivered synchronously, on the calling
// thread, to every matching browser; Browse replays what is already there,
// followed by kAllForNow, as Avahi does.
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

 private:
  class FakePublication;
  class FakeBrowser;
  friend class FakePublication;
  friend class FakeBrowser;

  static ResolvedService Sanitize(const RawService& raw);
  void Deliver(const std::string& type, const BrowseEvent& event);
  void Replay(FakeBrowser* browser);
  std::string FreeName(const std::string& wanted) const;

  mutable std::recursive_mutex mu_;
  bool running_ = true;
  std::map<std::pair<std::string, std::string>, RawService> lan_;  // (raw name, type)
  std::set<std::string> taken_names_;
  std::set<FakePublication*> publications_;
  std::set<FakeBrowser*> browsers_;
  std::function<void(const MdnsStatus&)> listener_;
};

}  // namespace homeca::mdns
