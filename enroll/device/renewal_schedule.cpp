#include "enroll/device/renewal_schedule.h"

#include <algorithm>
#include <cmath>

#include "ca/base/renewal_rule.h"

namespace homeca::enroll {
namespace {

constexpr double kSpread = 0.1;  // +-10%

double Clamp01(double x) { return std::isnan(x) ? 0.5 : std::clamp(x, 0.0, 1.0); }

// 1 - kSpread .. 1 + kSpread.
double Factor(double jitter) { return 1.0 - kSpread + 2.0 * kSpread * Clamp01(jitter); }

}  // namespace

std::int64_t RenewalTime(std::int64_t not_before, std::int64_t not_after, double jitter) {
  const auto due = static_cast<double>(ca::RenewalDue(not_before, not_after) - not_before);
  return not_before + static_cast<std::int64_t>(due * Factor(jitter));
}

std::int64_t RenewalTimeFor(const ca::Certificate& leaf) {
  return RenewalTime(leaf.NotBefore(), leaf.NotAfter(),
                     JitterFromFingerprint(leaf.FingerprintSha256()));
}

double JitterFromFingerprint(const Bytes& fingerprint) {
  if (fingerprint.size() < 8) return 0.5;
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < 8; ++i) v = (v << 8) | fingerprint[i];
  // 53 bits: exactly representable in a double, so the result stays below 1.
  return static_cast<double>(v >> 11) / static_cast<double>(std::uint64_t{1} << 53);
}

std::int64_t BackoffSeconds(int failures, double jitter) {
  std::int64_t base = kMinBackoffSeconds;
  for (int i = 1; i < failures && base < kMaxBackoffSeconds; ++i) base *= 2;
  base = std::min(base, kMaxBackoffSeconds);
  const auto spread = static_cast<std::int64_t>(static_cast<double>(base) * Factor(jitter));
  return std::clamp(spread, kMinBackoffSeconds, kMaxBackoffSeconds);
}

std::int64_t SleepSeconds(std::int64_t now, std::int64_t target) {
  if (target <= now) return 0;
  return std::min(target - now, kMaxSleepSeconds);
}

}  // namespace homeca::enroll
