// The renewal rule: a certificate is due for renewal once two thirds of its
// lifetime have passed (DESIGN.md). One rule for every side that asks: the
// daemon's own certificate (webui/identity), the Devices page's "renewal
// due" (webui/admin) and the device's schedule (enroll/device/
// renewal_schedule.h), which spreads a house full of devices around this
// point with jitter.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>

namespace homeca::ca {

// The second at which a certificate valid from `not_before` to `not_after`
// (unix seconds) is due: two thirds of the way through, rounded down. For a
// malformed validity (not_after <= not_before), `not_before`: renew at once
// rather than never.
constexpr std::int64_t RenewalDue(std::int64_t not_before, std::int64_t not_after) {
  if (not_after <= not_before) return not_before;
  return not_before + (not_after - not_before) * 2 / 3;
}

// True from RenewalDue on.
constexpr bool IsRenewalDue(std::int64_t not_before, std::int64_t not_after, std::int64_t now) {
  return now >= RenewalDue(not_before, not_after);
}

}  // namespace homeca::ca
