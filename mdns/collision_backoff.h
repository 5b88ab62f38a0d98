// CollisionBackoff: how long a host publication waits before it claims its
// name again after a collision (or a failure): 5 s, then doubling up to 60 s,
// and back to 5 s once the name was held for a minute. An unauthenticated
// claimant does not make us give the name up, and a claimant that keeps
// answering does not make us flood the LAN with probes either. (avahi-daemon
// adds its own hold-off: at least 1 s between registrations of one group,
// 60 s after 15 quick ones.)
//
// Thread-safety: none; a plain value. Time is passed in, so tests need no
// sleeping.
#pragma once

#include <algorithm>
#include <chrono>
#include <optional>

namespace homeca::mdns {

class CollisionBackoff {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::chrono::milliseconds kFirst{5000};
  static constexpr std::chrono::milliseconds kMax{60000};
  // Held this long, the name counts as ours again: the next collision
  // starts the back-off over.
  static constexpr std::chrono::milliseconds kHeldLongEnough{60000};

  // The records were established at `now`.
  void Established(Clock::time_point now) { established_at_ = now; }

  // A collision (or failure) at `now`: how long to wait before trying again.
  std::chrono::milliseconds Next(Clock::time_point now) {
    if (established_at_ && now - *established_at_ >= kHeldLongEnough) next_ = kFirst;
    established_at_.reset();
    const std::chrono::milliseconds delay = next_;
    next_ = std::min(next_ * 2, kMax);
    return delay;
  }

 private:
  std::chrono::milliseconds next_ = kFirst;
  std::optional<Clock::time_point> established_at_;
};

}  // namespace homeca::mdns
