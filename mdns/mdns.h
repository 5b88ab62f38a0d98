// Mdns: publishing and browsing DNS-SD services, the seam between homeca and
// Avahi. AvahiMdns (avahi_mdns.h) is the real one; FakeMdns (fake_mdns.h)
// lets tests drive the code above it.
//
// Lifetimes: Publish and Browse return handles; a service stays published,
// and a browse keeps reporting, until its handle is destroyed. Handles must
// not outlive the Mdns that made them.
//
// Thread-safety: every member may be called from any thread. Callbacks
// (browse events, state changes) run on the implementation's event thread,
// one at a time; they may create and destroy other handles, but must not
// destroy the handle whose callback is running, and must not block for long.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "ca/status.h"
#include "mdns/service.h"

namespace homeca::mdns {

enum class MdnsState {
  kStarting,     // connecting to avahi-daemon, or registering our host name
  kRunning,      // publishing and browsing work
  kUnavailable,  // no avahi-daemon (or no D-Bus): discovery is off until one appears
};

// "starting", "running", "unavailable".
const char* MdnsStateName(MdnsState state);

// Checks an announcement before it reaches Avahi: a valid service type, a
// name of 1-63 bytes of valid UTF-8 without control characters, TXT keys as
// untrusted_text.h accepts them, each "key=value" at most 255 bytes, at most
// kMaxTxtEntries entries.
Status CheckAnnouncement(const Announcement& announcement);

struct MdnsStatus {
  MdnsState state = MdnsState::kStarting;
  std::string detail;  // why, when unavailable ("avahi-daemon is not running")
};

class Publication {
 public:
  virtual ~Publication() = default;  // withdraws the service
  // The instance name in use: the one asked for, or the alternative picked
  // after a name collision ("homeca on nas #2"). Empty until first registered.
  virtual std::string CurrentName() const = 0;
  // True while the service is registered with avahi-daemon (and announced).
  virtual bool Established() const = 0;
};

struct BrowseEvent {
  enum class Kind {
    kResolved,   // a service appeared or changed; `service` holds all of it
    kRemoved,    // `service.key` is gone
    kAllForNow,  // the first answers are in (a good moment to decide)
  };
  Kind kind = Kind::kResolved;
  ResolvedService service;
};

class Browser {
 public:
  virtual ~Browser() = default;  // stops browsing; no callback runs after it returns
};

class Mdns {
 public:
  virtual ~Mdns() = default;

  // Publishes `announcement` now or as soon as avahi-daemon is there, and
  // again after avahi-daemon restarts; renames it on a collision. Returns
  // nullptr only for an invalid announcement (type, name or TXT).
  virtual std::unique_ptr<Publication> Publish(const Announcement& announcement) = 0;

  // Browses `type` in the default domain (local) on every interface and
  // resolves what it finds. Services seen on several interfaces or over both
  // IPv4 and IPv6 are merged into one, with all their addresses. When
  // avahi-daemon goes away every service is reported removed; browsing
  // resumes when it comes back. nullptr for an invalid type.
  virtual std::unique_ptr<Browser> Browse(const std::string& type,
                                          std::function<void(const BrowseEvent&)> on_event) = 0;

  virtual MdnsStatus Status() const = 0;
  // Called on every change of state, from the event thread.
  virtual void OnStatusChange(std::function<void(const MdnsStatus&)> listener) = 0;
};

}  // namespace homeca::mdns
