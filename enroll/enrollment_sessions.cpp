#include "enroll/enrollment_sessions.h"

#include <algorithm>

#include "enroll/protocol/limits.h"

namespace homeca::enroll {

int SessionTable::Add(std::shared_ptr<PairingSession> session, std::int64_t now) {
  std::lock_guard<std::mutex> lock(mu_);
  SweepLocked(now);
  if (sessions_.size() >= max_) {
    // Finished sessions are kept only so a replay reads "out of order"; they
    // must not block new pairings. Dropping them makes a replay "unknown
    // session" instead, which is refused just the same.
    std::erase_if(sessions_, [](const auto& entry) {
      return entry.second->stage == PairingSession::Stage::kDone;
    });
  }
  if (sessions_.size() >= max_) {
    std::int64_t oldest = now;
    for (const auto& [key, s] : sessions_) oldest = std::min(oldest, s->created_at);
    return static_cast<int>(std::max<std::int64_t>(1, oldest + ttl_ - now));
  }
  // 128 random bits never collide in practice; the loop only makes sure.
  std::string key;
  do {
    session->id = RandomBytes(kSessionIdSize);
    key = ToString(session->id);
  } while (sessions_.count(key) != 0);
  session->created_at = now;
  session->stage = PairingSession::Stage::kStarted;
  sessions_.emplace(std::move(key), std::move(session));
  return 0;
}

SessionTable::Take SessionTable::TakeAt(const Bytes& id, PairingSession::Stage stage,
                                        std::int64_t now, std::shared_ptr<PairingSession>* out) {
  std::lock_guard<std::mutex> lock(mu_);
  SweepLocked(now);
  auto it = sessions_.find(ToString(id));
  if (it == sessions_.end()) return Take::kUnknown;
  if (it->second->stage != stage) return Take::kOutOfOrder;
  it->second->stage = PairingSession::Stage::kBusy;
  *out = it->second;
  return Take::kTaken;
}

void SessionTable::Release(PairingSession& session, PairingSession::Stage next) {
  std::lock_guard<std::mutex> lock(mu_);
  session.stage = next;
  // A finished session keeps only what tells a replay apart: its secrets go now.
  if (next == PairingSession::Stage::kDone) {
    session.verifier.reset();
    session.pairing.verifier = ca::PairingVerifier();  // wipes w0
  }
}

std::size_t SessionTable::SizeForTesting() {
  std::lock_guard<std::mutex> lock(mu_);
  return sessions_.size();
}

void SessionTable::SweepLocked(std::int64_t now) {
  if (now == last_sweep_) return;
  last_sweep_ = now;
  std::erase_if(sessions_,
                [&](const auto& entry) { return entry.second->created_at + ttl_ <= now; });
}

std::optional<int> RateLimiter::TryAcquire(std::int64_t now) {
  std::lock_guard<std::mutex> lock(mu_);
  while (!grants_.empty() && grants_.front() + window_ <= now) grants_.pop_front();
  if (static_cast<int>(grants_.size()) >= max_) {
    const std::int64_t wait = grants_.front() + window_ - now;
    return static_cast<int>(std::clamp<std::int64_t>(wait, 1, window_));
  }
  // Clocks can step back; keep the deque ordered so the front is the oldest.
  grants_.push_back(std::max(now, grants_.empty() ? now : grants_.back()));
  return std::nullopt;
}

void RateLimiter::SetMax(int max) {
  std::lock_guard<std::mutex> lock(mu_);
  max_ = std::max(max, 1);
}

void RateLimiter::Release(std::int64_t at) {
  std::lock_guard<std::mutex> lock(mu_);
  // The newest grant at or after `at` is ours or indistinguishable from it.
  for (auto it = grants_.rbegin(); it != grants_.rend(); ++it) {
    if (*it >= at) {
      grants_.erase(std::next(it).base());
      return;
    }
  }
}

}  // namespace homeca::enroll
