#include "webui/login_rate_limiter.h"

#include <algorithm>

namespace homeca::webui {

std::string LoginRefusal::Message() const {
  const std::int64_t minutes = std::max<std::int64_t>(1, (retry_after_seconds + 59) / 60);
  const std::string wait =
      "Try again in " + std::to_string(minutes) + (minutes == 1 ? " minute." : " minutes.");
  if (global) {
    return "Too many failed logins recently, from anywhere; logins are paused for everyone. " +
           wait;
  }
  return "Too many failed logins from your address. " + wait;
}

void LoginRateLimiter::PruneLocked(std::int64_t now) {
  const std::int64_t horizon = now - limits_.window_seconds;
  while (!all_.empty() && all_.front() <= horizon) all_.pop_front();
  for (auto it = by_source_.begin(); it != by_source_.end();) {
    auto& times = it->second;
    while (!times.empty() && times.front() <= horizon) times.pop_front();
    it = times.empty() ? by_source_.erase(it) : std::next(it);
  }
}

std::optional<LoginRefusal> LoginRateLimiter::Check(const std::string& source, std::int64_t now) {
  std::lock_guard<std::mutex> lock(mu_);
  PruneLocked(now);
  auto it = by_source_.find(source);
  if (it != by_source_.end() && static_cast<int>(it->second.size()) >= limits_.per_source) {
    // Allowed again once enough failures have aged out to drop below the limit.
    const std::int64_t oldest = it->second[it->second.size() - limits_.per_source];
    return LoginRefusal{oldest + limits_.window_seconds - now, false};
  }
  if (static_cast<int>(all_.size()) >= limits_.global) {
    const std::int64_t oldest = all_[all_.size() - limits_.global];
    return LoginRefusal{oldest + limits_.window_seconds - now, true};
  }
  return std::nullopt;
}

void LoginRateLimiter::RecordFailure(const std::string& source, std::int64_t now) {
  std::lock_guard<std::mutex> lock(mu_);
  PruneLocked(now);
  if (by_source_.find(source) == by_source_.end() && by_source_.size() >= limits_.max_sources) {
    // Forget the address whose latest failure is oldest.
    auto stalest = by_source_.begin();
    for (auto it = by_source_.begin(); it != by_source_.end(); ++it) {
      if (it->second.back() < stalest->second.back()) stalest = it;
    }
    by_source_.erase(stalest);
  }
  by_source_[source].push_back(now);
  all_.push_back(now);
}

void LoginRateLimiter::RecordSuccess(const std::string& source) {
  std::lock_guard<std::mutex> lock(mu_);
  by_source_.erase(source);
}

bool LoginRateLimiter::TryAcquireCheck() {
  std::lock_guard<std::mutex> lock(mu_);
  if (checks_running_ >= limits_.concurrent_checks) return false;
  ++checks_running_;
  return true;
}

void LoginRateLimiter::ReleaseCheck() {
  std::lock_guard<std::mutex> lock(mu_);
  --checks_running_;
}

}  // namespace homeca::webui
