// The guess limit of a device that brings its own code (printed on a label).
//
// Such a code lives as long as the device, and each pairing run with a CA
// tells that CA whether one guess at it was right: a rogue CA that answers
// every `start` with a fresh salt would otherwise get one guess per poll
// (about 6 million a year). So the device counts its failed key
// confirmations (the CA's confirmV did not verify: a wrong guess, or an
// admin who armed another code) across all salts and CAs, in a small file in
// its state directory that survives restarts:
//   - after a failure it waits before the next try: 30 s, then 60 s, 120 s,
//     240 s... (doubling, at most an hour);
//   - after 5 failures it stops trying until reset on the device
//     (`homeca-enroll wait --reset-lockout`, homeca_enroll_reset_lockout()).
// A successful pairing clears the count. A rogue CA thus learns at most 5
// guesses at a ~30-bit secret per local reset.
//
// File: pairing-lockout.json beside enrollment.json,
//   {"failed_confirmations": 2, "last_failure": 1765000000}
// written atomically (temp file, fsync, rename). An unreadable file stops
// pairing (kIo) rather than forgetting the count.
//
// Thread-safety: stateless functions; callers serialize use of one state
// directory, as for the other device files.
#pragma once

#include <cstdint>
#include <filesystem>

#include "enroll/device/device_files.h"
#include "enroll/protocol/errors.h"

namespace homeca::enroll {

struct LockoutPolicy {
  int max_failures = 5;
  std::int64_t first_backoff_seconds = 30;
  std::int64_t max_backoff_seconds = 3600;
};

struct LockoutState {
  int failures = 0;               // failed key confirmations since the last reset
  std::int64_t last_failure = 0;  // unix seconds
};

// pairing-lockout.json in the directory of paths.state.
std::filesystem::path LockoutFile(const DevicePaths& paths);

// The state in `file`; zero failures when it does not exist. kIo when it
// exists but cannot be read or parsed.
Result<LockoutState> LoadLockout(const std::filesystem::path& file);
Status SaveLockout(const std::filesystem::path& file, const LockoutState& state);
// Forgets every failure (removes the file).
Status ResetLockout(const std::filesystem::path& file);

// The pause after `failures` failures: first_backoff * 2^(failures-1), capped.
std::int64_t LockoutBackoffSeconds(const LockoutPolicy& policy, int failures);

// Whether the device may try its code at `now`: kLockedOut after
// max_failures; kBackingOff, with retry_after_seconds, inside the pause.
Status CheckLockout(const LockoutState& state, const LockoutPolicy& policy, std::int64_t now);

}  // namespace homeca::enroll
