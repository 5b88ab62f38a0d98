#include "enroll/cli/run_waiter.h"

#include <poll.h>
#include <sys/signalfd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <limits>

namespace homeca::enroll_cli {

Result<RunWaiter> RunWaiter::Create() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  // Blocked, the signals wait in the signalfd instead of interrupting a
  // network call half-way; RunHook gives its child the default mask back.
  if (sigprocmask(SIG_BLOCK, &set, nullptr) != 0) {
    return Status::Internal(std::string("cannot block SIGTERM: ") + std::strerror(errno));
  }
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
  if ((fds[0].revents & POLLIN) != 0) {
    signalfd_siginfo info;
    (void)!read(signals_.get(), &info, sizeof info);
    return Event::kStop;
  }
  if (watch_ && (fds[1].revents & (POLLIN | POLLERR)) != 0 && watch_->Drain()) {
    return Event::kAddressesChanged;
  }
  return Event::kTimeout;
}

}  // namespace homeca::enroll_cli
