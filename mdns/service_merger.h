// ServiceMerger: Avahi reports a service once per interface and per protocol
// (IPv4, IPv6) it was seen on, and resolves each sighting separately. This
// folds those sightings into one ResolvedService per instance, with every
// address, and says when the merged view changed. It also caps how many
// instances one browse tracks, so a LAN flooding announcements cannot grow
// our memory without bound.
//
// Thread-safety: none; the owner serializes calls (AvahiMdns: the event thread).
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "mdns/service.h"

namespace homeca::mdns {

inline constexpr std::size_t kMaxServicesPerBrowse = 512;

// Where one sighting of an instance came from. `raw_name` is the name as
// received: two names that differ only in bytes sanitizing replaced are one
// instance for the consumer but separate sightings here.
struct SightingOrigin {
  int interface_index = 0;
  int protocol = 0;  // Avahi's AVAHI_PROTO_INET / AVAHI_PROTO_INET6
  std::string raw_name;
  bool operator<(const SightingOrigin& o) const {
    return std::tie(interface_index, protocol, raw_name) <
           std::tie(o.interface_index, o.protocol, o.raw_name);
  }
};

class ServiceMerger {
 public:
  explicit ServiceMerger(std::size_t max_services = kMaxServicesPerBrowse)
      : max_services_(max_services) {}

  // A new sighting (not yet resolved). False when the cap refuses a new
  // instance: the caller must not resolve it.
  bool Seen(const ServiceKey& key, SightingOrigin origin);

  // A sighting resolved to `piece` (its addresses: the ones of this origin).
  // Returns the merged service when the merged view changed.
  std::optional<ResolvedService> Resolved(SightingOrigin origin, ResolvedService piece);

  // A sighting went away (or failed to resolve). Returns the merged service
  // if it is still there and changed; `gone` is set when the instance was
  // reported before and is now gone entirely.
  std::optional<ResolvedService> Removed(const ServiceKey& key, SightingOrigin origin, bool& gone);

  // Forgets everything (avahi-daemon went away); returns the keys that had
  // been reported, which are now gone.
  std::vector<ServiceKey> Clear();

  std::size_t size() const { return services_.size(); }

 private:
  struct Instance {
    std::map<SightingOrigin, std::optional<ResolvedService>> sightings;
    std::optional<ResolvedService> reported;  // what the consumer last saw
  };
  static std::optional<ResolvedService> Merge(const Instance& instance);
  // Recomputes the merged view; returns it if it differs from the reported one.
  static std::optional<ResolvedService> Update(Instance& instance);

  std::size_t max_services_;
  std::map<ServiceKey, Instance> services_;
};

}  // namespace homeca::mdns
