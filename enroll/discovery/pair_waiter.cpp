#include "enroll/discovery/pair_waiter.h"

#include <algorithm>

namespace homeca::enroll {

WaitStep StepAfter(EnrollError error) {
  switch (error) {
    case EnrollError::kNoPairing:
    case EnrollError::kBadConfirmation:
    case EnrollError::kCodeBurned:
    case EnrollError::kRateLimited:
    case EnrollError::kNetwork:
    case EnrollError::kUnknownSession:
    case EnrollError::kOutOfOrder:
    case EnrollError::kCaInternal:
    case EnrollError::kBackingOff:
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

Result<Enrollment> WaitAndPair(EnrollerConfig config, const WaitHooks& hooks,
                               std::chrono::milliseconds max_wait) {
  using SteadyClock = std::chrono::steady_clock;
  const auto start = SteadyClock::now();
  PollBackoff backoff;
  Bytes failed_salt;  // the arming whose code did not match, if any
  Bytes seen_salt;
  EnrollError last = EnrollError::kOk;
  for (;;) {
    config.skip_salt = failed_salt;
    config.seen_salt = &seen_salt;
    seen_salt.clear();
    Result<Enrollment> result = hooks.attempt(config);
    if (result.ok()) return result;
    const EnrollError error = ErrorOf(result);
    if (StepAfter(error) == WaitStep::kGiveUp) return result;
    if (error == EnrollError::kBadConfirmation && !seen_salt.empty()) failed_salt = seen_salt;
    if (error != last && hooks.log) {
      // Say it once per change, not once per poll.
      switch (error) {
        case EnrollError::kNoPairing:
          hooks.log("waiting for the admin to pair device id " + config.device_id +
                    " (it is listed under 'Waiting to pair')");
          break;
        case EnrollError::kBadConfirmation:
          hooks.log(result.status().message() +
                    "; waiting for the admin to arm it again with the code on this device");
          break;
        case EnrollError::kBackingOff:
          break;  // said with the failure that started the pause
        default:
          hooks.log(result.status().message() + "; still waiting");
      }
    }
    last = error;
    std::chrono::milliseconds pause = backoff.Next(hooks.random ? hooks.random() : 0);
    if ((error == EnrollError::kRateLimited || error == EnrollError::kBackingOff) &&
        result.status().retry_after_seconds() > 0) {
      pause =
          std::max(pause, std::chrono::milliseconds(1000L * result.status().retry_after_seconds()));
    }
    if (max_wait.count() > 0) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          max_wait - (SteadyClock::now() - start));
      if (left.count() <= 0) {
        return Fail(EnrollError::kNoPairing,
                    "the admin did not pair this device within --max-wait; nothing was installed");
      }
      pause = std::min(pause, left);
    }
    if (!hooks.sleep(pause)) {
      return Fail(EnrollError::kNoPairing,
                  "stopped while waiting to be paired; nothing was installed");
    }
  }
}

}  // namespace homeca::enroll
