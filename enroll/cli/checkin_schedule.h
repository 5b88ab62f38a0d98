// CheckInSchedule: when `homeca-enroll run` checks in with the CA
// (docs/enrollment-protocol.md, "Check-in"). Pure logic on a monotonic clock
// in milliseconds, so it is tested without a network or a kernel.
//
//  - At start: due at once.
//  - After an address notification: due kDebounceMs after the last of a
//    burst (an interface coming up sends several), but at most
//    kMaxDebounceMs after the first; and then only if the host's addresses
//    differ from those at the CA's last successful contact (a check-in, or a
//    renewal: the CA records the address of both). Notifications that change
//    nothing a CA could see (an IPv6 lifetime refresh) cost no request.
//  - After a failed check-in: again after the renewal back-off (30 s growing
//    to 1 h, with jitter; 1 h for a refusal that retrying cannot fix), and
//    never before a Retry-After the CA gave. An address change meanwhile
//    still checks in at once (after the debounce): the network may be why it
//    failed.
//
// Thread-safety: a plain value. Ownership: none.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace homeca::enroll_cli {

class CheckInSchedule {
 public:
  static constexpr std::int64_t kDebounceMs = 300;
  static constexpr std::int64_t kMaxDebounceMs = 3000;

  // The host's addresses as CurrentAddresses() gives them; nullopt when
  // they could not be read (then every notification counts as a change).
  using Addresses = std::optional<std::vector<std::string>>;

  // Due at `now_ms` (start-up).
  explicit CheckInSchedule(std::int64_t now_ms) : retry_at_(now_ms) {}

  void AddressesChanged(std::int64_t now_ms);

  // When something is due next; nullopt when nothing is planned.
  std::optional<std::int64_t> NextMs() const;
  bool Due(std::int64_t now_ms) const;

  // At a due time, with the host's addresses now: true when the caller must
  // check in (then report Succeeded or Failed). Either way the triggers that
  // were due are used up.
  bool Take(std::int64_t now_ms, const Addresses& addresses);

  // The CA heard from this device (a check-in or a renewal answered) while
  // the host had `addresses`.
  void Succeeded(const Addresses& addresses);
  // A check-in failed at `now_ms`. `permanent`: retrying the same request
  // cannot help (revoked, superseded...). `retry_after_seconds`: what the CA
  // asked for (0: nothing). `jitter` in [0, 1]. Returns the seconds until the
  // next try, for the log.
  std::int64_t Failed(std::int64_t now_ms, bool permanent, int retry_after_seconds, double jitter);

 private:
  std::optional<std::int64_t> retry_at_;   // an unconditional check-in
  std::optional<std::int64_t> change_at_;  // a look after notifications
  std::int64_t burst_start_ = 0;           // the first notification of a burst
  std::int64_t not_before_ = 0;            // the CA's Retry-After
  int failures_ = 0;                       // consecutive failed check-ins
  Addresses heard_;                        // at the last successful contact; nullopt: unknown
};

}  // namespace homeca::enroll_cli
