// HostRecordSet: the A/AAAA records a record browser reports for one host
// name, folded into a HostSighting. Avahi reports each record once per
// interface and protocol it was seen on ("origin"); an address counts while
// at least one origin holds it, and is ours if Avahi flagged it LOCAL (one of
// our own entries holds the same record).
//
// Everything comes from the network: record data of the wrong length is
// dropped, at most kMaxHostAddresses addresses and kMaxOriginsPerAddress
// origins per address are kept, and addresses are formatted with inet_ntop.
//
// Thread-safety: none; the owner serializes (the Avahi watch holds the loop
// lock). Kept free of Avahi so tests can feed it hostile data.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <tuple>

#include "mdns/host_names.h"
#include "mdns/mdns.h"

namespace homeca::mdns {

// Where one record was seen: Avahi's interface index and protocol.
struct RecordOrigin {
  int interface_index = 0;
  int protocol = 0;
  bool operator<(const RecordOrigin& o) const {
    return std::tie(interface_index, protocol) < std::tie(o.interface_index, o.protocol);
  }
};

inline constexpr std::size_t kMaxOriginsPerAddress = 32;

class HostRecordSet {
 public:
  explicit HostRecordSet(std::string host) : host_(std::move(host)) {}

  // A record appeared at `origin`. False if the sighting did not change
  // (already known, dropped as invalid, or over the bounds).
  bool Added(RecordOrigin origin, bool ipv6, const void* data, std::size_t size, bool local);
  // The record is gone from `origin`. False if the sighting did not change.
  bool Removed(RecordOrigin origin, bool ipv6, const void* data, std::size_t size);
  // Forgets everything (avahi-daemon went away). False if it was empty.
  bool Clear();

  HostSighting Sighting() const;

 private:
  std::string host_;
  // Per address: the origins holding it, and whether each was LOCAL.
  std::map<HostAddress, std::map<RecordOrigin, bool>> records_;
  bool truncated_ = false;
};

}  // namespace homeca::mdns
