#include "webui/admin/login_rate_limiter.h"

#include <algorithm>

#include "ca/x509/certificate.h"
#include "webui/http/source_key.h"

namespace homeca::webui {

std::string LoginRefusal::Message() const {
  const std::int64_t minutes = std::max<std::int64_t>(1, (retry_after_seconds + 59) / 60);
  // "18:42 UTC", with the date only when the lockout ends on another day.
  const std::string end = ca::FormatTime(until);  // "2026-11-23 18:42:00 UTC"
  const bool same_day =
      ca::FormatTime(until - retry_after_seconds).substr(0, 10) == end.substr(0, 10);
  const std::string at = (same_day ? end.substr(11, 5) : end.substr(0, 16)) + " UTC";
  const std::string wait = "Try again at " + at + " (in " + std::to_string(minutes) +
                           (minutes == 1 ? " minute)." : " minutes).");
  switch (reason) {
    case Reason::kGlobal:
      return "Too many failed logins recently from many addresses, yours among them; logins "
             "from addresses that failed are paused. " +
             wait;
    case Reason::kManySources:
      return "Too many addresses have failed to log in recently; logins from new addresses "
             "are paused. " +
             wait;
    case Reason::kSource:
      break;
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

std::optional<LoginRefusal> LoginRateLimiter::Check(const std::string& address, std::int64_t now) {
  const std::string key = SourceKey(address);
  const bool loopback = IsLoopbackSource(address);
  std::lock_guard<std::mutex> lock(mu_);
  PruneLocked(now);
  const std::int64_t window = limits_.window_seconds;
  auto refuse = [now](std::int64_t until, LoginRefusal::Reason reason) {
    return LoginRefusal{until - now, until, reason};
  };
  auto it = by_source_.find(key);
  const std::size_t own = it == by_source_.end() ? 0 : it->second.size();
  if (own >= static_cast<std::size_t>(limits_.per_source)) {
    // Allowed again once enough failures have aged out to drop below the limit.
    return refuse(it->second[own - limits_.per_source] + window, LoginRefusal::Reason::kSource);
  }
  if (loopback) return std::nullopt;  // others' failures never lock the box's own console
  if (own > 0 && all_.size() >= static_cast<std::size_t>(limits_.global)) {
    // Free again when either this source's failures or enough of everyone's age out.
    const std::int64_t global_end = all_[all_.size() - limits_.global] + window;
    return refuse(std::min(it->second.back() + window, global_end), LoginRefusal::Reason::kGlobal);
  }
  if (own == 0 && by_source_.size() >= limits_.max_sources) {
    std::int64_t first_free = now + window;
    for (const auto& [source, times] : by_source_) {
      first_free = std::min(first_free, times.back() + window);
    }
    return refuse(first_free, LoginRefusal::Reason::kManySources);
  }
  return std::nullopt;
}

void LoginRateLimiter::RecordFailure(const std::string& address, std::int64_t now) {
  const std::string key = SourceKey(address);
  std::lock_guard<std::mutex> lock(mu_);
  PruneLocked(now);
  // Check() keeps new sources out of a full table; only loopback (or a race
  // between Check and here) gets this far. Forget the stalest source then,
  // so memory stays bounded.
  if (by_source_.find(key) == by_source_.end() && by_source_.size() >= limits_.max_sources) {
    auto stalest = by_source_.begin();
    for (auto it = by_source_.begin(); it != by_source_.end(); ++it) {
      if (it->second.back() < stalest->second.back()) stalest = it;
    }
    by_source_.erase(stalest);
  }
  by_source_[key].push_back(now);
  all_.push_back(now);
}

int LoginRateLimiter::FailuresLeft(const std::string& address, std::int64_t now) {
  const std::string key = SourceKey(address);
  std::lock_guard<std::mutex> lock(mu_);
  PruneLocked(now);
  auto it = by_source_.find(key);
  const int own = it == by_source_.end() ? 0 : static_cast<int>(it->second.size());
  return std::max(0, limits_.per_source - own);
}

std::string LoginRateLimiter::Warning(const std::string& address, std::int64_t now) {
  const int left = FailuresLeft(address, now);
  if (left == 0 || left > 2) return "";
  return std::to_string(left) + (left == 1 ? " attempt" : " attempts") +
         " left before a lockout of up to " + std::to_string(limits_.window_seconds / 60) +
         " minutes.";
}

void LoginRateLimiter::RecordSuccess(const std::string& address) {
  const std::string key = SourceKey(address);
  std::lock_guard<std::mutex> lock(mu_);
  by_source_.erase(key);
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
