// Directory: what homecad knows of the LAN, kept current from mDNS. It
// browses three things and keeps each apart:
//  - homeca CAs (_homeca._tcp): this one and any other on the LAN;
//  - devices waiting to pair with their own code (_homeca-pair._tcp), shown
//    to the admin under "Waiting to pair";
//  - an inventory of common services (printers, web servers, file shares...,
//    kInventoryTypes), and through their host names the current addresses of
//    enrolled devices (a device enrolled as nas.home.arpa is usually nas.local).
// Records that break homeca's schema (homeca_records.h) are not listed; they
// are counted in `ignored`. Every string is sanitized text (untrusted_text.h)
// and still untrusted: escape it for HTML, never use it in a path or command.
//
// Thread-safety: Snapshot and AddressesOfHost may be called from any thread.
// Ownership: borrows the Mdns, which must outlive the Directory.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "mdns/mdns.h"

namespace homeca::mdns {

struct InventoryType {
  const char* type;
  const char* label;  // for people: "Printer (IPP)"
};
// The common service types the inventory browses.
const std::vector<InventoryType>& InventoryTypes();
// The inventory never holds more entries than this, however busy the LAN.
inline constexpr std::size_t kMaxInventoryEntries = 1024;

struct CaService {
  std::string name;
  std::string host_name;
  std::vector<ServiceAddress> addresses;
  std::uint16_t port = 0;
  std::string fingerprint_prefix;
  std::string path;
  bool local = false;  // this machine's own record
};

struct WaitingDevice {
  std::string device_id;
  std::string model;
  std::string name;  // the instance name it announced
  std::string host_name;
  std::vector<ServiceAddress> addresses;
  std::int64_t first_seen = 0;  // unix seconds
  std::int64_t last_seen = 0;   // its record last changed or was resolved
  std::string kdf = "";         // see PairRecord::kdf
};

struct InventoryEntry {
  std::string name;
  std::string type;   // "_ipp._tcp"
  std::string label;  // "Printer (IPP)"
  std::string host_name;
  std::vector<ServiceAddress> addresses;
  std::uint16_t port = 0;
  bool txt_truncated = false;
};

struct DirectorySnapshot {
  MdnsStatus status;
  std::vector<CaService> cas;             // sorted by name
  std::vector<WaitingDevice> waiting;     // sorted by device id
  std::vector<InventoryEntry> inventory;  // sorted by label, then name
  std::size_t ignored = 0;                // records refused: bad schema, or over the bounds
};

class Directory {
 public:
  // Starts browsing at once. `now` gives unix seconds (for first_seen).
  explicit Directory(Mdns& mdns, std::function<std::int64_t()> now = {});
  ~Directory();  // stops browsing
  Directory(const Directory&) = delete;
  Directory& operator=(const Directory&) = delete;

  DirectorySnapshot Snapshot() const;
  // The addresses seen for host `<label>.local` in any record (case-
  // insensitive), e.g. AddressesOfHost("nas") for nas.home.arpa. IPv4 first.
  std::vector<ServiceAddress> AddressesOfHost(std::string_view label) const;
  // Runs after every change, on the mdns event thread (without the
  // Directory's lock held). For tests and live pages.
  void OnChange(std::function<void()> listener);

 private:
  void OnCa(const BrowseEvent& event);
  void OnPair(const BrowseEvent& event);
  void OnInventory(const InventoryType& type, const BrowseEvent& event);
  void Changed();

  Mdns& mdns_;
  std::function<std::int64_t()> now_;
  mutable std::mutex mu_;
  std::map<ServiceKey, CaService> cas_;
  std::map<ServiceKey, WaitingDevice> waiting_;
  std::map<ServiceKey, InventoryEntry> inventory_;
  std::set<ServiceKey> ignored_;  // present but refused (bounded by the browsers' caps)
  std::function<void()> listener_;
  std::vector<std::unique_ptr<Browser>> browsers_;  // declared last: they stop first
};

}  // namespace homeca::mdns
