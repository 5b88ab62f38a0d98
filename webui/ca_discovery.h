// CaDiscovery: homecad on the LAN through mDNS. It publishes _homeca._tcp on
// the enrollment (HTTPS) port, so devices find the CA with no address typed
// (TXT: v=1, fp=<root fingerprint prefix>, path=/enroll/v1/), and keeps a
// Directory of the LAN for the web UI: devices waiting to pair, other CAs,
// and an inventory of common services.
//
// It never stops homecad from running: with mDNS switched off, or with no
// avahi-daemon on the machine, homecad serves as before and the log (and
// State(), for the UI) says that discovery is off and why. It publishes as
// soon as avahi-daemon appears and again after it restarts.
//
// Thread-safety: State() and directory() may be called from any thread.
// Ownership: owns its Mdns; borrows the logger.
#pragma once

#include <Poco/Logger.h>

#include <cstdint>
#include <memory>
#include <string>

#include "mdns/directory.h"
#include "mdns/mdns.h"

namespace homeca::webui {

struct CaDiscoveryOptions {
  bool enabled = true;
  std::string instance_name;  // empty: "homeca on <host name>"
  std::uint16_t port = 443;   // the HTTPS port devices enroll on
  std::string root_sha256_hex;
};

class CaDiscovery {
 public:
  // `mdns`: the implementation to use (tests pass a FakeMdns); null starts
  // Avahi. Logs what it does; never throws for lack of a daemon.
  CaDiscovery(const CaDiscoveryOptions& options, Poco::Logger& log,
              std::unique_ptr<mdns::Mdns> mdns = nullptr);
  ~CaDiscovery();  // withdraws _homeca._tcp (avahi-daemon sends the goodbye)
  CaDiscovery(const CaDiscovery&) = delete;
  CaDiscovery& operator=(const CaDiscovery&) = delete;

  struct State {
    bool enabled = false;      // --mdns on, and an event loop running
    mdns::MdnsStatus status;   // kUnavailable + detail when avahi-daemon is missing
    std::string published_as;  // the instance name in use, "" until published
    // One line for people: "publishing as 'homeca on nas'", "off: avahi-daemon
    // is not running", "off (--mdns=off)".
    std::string Summary() const;
  };
  State state() const;

  // What the LAN shows; null when discovery is off.
  const mdns::Directory* directory() const { return directory_.get(); }

 private:
  Poco::Logger& log_;
  bool enabled_ = false;
  std::unique_ptr<mdns::Mdns> mdns_;
  std::unique_ptr<mdns::Publication> publication_;
  std::unique_ptr<mdns::Directory> directory_;
};

}  // namespace homeca::webui
