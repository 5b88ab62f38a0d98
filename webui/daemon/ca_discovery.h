// CaDiscovery: homecad on the LAN through mDNS, and the web UI's
// DiscoverySource. It publishes _homeca._tcp on the enrollment (HTTPS) port,
// so devices find the CA with no address typed (TXT: v=1, fp=<root
// fingerprint prefix>, path=/enroll/v1/), and keeps a Directory of the LAN:
// devices waiting to pair, and an inventory of common services.
//
// It never stops homecad from running: with mDNS switched off, or with no
// avahi-daemon on the machine, homecad serves as before and the log, the
// pages and the API say that discovery is off and why. It publishes as soon
// as avahi-daemon appears, and again after it restarts.
//
// Lifecycle: construct early (the web UI borrows it), Publish once the HTTPS
// listener knows its port, Withdraw before the listener stops.
// Thread-safety: the DiscoverySource members and state() may be called from
// any thread; Publish and Withdraw from the daemon's main thread.
// Ownership: owns its Mdns; borrows the logger.
#pragma once

#include <Poco/Logger.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "mdns/directory.h"
#include "mdns/mdns.h"
#include "webui/daemon/discovery_source.h"

namespace homeca::webui {

struct CaDiscoveryOptions {
  bool enabled = true;
  std::string instance_name;  // empty: "homeca on <host name>"
  std::string root_sha256_hex;
};

class CaDiscovery final : public DiscoverySource {
 public:
  // `mdns`: the implementation to use (tests pass a FakeMdns); null starts
  // Avahi. Starts browsing at once. Logs what it does; never throws for lack
  // of a daemon.
  CaDiscovery(const CaDiscoveryOptions& options, Poco::Logger& log,
              std::unique_ptr<mdns::Mdns> mdns = nullptr);
  ~CaDiscovery() override;
  CaDiscovery(const CaDiscovery&) = delete;
  CaDiscovery& operator=(const CaDiscovery&) = delete;

  // Announces _homeca._tcp on `https_port`.
  void Publish(std::uint16_t https_port);
  // Takes it back (avahi-daemon sends the goodbye packets).
  void Withdraw();

  struct State {
    bool enabled = false;      // mdns = on, and an event loop running
    mdns::MdnsStatus status;   // kUnavailable + detail when avahi-daemon is missing
    std::string published_as;  // the instance name in use, "" until published
    // For people: "on, published as 'homeca on nas'", "off: avahi-daemon is
    // not running", "off: mDNS is switched off (mdns = off)".
    std::string Summary() const;
  };
  State state() const;

  // What the LAN shows; null when discovery is off.
  const mdns::Directory* directory() const { return directory_.get(); }
  // The mDNS implementation, for others that publish or watch (the name
  // directory); null when discovery is off.
  mdns::Mdns* mdns() { return enabled_ ? mdns_.get() : nullptr; }

  // DiscoverySource.
  bool enabled() const override;
  std::string StatusText() const override { return state().Summary(); }
  std::vector<WaitingDevice> WaitingToPair() override;
  std::vector<NetworkService> Inventory() override;
  std::vector<std::string> AddressesOf(const std::string& name) override;

 private:
  Poco::Logger& log_;
  const CaDiscoveryOptions options_;
  bool enabled_ = false;
  std::unique_ptr<mdns::Mdns> mdns_;
  std::unique_ptr<mdns::Directory> directory_;
  mutable std::mutex mu_;
  std::unique_ptr<mdns::Publication> publication_;
};

}  // namespace homeca::webui
