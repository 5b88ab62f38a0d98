// AddressWatch: tells `homeca-enroll run` when this host's IP addresses may
// have changed, so that it checks in with the CA (docs/enrollment-protocol.md,
// "Check-in"). A netlink route socket subscribed to the kernel's IPv4 and
// IPv6 address notifications (RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR): the
// caller polls fd() and calls Drain() when it is readable, so waiting costs
// no wake-ups at all until the kernel has news.
//
// A notification is only a hint: the kernel also sends one when an address's
// lifetimes or flags change (every router advertisement refreshes IPv6
// lifetimes). CurrentAddresses() is what the caller compares, after a short
// debounce, to decide whether anything a CA could see has changed.
//
// Thread-safety: one thread at a time. Ownership: owns its socket (closed
// on destruction); movable.
#pragma once

#include <string>
#include <vector>

#include "ca/base/status.h"
#include "ca/base/unique_fd.h"

namespace homeca::enroll_cli {

class AddressWatch {
 public:
  // Fails (with the reason) where netlink is unavailable, e.g. a sandbox
  // that allows only AF_INET, AF_INET6 and AF_UNIX.
  static Result<AddressWatch> Open();

  int fd() const { return fd_.get(); }
  // Reads every pending message without blocking. True when one was an
  // address added or removed, or when the kernel dropped notifications for
  // want of buffer space (then anything may have changed).
  bool Drain();

 private:
  explicit AddressWatch(UniqueFd fd) : fd_(std::move(fd)) {}
  UniqueFd fd_;
};

// The host's addresses now, as "<interface index> <address>", sorted:
// every IPv4 and IPv6 address except those of host scope (loopback) and
// those not yet usable (IPv6 duplicate address detection still running, or
// failed). A dump over its own netlink socket, answered by the kernel.
Result<std::vector<std::string>> CurrentAddresses();

}  // namespace homeca::enroll_cli
