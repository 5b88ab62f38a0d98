// LoginRateLimiter: bounds password guessing at the login form. Failed
// logins are counted per source address and for everyone together over a
// sliding window; once a limit is reached every login attempt (even with the
// right password, or the limit would leak which guess was right) is refused
// until the oldest failure in the window has aged out. The global limit is
// what stops a guesser with many addresses; it can lock the admin out for a
// while too, which is the price, and the message says so.
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
  int per_source = 5;  // failures per address per window
  int global = 30;     // failures from all addresses per window
  std::int64_t window_seconds = 15 * 60;
  std::size_t max_sources = 1024;  // addresses remembered; the oldest go first
  // Password checks running at once: each scrypt call takes 32 MiB, and a
  // burst of logins must not take the appliance's memory with it.
  int concurrent_checks = 2;
};

struct LoginRefusal {
  std::int64_t retry_after_seconds = 0;
  bool global = false;  // the limit for everyone, not just this address
  std::string Message() const;
};

class LoginRateLimiter {
 public:
  explicit LoginRateLimiter(LoginLimits limits = {}) : limits_(limits) {}

  // Before checking a password: nullopt when an attempt is allowed now.
  std::optional<LoginRefusal> Check(const std::string& source, std::int64_t now);
  void RecordFailure(const std::string& source, std::int64_t now);
  // A successful login clears its source's failures (not the global count).
  void RecordSuccess(const std::string& source);

  // A slot for one password check, or false when `concurrent_checks` are
  // running (answer "busy, try again"). Release it with ReleaseCheck().
  bool TryAcquireCheck();
  void ReleaseCheck();

 private:
  void PruneLocked(std::int64_t now);

  LoginLimits limits_;
  std::mutex mu_;
  std::map<std::string, std::deque<std::int64_t>> by_source_;
  std::deque<std::int64_t> all_;
  int checks_running_ = 0;
};

}  // namespace homeca::webui
