#include "enroll/acme/account_key_cache.h"

namespace homeca::enroll::acme {

Result<Jwk> AccountKeyCache::Get(const std::string& stored_jwk) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto found = index_.find(stored_jwk);
    if (found != index_.end()) {
      recent_.splice(recent_.begin(), recent_, found->second);
      return found->second->second;
    }
  }
  // Parsed outside the lock: two threads may parse the same key at once,
  // and the second simply finds it already kept.
  Result<Jwk> parsed = Jwk::Parse(stored_jwk);
  if (!parsed.ok() || capacity_ == 0) return parsed;
  std::lock_guard<std::mutex> lock(mu_);
  if (index_.count(stored_jwk) == 0) {
    recent_.emplace_front(stored_jwk, *parsed);
    index_.emplace(recent_.front().first, recent_.begin());
    if (recent_.size() > capacity_) {
      index_.erase(recent_.back().first);
      recent_.pop_back();
    }
  }
  return parsed;
}

}  // namespace homeca::enroll::acme
