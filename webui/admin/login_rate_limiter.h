// LoginRateLimiter: bounds password guessing at the login form without
// letting one source lock the admin out.
//
// Failures are counted per source (webui/http/source_key.h: an IPv4 address, or an
// IPv6 /64, IPv4-mapped addresses as IPv4) over a sliding window. A source is
// refused when
//   - it has `per_source` failures in the window (its own lockout), or
//   - it has failed at least once itself and all sources together have
//     `global` failures in the window (a guesser spreading over many
//     addresses), or
//   - it has not failed yet but `max_sources` distinct sources have (the
//     table is full: a guesser with that many addresses gets no more fresh
//     ones).
// A source that has not failed is never refused by the first two rules, so
// the admin's own browser still gets in while another address guesses; the
// box's own loopback addresses are subject only to their own count.
// A refused attempt is refused even with the right password, or the refusal
// would tell which guess was right. Each refusal says when it ends.
//
// Thread-safety: all methods may be called concurrently.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace homeca::webui {

struct LoginLimits {
  int per_source = 5;  // failures per source per window
  int global = 30;     // failures from all sources per window (refuses sources that failed)
  std::int64_t window_seconds = 15 * 60;
  std::size_t max_sources = 64;  // distinct failing sources per window
  // Password checks running at once: each scrypt call takes 32 MiB, and a
  // burst of logins must not take the appliance's memory with it.
  int concurrent_checks = 2;
};

struct LoginRefusal {
  enum class Reason {
    kSource,       // this source's own failures
    kGlobal,       // failures from many sources, this one among them
    kManySources,  // too many distinct sources failing
  };
  std::int64_t retry_after_seconds = 0;
  std::int64_t until = 0;  // unix seconds when this source may try again
  Reason reason = Reason::kSource;
  // "Too many failed logins from your address. Try again at 18:42 UTC (in 13
  // minutes)."
  std::string Message() const;
};

class LoginRateLimiter {
 public:
  explicit LoginRateLimiter(LoginLimits limits = {}) : limits_(limits) {}

  // Before checking a password from `address` (as the socket reports it):
  // nullopt when an attempt is allowed now.
  std::optional<LoginRefusal> Check(const std::string& address, std::int64_t now);
  void RecordFailure(const std::string& address, std::int64_t now);
  // Failures `address` may still make before its own lockout, after those
  // recorded so far (0: the next attempt is refused).
  int FailuresLeft(const std::string& address, std::int64_t now);
  // The warning shown with a wrong password while few attempts are left:
  // "2 attempts left before a lockout of up to 15 minutes."; "" while more
  // are left.
  std::string Warning(const std::string& address, std::int64_t now);
  std::int64_t window_seconds() const { return limits_.window_seconds; }
  // A successful login clears its source's failures (not the global count).
  void RecordSuccess(const std::string& address);

  // A slot for one password check, or false when `concurrent_checks` are
  // running (answer "busy, try again"). Release it with ReleaseCheck().
  bool TryAcquireCheck();
  void ReleaseCheck();

 private:
  void PruneLocked(std::int64_t now);

  LoginLimits limits_;
  std::mutex mu_;
  std::map<std::string, std::deque<std::int64_t>> by_source_;  // SourceKey -> failure times
  std::deque<std::int64_t> all_;
  int checks_running_ = 0;
};

}  // namespace homeca::webui
