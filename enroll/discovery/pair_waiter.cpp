#include "enroll/discovery/pair_waiter.h"

#include <algorithm>

namespace homeca::enroll {

WaitStep StepAfter(DeviceError error) {
  switch (error) {
    case DeviceError::kNoPairing:
    case DeviceError::kBadConfirmation:
    case DeviceError::kCodeBurned:
    case DeviceError::kRateLimited:
    case DeviceError::kNetwork:
    case DeviceError::kUnknownSession:
    case DeviceError::kOutOfOrder:
    case DeviceError::kCaInternal:
    case DeviceError::kBackingOff:
      return WaitStep::kKeepWaiting;
    default:
      return WaitStep::kGiveUp;
  }
}

std::chrono::milliseconds PollBackoff::Next(std::uint32_t random) {
  const auto nominal = next_.count();
  // random % 401 - 200: -200..+200 per mille, i.e. +-20%.
  const auto jitter = nominal * (static_cast<long>(random % 401) - 200) / 1000;
  next_ = std::min(max_, std::chrono::milliseconds(nominal + nominal / 2));
  return std::chrono::milliseconds(nominal + jitter);
}

DeviceResult<Enrollment> WaitAndPair(EnrollerConfig config, const WaitHooks& hooks,
                                     std::chrono::milliseconds max_wait) {
  using SteadyClock = std::chrono::steady_clock;
  const auto start = SteadyClock::now();
  PollBackoff backoff;
  Bytes failed_salt;  // the arming whose code did not match, if any
  Bytes seen_salt;
  DeviceError last = DeviceError::kOk;
  for (;;) {
    config.skip_salt = failed_salt;
    config.seen_salt = &seen_salt;
    seen_salt.clear();
    DeviceResult<Enrollment> result = hooks.attempt(config);
    if (result.ok()) return result;
    const DeviceError error = result.error();
    if (StepAfter(error) == WaitStep::kGiveUp) return result;
    if (error == DeviceError::kBadConfirmation && !seen_salt.empty()) failed_salt = seen_salt;
    if (error != last && hooks.log) {
      // Say it once per change, not once per poll.
      switch (error) {
        case DeviceError::kNoPairing:
          hooks.log("waiting for the admin to pair device id " + config.device_id +
                    " (it is listed under 'Waiting to pair')");
          break;
        case DeviceError::kBadConfirmation:
          hooks.log(result.status().message() +
                    "; waiting for the admin to arm it again with the code on this device");
          break;
        case DeviceError::kBackingOff:
          break;  // said with the failure that started the pause
        default:
          hooks.log(result.status().message() + "; still waiting");
      }
    }
    last = error;
    std::chrono::milliseconds pause = backoff.Next(hooks.random ? hooks.random() : 0);
    if ((error == DeviceError::kRateLimited || error == DeviceError::kBackingOff) &&
        result.failure().retry_after_seconds > 0) {
      pause =
          std::max(pause, std::chrono::milliseconds(1000L * result.failure().retry_after_seconds));
    }
    if (max_wait.count() > 0) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          max_wait - (SteadyClock::now() - start));
      if (left.count() <= 0) {
        return Fail(DeviceError::kNoPairing,
                    "the admin did not pair this device within --max-wait; nothing was installed");
      }
      pause = std::min(pause, left);
    }
    if (!hooks.sleep(pause)) {
      return Fail(DeviceError::kNoPairing,
                  "stopped while waiting to be paired; nothing was installed");
    }
  }
}

}  // namespace homeca::enroll
