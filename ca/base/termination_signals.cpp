#include "ca/base/termination_signals.h"

#include <pthread.h>

#include <algorithm>
#include <cerrno>
#include <ctime>

namespace homeca {

sigset_t TerminationSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGQUIT);
  return set;
}

void BlockTerminationSignals() {
  const sigset_t set = TerminationSignals();
  // Fails only for an invalid `how`: nothing to handle.
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

bool TerminationRequested(std::chrono::milliseconds timeout) {
  const sigset_t set = TerminationSignals();
  const std::int64_t ms = std::max<std::int64_t>(0, timeout.count());
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::nanoseconds>(
        until - std::chrono::steady_clock::now());
    const std::int64_t ns = std::max<std::int64_t>(0, left.count());
    const timespec wait{static_cast<time_t>(ns / 1'000'000'000),
                        static_cast<long>(ns % 1'000'000'000)};
    if (sigtimedwait(&set, nullptr, &wait) > 0) return true;
    // EINTR: another signal's handler ran; wait out the rest.
    if (errno != EINTR || ns == 0) return false;
  }
}

}  // namespace homeca
