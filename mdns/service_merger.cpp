#include "mdns/service_merger.h"

#include <algorithm>

namespace homeca::mdns {

bool ServiceMerger::Seen(const ServiceKey& key, SightingOrigin origin) {
  auto it = services_.find(key);
  if (it == services_.end()) {
    if (services_.size() >= max_services_) return false;
    it = services_.emplace(key, Instance{}).first;
  }
  it->second.sightings.emplace(origin, std::nullopt);
  return true;
}

std::optional<ResolvedService> ServiceMerger::Resolved(SightingOrigin origin,
                                                       ResolvedService piece) {
  auto it = services_.find(piece.key);
  if (it == services_.end()) return std::nullopt;
  auto sighting = it->second.sightings.find(origin);
  if (sighting == it->second.sightings.end()) return std::nullopt;
  sighting->second = std::move(piece);
  return Update(it->second);
}

std::optional<ResolvedService> ServiceMerger::Removed(const ServiceKey& key, SightingOrigin origin,
                                                      bool& gone) {
  gone = false;
  auto it = services_.find(key);
  if (it == services_.end()) return std::nullopt;
  it->second.sightings.erase(origin);
  if (it->second.sightings.empty()) {
    gone = it->second.reported.has_value();
    services_.erase(it);
    return std::nullopt;
  }
  Instance& instance = it->second;
  std::optional<ResolvedService> merged = Merge(instance);
  if (!merged) {
    // Only unresolved sightings are left: for the consumer it is gone.
    gone = instance.reported.has_value();
    instance.reported.reset();
    return std::nullopt;
  }
  if (merged == instance.reported) return std::nullopt;
  instance.reported = merged;
  return merged;
}

std::vector<ServiceKey> ServiceMerger::Clear() {
  std::vector<ServiceKey> reported;
  for (const auto& [key, instance] : services_) {
    if (instance.reported) reported.push_back(key);
  }
  services_.clear();
  return reported;
}

std::optional<ResolvedService> ServiceMerger::Merge(const Instance& instance) {
  std::optional<ResolvedService> merged;
  for (const auto& [origin, piece] : instance.sightings) {
    if (!piece) continue;
    if (!merged) {
      merged = *piece;
      merged->addresses.clear();
    }
    merged->local = merged->local || piece->local;
    for (const ServiceAddress& a : piece->addresses) {
      if (std::find(merged->addresses.begin(), merged->addresses.end(), a) ==
          merged->addresses.end()) {
        merged->addresses.push_back(a);
      }
    }
  }
  if (merged) {
    // IPv4 first (what devices connect to by preference), then IPv6; stable
    // otherwise, so the same sightings always give the same order.
    std::stable_sort(
        merged->addresses.begin(), merged->addresses.end(),
        [](const ServiceAddress& a, const ServiceAddress& b) { return !a.ipv6 && b.ipv6; });
  }
  return merged;
}

std::optional<ResolvedService> ServiceMerger::Update(Instance& instance) {
  std::optional<ResolvedService> merged = Merge(instance);
  if (merged == instance.reported) return std::nullopt;
  instance.reported = merged;
  return merged;
}

}  // namespace homeca::mdns
