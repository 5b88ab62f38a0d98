// When a device renews: pure functions, so the schedule is tested without a
// clock and `status` shows exactly what `run` will do.
//
// A certificate is renewed at two thirds of its lifetime (ca::RenewalDue in
// ca/base/renewal_rule.h, the rule the CA's pages use too), moved
// by up to +-10% of that offset so a house full of devices paired on the same
// evening does not renew in the same second. The jitter comes from the
// certificate's fingerprint: stable across restarts (status and run agree),
// different for every certificate. Failed renewals back off exponentially
// from 30 s to 1 h, with the same +-10% spread.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>

#include "ca/base/encoding.h"
#include "ca/x509/certificate.h"

namespace homeca::enroll {

inline constexpr std::int64_t kMinBackoffSeconds = 30;
inline constexpr std::int64_t kMaxBackoffSeconds = 3600;
// The longest single sleep of the renewal loop: a wall clock that jumps, or a
// machine that was suspended, is noticed within this time. One wake-up an
// hour is not a busy loop.
inline constexpr std::int64_t kMaxSleepSeconds = 3600;

// `jitter` in [0, 1]: 0 renews at 60% of the lifetime, 0.5 at exactly 2/3,
// 1 at 73.3%. Never before `not_before`; for a malformed validity
// (not_after <= not_before) that is `not_before` itself, i.e. now.
std::int64_t RenewalTime(std::int64_t not_before, std::int64_t not_after, double jitter);

// RenewalTime for `leaf`, with the jitter of its fingerprint: what `run`
// does and `status` shows.
std::int64_t RenewalTimeFor(const ca::Certificate& leaf);

// A number in [0, 1) taken from the first bytes of a fingerprint; 0.5 when
// the fingerprint is shorter than 8 bytes.
double JitterFromFingerprint(const Bytes& fingerprint);

// The wait after `failures` consecutive failures (1 for the first): 30 s,
// 60 s, 120 s, ... capped at 1 h, times 0.9-1.1 by `jitter` in [0, 1], and
// kept within [30 s, 1 h].
std::int64_t BackoffSeconds(int failures, double jitter);

// How long to sleep now to wake at `target`: 0 if it has passed, else at most
// kMaxSleepSeconds.
std::int64_t SleepSeconds(std::int64_t now, std::int64_t target);

}  // namespace homeca::enroll
