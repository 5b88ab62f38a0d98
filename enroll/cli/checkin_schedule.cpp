#include "enroll/cli/checkin_schedule.h"

#include <algorithm>

#include "enroll/device/renewal_schedule.h"

namespace homeca::enroll_cli {

void CheckInSchedule::AddressesChanged(std::int64_t now_ms) {
  if (!change_at_) burst_start_ = now_ms;
  change_at_ = std::min(now_ms + kDebounceMs, burst_start_ + kMaxDebounceMs);
}

std::optional<std::int64_t> CheckInSchedule::NextMs() const {
  std::optional<std::int64_t> next;
  for (const std::optional<std::int64_t>& at : {retry_at_, change_at_}) {
    if (at && (!next || *at < *next)) next = at;
  }
  if (next) next = std::max(*next, not_before_);
  return next;
}

bool CheckInSchedule::Due(std::int64_t now_ms) const {
  const std::optional<std::int64_t> next = NextMs();
  return next && now_ms >= *next;
}

bool CheckInSchedule::Take(std::int64_t now_ms, const Addresses& addresses) {
  if (!Due(now_ms)) return false;
  bool check_in = false;
  if (retry_at_ && now_ms >= std::max(*retry_at_, not_before_)) {
    check_in = true;
    retry_at_.reset();
  }
  if (change_at_ && now_ms >= std::max(*change_at_, not_before_)) {
    change_at_.reset();
    // Unknown addresses, on either side, count as a change.
    if (!addresses || !heard_ || *addresses != *heard_) check_in = true;
  }
  return check_in;
}

void CheckInSchedule::Succeeded(const Addresses& addresses) {
  heard_ = addresses;
  retry_at_.reset();
  failures_ = 0;
  not_before_ = 0;
}

std::int64_t CheckInSchedule::Failed(std::int64_t now_ms, bool permanent, int retry_after_seconds,
                                     double jitter) {
  ++failures_;
  // A CA that says when to come back (429 with Retry-After: this device
  // checked in moments ago) is taken at its word; the back-off is for
  // failures that give no such hint.
  std::int64_t delay = permanent                 ? enroll::kMaxBackoffSeconds
                       : retry_after_seconds > 0 ? std::int64_t{retry_after_seconds}
                                                 : enroll::BackoffSeconds(failures_, jitter);
  retry_at_ = now_ms + delay * 1000;
  not_before_ = now_ms + std::int64_t{retry_after_seconds} * 1000;
  return delay;
}

}  // namespace homeca::enroll_cli
