// The ACME server's rate limits (acme_rate_limits.h).
#include "enroll/acme/acme_rate_limits.h"

#include <algorithm>
#include <string>

#include "ca/base/unix_time.h"
#include "enroll/acme/problem.h"

namespace homeca::enroll::acme {
namespace {

// "3 h 12 min", "12 min", "40 s": a wait a person reads.
std::string Wait(std::int64_t seconds) {
  if (seconds < 60) return std::to_string(seconds) + " s";
  const std::int64_t minutes = (seconds + 59) / 60;
  if (minutes < 60) return std::to_string(minutes) + " min";
  const std::string hours = std::to_string(minutes / 60) + " h";
  return minutes % 60 == 0 ? hours : hours + " " + std::to_string(minutes % 60) + " min";
}

// rateLimited, with the wait until `free_at` (at least one second) as the
// Retry-After and, in words, at the end of `what`.
Status Limited(const std::string& what, std::int64_t free_at, std::int64_t now) {
  const std::int64_t wait = std::max<std::int64_t>(1, free_at - now);
  return AcmeError(ProblemType::kRateLimited, what + "; try again in " + Wait(wait) + " (at " +
                                                  ca::FormatTime(now + wait) + ")")
      .WithRetryAfter(static_cast<int>(std::min<std::int64_t>(wait, kOrderLifetimeSeconds)));
}

Status CheckCertificates(ca::Authority& authority, const DeviceStanding& standing, int limit) {
  // The pairing's first certificate completes it: never limited.
  if (!standing.head_id || standing.recent_renewals < limit) return Status::Ok();
  return Limited("this device got " + std::to_string(standing.recent_renewals) +
                     " new certificates in the last 24 hours, and homecad allows " +
                     std::to_string(limit) + " a day (acme.certificates_per_day)",
                 standing.oldest_recent_renewal + kCertificateWindowSeconds,
                 authority.clock().Now());
}

}  // namespace

int ClampCertificatesPerDay(int limit) { return std::clamp(limit, 1, kMaxAcmeCertificatesPerDay); }

Status CheckOrderRate(ca::Authority& authority, const DeviceStanding& standing,
                      std::int64_t account_id, int certificates_per_day) {
  HOMECA_RETURN_IF_ERROR(CheckCertificates(authority, standing, certificates_per_day));
  const std::int64_t now = authority.clock().Now();
  Result<ca::AcmeReadyOrders> ready = authority.acme().CountReadyOrders(account_id, now);
  if (!ready.ok()) return ready.status().WithContext("the account's ready orders");
  if (ready->count < kMaxReadyOrdersPerAccount) return Status::Ok();
  return Limited("this account holds " + std::to_string(ready->count) +
                     " orders that are ready and not finalized, the most it may hold; finalize "
                     "one of them, or wait until the oldest expires",
                 ready->first_expiry, now);
}

Status CheckCertificateRate(ca::Authority& authority, const DeviceStanding& standing,
                            int certificates_per_day) {
  return CheckCertificates(authority, standing, certificates_per_day);
}

}  // namespace homeca::enroll::acme
