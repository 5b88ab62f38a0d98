// RunWaiter: what `homeca-enroll run` sleeps on between renewals and
// check-ins. The termination signals (ca/base/termination_signals.h) are
// blocked and wake it through a signalfd; host
// address notifications come from an AddressWatch when netlink is available;
// one poll() waits for either, up to the time of the next planned action.
// Nothing wakes the process otherwise: no timers, no polling.
//
// Thread-safety: one thread; create it before starting any other thread, as
// it blocks the signals for the calling thread (and so for threads
// created after it). Ownership: owns its descriptors.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "ca/base/status.h"
#include "ca/base/unique_fd.h"
#include "enroll/cli/address_watch.h"

namespace homeca::enroll_cli {

class RunWaiter {
 public:
  enum class Event { kTimeout, kStop, kAddressesChanged };

  // Fails only when the signalfd cannot be made. Without netlink it still
  // works and says why in watch_error() (the daemon then checks in at start
  // and after renewals only).
  static Result<RunWaiter> Create();

  bool watching_addresses() const { return watch_.has_value(); }
  const std::string& watch_error() const { return watch_error_; }

  // Waits at most `timeout_ms` (>= 0); may return kTimeout earlier, when
  // woken for nothing to act on. A termination signal wins over an address
  // change arriving at the same time.
  Event Wait(std::int64_t timeout_ms);

 private:
  RunWaiter(UniqueFd signals, std::optional<AddressWatch> watch, std::string watch_error)
      : signals_(std::move(signals)),
        watch_(std::move(watch)),
        watch_error_(std::move(watch_error)) {}
  UniqueFd signals_;
  std::optional<AddressWatch> watch_;
  std::string watch_error_;
};

}  // namespace homeca::enroll_cli
