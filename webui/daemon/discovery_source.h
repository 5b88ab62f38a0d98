// DiscoverySource: what the web UI asks about the LAN. The mDNS module will
// implement it (devices advertising _homeca-pair._tcp as "waiting to pair",
// and an inventory of common services); until then homecad uses
// NoDiscovery and the pages say that discovery is off.
//
// Everything here comes from the network: the pages escape it like any other
// outside text, and implementations should cap lengths.
//
// Thread-safety: implementations must be callable from any request thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace homeca::webui {

// A device that advertises that it waits to pair with its own code.
struct WaitingDevice {
  std::string device_id;  // the id the admin arms a pairing for
  std::string model;      // free text from the device
  std::string address;    // where it was seen, e.g. "192.168.1.40"
  std::int64_t last_seen = 0;
  std::string kdf = "";  // "pbkdf2-sha256" when the device asked for it; empty: scrypt
};

// A service seen on the LAN (the inventory).
struct NetworkService {
  std::string instance_name;  // "Living room TV"
  std::string service_type;   // "_https._tcp"
  std::string host;           // "tv.local"
  std::string address;
  int port = 0;
};

class DiscoverySource {
 public:
  virtual ~DiscoverySource() = default;
  // False when there is no discovery at all (the pages then say so).
  virtual bool enabled() const = 0;
  // One line for people on whether discovery works, and why not: "on,
  // published as 'homeca on nas'", "off: avahi-daemon is not running".
  virtual std::string StatusText() const { return enabled() ? "on" : "off"; }
  virtual std::vector<WaitingDevice> WaitingToPair() = 0;
  virtual std::vector<NetworkService> Inventory() = 0;
  // Where the device named `name` (e.g. "nas.home.arpa") is on the LAN now,
  // matched by host name (nas.local) in what mDNS shows; IPv4 first.
  virtual std::vector<std::string> AddressesOf(const std::string& name) {
    (void)name;
    return {};
  }
};

// The default until mDNS exists: nothing is discovered.
class NoDiscovery final : public DiscoverySource {
 public:
  bool enabled() const override { return false; }
  std::string StatusText() const override { return "off: this homecad has no mDNS"; }
  std::vector<WaitingDevice> WaitingToPair() override { return {}; }
  std::vector<NetworkService> Inventory() override { return {}; }
};

}  // namespace homeca::webui
