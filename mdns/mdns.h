// Mdns: publishing and browsing DNS-SD services, the seam between homeca and
// Avahi. AvahiMdns (avahi_mdns.h) is the real one; FakeMdns (fake_mdns.h)
// lets tests drive the code above it.
//
// Besides DNS-SD services it publishes and watches host names (A/AAAA
// records, "nas.local" -> addresses): homecad answers for an enrolled device
// that does not answer for its own name.
//
// Lifetimes: Publish, PublishHost, Browse and WatchHost return handles; a
// service or host stays published, and a browse or watch keeps reporting,
// until its handle is destroyed. Handles must not outlive the Mdns that made
// them.
//
// Thread-safety: every member may be called from any thread. Callbacks
// (browse events, state changes) run on the implementation's event thread,
// one at a time; they may create and destroy other handles, but must not
// destroy the handle whose callback is running, and must not block for long.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "ca/base/status.h"
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

// One host name's address records, published by us.
enum class HostPublicationState {
  kRegistering,  // probing the name, or waiting for avahi-daemon
  kEstablished,  // the records are announced and answered
  kCollision,    // someone else holds the name with other addresses; we retry after a back-off
};

// "registering", "established", "collision".
const char* HostPublicationStateName(HostPublicationState state);

class HostPublication {
 public:
  virtual ~HostPublication() = default;  // withdraws the records (goodbye packets)
  virtual HostPublicationState State() const = 0;
};

// What the LAN answers for one host name, as seen by a record browser (what
// avahi-daemon's cache holds). Every address is in canonical text form
// (inet_ntop), IPv4 first, then IPv6, each in numeric order, without
// duplicates. Two limits of what Avahi can tell (mdns/README.md has the
// details):
//  - `ours` is decided when a record first shows up: one that matches one of
//    our own entries is ours. Another host answering with the very address
//    we publish is the same record, so it shows in `ours` only. After a
//    collision our last announcement stays in caches until its TTL runs out
//    (no goodbye is sent), still as ours.
//  - While our records are established, avahi-daemon does not cache a
//    conflicting answer (it defends the name instead), so a claimant shows in
//    `others` only once we are not publishing, or are in collision.
struct HostSighting {
  std::string host;                 // "nas.local"
  std::vector<std::string> ours;    // addresses we publish ourselves (Avahi's LOCAL flag)
  std::vector<std::string> others;  // addresses answered by anyone else
  // More than kMaxHostAddresses (host_names.h) addresses were answered; the
  // rest are not tracked (a flood, not a device).
  bool truncated = false;

  bool operator==(const HostSighting&) const = default;
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

  // Publishes A/AAAA records `host` -> `addresses` (IPv4/IPv6 text; 1 to
  // kMaxHostAddresses) on every interface, without reverse (PTR) records, now
  // or once avahi-daemon is there, and again after it restarts. On a
  // collision (someone else holds the name with other addresses) the state
  // becomes kCollision and the records are registered again after a back-off
  // (5 s, doubling up to 60 s; it starts over once we have held the name for
  // a minute): we do not give the name up to an unauthenticated claimant,
  // but never flood either. To change the addresses, destroy the publication
  // (its goodbye packets make caches drop the old addresses within a second)
  // and publish anew. nullptr for an invalid host name (see
  // CanonicalLocalHostName in host_names.h) or address (see ParseHostAddress).
  virtual std::unique_ptr<HostPublication> PublishHost(
      const std::string& host, const std::vector<std::string>& addresses) = 0;

  // Reports what the LAN holds for `host` (an Avahi record browser on A and
  // AAAA): once the first answers are in (possibly none), then on every
  // change. When avahi-daemon goes away an empty sighting is reported;
  // watching resumes when it comes back. nullptr for an invalid host name.
  virtual std::unique_ptr<Browser> WatchHost(
      const std::string& host, std::function<void(const HostSighting&)> on_change) = 0;

  virtual MdnsStatus Status() const = 0;
  // Called on every change of state, from the event thread.
  virtual void OnStatusChange(std::function<void(const MdnsStatus&)> listener) = 0;
};

}  // namespace homeca::mdns
