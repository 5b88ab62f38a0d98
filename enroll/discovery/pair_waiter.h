// The polling loop of `homeca-enroll wait` (the device has its own code):
// ask the CA, politely, until the admin arms a pairing for this device id,
// then pair. What each answer means:
//  - no_pairing: not armed yet. Keep waiting. `start` never counts as an
//    attempt, so waiting costs the pairing nothing.
//  - bad_confirmation: the admin armed it with another code. Remember that
//    arming's salt and do not exchange again until the CA holds a new arming
//    (a new salt): each exchange would spend one of its five attempts.
//  - code_burned, rate_limited, network trouble, a CA error: keep waiting
//    (after Retry-After when the CA gives one).
//  - every failed key confirmation is also counted on the device
//    (pairing_lockout.h): backing_off waits out the pause it asks for
//    (30 s, 60 s, 120 s, ...); locked_out (5 failures) stops until the
//    lockout is reset locally.
//  - anything else (a wrong fingerprint, a broken answer, local files): stop.
// Between attempts it sleeps with exponential backoff and jitter (1 s growing
// to 5 s), so a LAN full of waiting devices does not hammer the CA.
//
// Thread-safety: runs on the caller's thread; the hooks are called from it.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "enroll/device/device_enroller.h"

namespace homeca::enroll {

enum class WaitStep { kKeepWaiting, kGiveUp };
// For a failed attempt.
WaitStep StepAfter(EnrollError error);

class PollBackoff {
 public:
  PollBackoff(std::chrono::milliseconds first = std::chrono::milliseconds(1000),
              std::chrono::milliseconds max = std::chrono::milliseconds(5000))
      : first_(first), max_(max), next_(first) {}
  // The next pause, within +-20% of the nominal one (from `random`, any
  // 32-bit value), which then grows by half up to the maximum.
  std::chrono::milliseconds Next(std::uint32_t random);

 private:
  std::chrono::milliseconds first_;
  std::chrono::milliseconds max_;
  std::chrono::milliseconds next_;
};

struct WaitHooks {
  // One pairing attempt with `config` (PairAndInstallAt in the CLI).
  std::function<Result<Enrollment>(const EnrollerConfig& config)> attempt;
  // Sleeps; false when interrupted (a signal), which ends the wait.
  std::function<bool(std::chrono::milliseconds)> sleep;
  std::function<void(const std::string&)> log;  // progress, for people
  std::function<std::uint32_t()> random;        // jitter
};

// Loops until paired, a permanent failure, an interruption, or `max_wait`
// (zero: no limit). `config.device_id` must be set.
Result<Enrollment> WaitAndPair(EnrollerConfig config, const WaitHooks& hooks,
                               std::chrono::milliseconds max_wait);

}  // namespace homeca::enroll
