#include "enroll/acme/nonce_pool.h"

namespace homeca::enroll::acme {

namespace {
constexpr std::size_t kNonceBytes = 16;
}  // namespace

NoncePool::NoncePool(const ca::Clock& clock, NoncePoolLimits limits, RandomSource random)
    : clock_(clock), limits_(limits), random_(std::move(random)) {}

std::string NoncePool::Issue() {
  std::string nonce = Base64UrlEncode(random_(kNonceBytes));
  const std::int64_t now = clock_.Now();
  std::lock_guard<std::mutex> lock(mu_);
  ForgetExpiredLocked(now);
  // A repeat could only come from a fixed random source; keep the first.
  if (live_.count(nonce) != 0) return nonce;
  const std::uint64_t sequence = next_sequence_++;
  live_.emplace(nonce, Entry{sequence, now});
  by_age_.emplace(sequence, nonce);
  while (live_.size() > limits_.max_nonces && !by_age_.empty()) {
    live_.erase(by_age_.begin()->second);
    by_age_.erase(by_age_.begin());
  }
  return nonce;
}

bool NoncePool::Consume(std::string_view nonce) {
  const std::int64_t now = clock_.Now();
  std::lock_guard<std::mutex> lock(mu_);
  ForgetExpiredLocked(now);
  auto it = live_.find(std::string(nonce));
  if (it == live_.end()) return false;
  by_age_.erase(it->second.sequence);
  live_.erase(it);
  return true;
}

std::size_t NoncePool::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return live_.size();
}

void NoncePool::ForgetExpiredLocked(std::int64_t now) {
  while (!by_age_.empty()) {
    auto oldest = live_.find(by_age_.begin()->second);
    if (now - oldest->second.issued_at < limits_.max_age_seconds) break;
    live_.erase(oldest);
    by_age_.erase(by_age_.begin());
  }
}

}  // namespace homeca::enroll::acme
