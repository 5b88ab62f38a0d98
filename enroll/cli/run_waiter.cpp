#include "enroll/cli/run_waiter.h"

#include <poll.h>
#include <sys/signalfd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>

#include "ca/base/termination_signals.h"

namespace homeca::enroll_cli {

Result<RunWaiter> RunWaiter::Create() {
  // Blocked, the signals stay pending (and make the signalfd readable)
  // instead of interrupting a network call half-way.
  BlockTerminationSignals();
  const sigset_t set = TerminationSignals();
  UniqueFd signals(signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK));
  if (!signals.valid()) {
    return Status::Internal(std::string("cannot open a signalfd: ") + std::strerror(errno));
  }
  Result<AddressWatch> watch = AddressWatch::Open();
  if (!watch.ok()) return RunWaiter(std::move(signals), std::nullopt, watch.status().message());
  return RunWaiter(std::move(signals), std::move(watch).value(), "");
}

RunWaiter::Event RunWaiter::Wait(std::int64_t timeout_ms) {
  pollfd fds[2] = {{signals_.get(), POLLIN, 0}, {watch_ ? watch_->fd() : -1, POLLIN, 0}};
  const int timeout =
      static_cast<int>(std::clamp<std::int64_t>(timeout_ms, 0, std::numeric_limits<int>::max()));
  // kTimeout also stands for "nothing to act on" (EINTR, a message that was
  // no address change): the caller works out again what is due and when.
  if (poll(fds, watch_ ? 2 : 1, timeout) <= 0) return Event::kTimeout;
  // The signalfd only wakes the poll; the signal is taken as everywhere else.
  if ((fds[0].revents & POLLIN) != 0 && TerminationRequested(std::chrono::milliseconds(0))) {
    return Event::kStop;
  }
  if (watch_ && (fds[1].revents & (POLLIN | POLLERR)) != 0 && watch_->Drain()) {
    return Event::kAddressesChanged;
  }
  return Event::kTimeout;
}

}  // namespace homeca::enroll_cli
