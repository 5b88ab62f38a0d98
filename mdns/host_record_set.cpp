#include "mdns/host_record_set.h"

#include <algorithm>

namespace homeca::mdns {

bool HostRecordSet::Added(RecordOrigin origin, bool ipv6, const void* data, std::size_t size,
                          bool local) {
  std::optional<HostAddress> address = AddressFromRecordData(ipv6, data, size);
  if (!address) return false;
  const HostSighting before = Sighting();
  auto it = records_.find(*address);
  if (it == records_.end()) {
    if (records_.size() >= kMaxHostAddresses) {
      truncated_ = true;
      return Sighting() != before;
    }
    it = records_.emplace(std::move(*address), std::map<RecordOrigin, bool>{}).first;
  }
  auto& origins = it->second;
  if (!origins.count(origin) && origins.size() >= kMaxOriginsPerAddress) return false;
  origins[origin] = local;
  return Sighting() != before;
}

bool HostRecordSet::Removed(RecordOrigin origin, bool ipv6, const void* data, std::size_t size) {
  std::optional<HostAddress> address = AddressFromRecordData(ipv6, data, size);
  if (!address) return false;
  auto it = records_.find(*address);
  if (it == records_.end() || !it->second.count(origin)) return false;
  const HostSighting before = Sighting();
  it->second.erase(origin);
  if (it->second.empty()) records_.erase(it);
  // Whether addresses were dropped is forgotten once nothing is left (the
  // flood is over); until then a freed slot goes to the next new address.
  if (records_.empty()) truncated_ = false;
  return Sighting() != before;
}

bool HostRecordSet::Clear() {
  const bool had = !records_.empty() || truncated_;
  records_.clear();
  truncated_ = false;
  return had;
}

HostSighting HostRecordSet::Sighting() const {
  HostSighting s;
  s.host = host_;
  s.truncated = truncated_;
  // records_ is ordered IPv4 first, then numeric (HostAddress::operator<).
  for (const auto& [address, origins] : records_) {
    const bool ours = std::any_of(origins.begin(), origins.end(),
                                  [](const auto& origin) { return origin.second; });
    (ours ? s.ours : s.others).push_back(address.text);
  }
  return s;
}

}  // namespace homeca::mdns
