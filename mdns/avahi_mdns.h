// The real Mdns, on Avahi's client library (libavahi-client talks to
// avahi-daemon over D-Bus). Starting it never fails for lack of a daemon: a
// missing avahi-daemon (or D-Bus) is the kUnavailable state, and everything
// published or browsed starts working when one appears, and again after it
// restarts. See mdns.h for the contract and avahi_core.h for how.
//
// Thread-safety and ownership: as Mdns.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "ca/base/status.h"
#include "mdns/mdns.h"

namespace homeca::mdns {

struct AvahiOptions {
  // How often to look for D-Bus again when there is none (avahi-daemon
  // itself is waited for without polling).
  std::chrono::milliseconds retry_interval{5000};
  // Notable events ("published ... as ...", collisions, failures), from the
  // event thread. Lines contain sanitized text only.
  std::function<void(const std::string&)> log;
};

// Starts the event thread. Fails only if the event loop cannot be set up.
Result<std::unique_ptr<Mdns>> StartAvahiMdns(AvahiOptions options = {});

}  // namespace homeca::mdns
