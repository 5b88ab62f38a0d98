#include "mdns/directory.h"

#include <algorithm>
#include <cctype>
#include <ctime>

#include "mdns/homeca_records.h"

namespace homeca::mdns {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// "nas.local" -> "nas"; only .local host names say which device they are.
std::string LocalHostLabel(std::string_view host_name) {
  std::string host = Lower(host_name);
  if (!host.empty() && host.back() == '.') host.pop_back();
  constexpr std::string_view kLocal = ".local";
  if (host.size() <= kLocal.size() ||
      host.compare(host.size() - kLocal.size(), kLocal.size(), kLocal) != 0) {
    return "";
  }
  host.resize(host.size() - kLocal.size());
  return host.find('.') == std::string::npos ? host : "";
}

void AddAddresses(std::vector<ServiceAddress>& into, const std::vector<ServiceAddress>& from) {
  for (const ServiceAddress& a : from) {
    if (std::find(into.begin(), into.end(), a) == into.end()) into.push_back(a);
  }
}

template <typename T, typename Less>
std::vector<T> Sorted(const std::map<ServiceKey, T>& map, Less less) {
  std::vector<T> out;
  out.reserve(map.size());
  for (const auto& [key, value] : map) out.push_back(value);
  std::stable_sort(out.begin(), out.end(), less);
  return out;
}

}  // namespace

const std::vector<InventoryType>& InventoryTypes() {
  static const std::vector<InventoryType> kTypes = {
      {"_http._tcp", "Web server (HTTP)"}, {"_https._tcp", "Web server (HTTPS)"},
      {"_ipp._tcp", "Printer (IPP)"},      {"_ipps._tcp", "Printer (IPPS)"},
      {"_printer._tcp", "Printer (LPD)"},  {"_pdl-datastream._tcp", "Printer (raw)"},
      {"_uscan._tcp", "Scanner (eSCL)"},   {"_hap._tcp", "HomeKit accessory"},
      {"_matter._tcp", "Matter device"},   {"_googlecast._tcp", "Chromecast"},
      {"_airplay._tcp", "AirPlay"},        {"_ssh._tcp", "SSH"},
      {"_sftp-ssh._tcp", "SFTP"},          {"_smb._tcp", "File share (SMB)"},
      {"_nfs._tcp", "File share (NFS)"},   {"_workstation._tcp", "Computer"},
      {"_mqtt._tcp", "MQTT broker"},       {"_home-assistant._tcp", "Home Assistant"},
  };
  return kTypes;
}

Directory::Directory(Mdns& mdns, std::function<std::int64_t()> now)
    : mdns_(mdns), now_(std::move(now)) {
  if (!now_) now_ = [] { return static_cast<std::int64_t>(std::time(nullptr)); };
  std::vector<std::unique_ptr<Browser>> browsers;
  browsers.push_back(mdns_.Browse(kCaServiceType, [this](const BrowseEvent& e) { OnCa(e); }));
  browsers.push_back(mdns_.Browse(kPairServiceType, [this](const BrowseEvent& e) { OnPair(e); }));
  for (const InventoryType& type : InventoryTypes()) {
    browsers.push_back(
        mdns_.Browse(type.type, [this, &type](const BrowseEvent& e) { OnInventory(type, e); }));
  }
  std::lock_guard<std::mutex> lock(mu_);
  browsers_ = std::move(browsers);
}

Directory::~Directory() {
  // Stop every browser before the maps and the listener go away: after a
  // browser's destructor returns, none of its callbacks runs.
  std::vector<std::unique_ptr<Browser>> browsers;
  {
    std::lock_guard<std::mutex> lock(mu_);
    browsers.swap(browsers_);
  }
  browsers.clear();
}

void Directory::OnCa(const BrowseEvent& event) {
  if (event.kind == BrowseEvent::Kind::kAllForNow) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    const ServiceKey& key = event.service.key;
    cas_.erase(key);
    ignored_.erase(key);
    if (event.kind == BrowseEvent::Kind::kResolved) {
      Result<CaRecord> record = ParseCaRecord(event.service);
      if (!record.ok()) {
        ignored_.insert(key);
      } else {
        const ResolvedService& s = event.service;
        cas_[key] =
            CaService{s.key.name,   s.host_name, s.addresses, s.port, record->fingerprint_prefix,
                      record->path, s.local};
      }
    }
  }
  Changed();
}

void Directory::OnPair(const BrowseEvent& event) {
  if (event.kind == BrowseEvent::Kind::kAllForNow) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    const ServiceKey& key = event.service.key;
    ignored_.erase(key);
    if (event.kind == BrowseEvent::Kind::kRemoved) {
      waiting_.erase(key);
    } else {
      Result<PairRecord> record = ParsePairRecord(event.service);
      if (!record.ok()) {
        waiting_.erase(key);
        ignored_.insert(key);
      } else {
        const ResolvedService& s = event.service;
        auto it = waiting_.find(key);
        const std::int64_t first_seen = it != waiting_.end() ? it->second.first_seen : now_();
        waiting_[key] = WaitingDevice{record->device_id, record->model, s.key.name, s.host_name,
                                      s.addresses,       first_seen,    now_(),     record->kdf};
      }
    }
  }
  Changed();
}

void Directory::OnInventory(const InventoryType& type, const BrowseEvent& event) {
  if (event.kind == BrowseEvent::Kind::kAllForNow) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    const ServiceKey& key = event.service.key;
    ignored_.erase(key);
    if (event.kind == BrowseEvent::Kind::kRemoved) {
      inventory_.erase(key);
    } else if (inventory_.count(key) || inventory_.size() < kMaxInventoryEntries) {
      const ResolvedService& s = event.service;
      inventory_[key] = InventoryEntry{s.key.name,  s.key.type, type.label,     s.host_name,
                                       s.addresses, s.port,     s.txt_truncated};
    } else {
      ignored_.insert(key);
    }
  }
  Changed();
}

void Directory::Changed() {
  std::function<void()> listener;
  {
    std::lock_guard<std::mutex> lock(mu_);
    listener = listener_;
  }
  if (listener) listener();
}

void Directory::OnChange(std::function<void()> listener) {
  std::lock_guard<std::mutex> lock(mu_);
  listener_ = std::move(listener);
}

DirectorySnapshot Directory::Snapshot() const {
  DirectorySnapshot snapshot;
  snapshot.status = mdns_.Status();
  std::lock_guard<std::mutex> lock(mu_);
  snapshot.cas =
      Sorted(cas_, [](const CaService& a, const CaService& b) { return a.name < b.name; });
  snapshot.waiting = Sorted(waiting_, [](const WaitingDevice& a, const WaitingDevice& b) {
    return a.device_id < b.device_id;
  });
  snapshot.inventory = Sorted(inventory_, [](const InventoryEntry& a, const InventoryEntry& b) {
    return std::tie(a.label, a.name) < std::tie(b.label, b.name);
  });
  snapshot.ignored = ignored_.size();
  return snapshot;
}

std::vector<ServiceAddress> Directory::AddressesOfHost(std::string_view label) const {
  const std::string wanted = Lower(label);
  std::vector<ServiceAddress> addresses;
  if (wanted.empty()) return addresses;
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [key, e] : inventory_) {
    if (LocalHostLabel(e.host_name) == wanted) AddAddresses(addresses, e.addresses);
  }
  for (const auto& [key, w] : waiting_) {
    if (LocalHostLabel(w.host_name) == wanted) AddAddresses(addresses, w.addresses);
  }
  for (const auto& [key, c] : cas_) {
    if (LocalHostLabel(c.host_name) == wanted) AddAddresses(addresses, c.addresses);
  }
  std::stable_sort(
      addresses.begin(), addresses.end(),
      [](const ServiceAddress& a, const ServiceAddress& b) { return !a.ipv6 && b.ipv6; });
  return addresses;
}

}  // namespace homeca::mdns
