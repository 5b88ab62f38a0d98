#include "webui/admin/session_store.h"

#include "ca/base/encoding.h"
#include "webui/http/secret_tokens.h"

namespace homeca::webui {

SessionStore::SessionStore(const ca::Clock& clock, SessionLimits limits)
    : clock_(clock), limits_(limits) {}

SessionStore::~SessionStore() { RemoveAll(); }

bool SessionStore::Expired(const Session& session, std::int64_t now) const {
  return now - session.last_seen >= limits_.idle_seconds ||
         now - session.created_at >= limits_.absolute_seconds;
}

void SessionStore::EraseLocked(Map::iterator it) {
  for (auto& [key, value] : it->second.stash) Cleanse(value);
  Cleanse(it->second.session.csrf_token);
  sessions_.erase(it);
}

void SessionStore::PruneLocked(std::int64_t now) {
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    auto next = std::next(it);
    if (Expired(it->second.session, now)) EraseLocked(it);
    it = next;
  }
}

SessionStore::Created SessionStore::Create(const std::string& password_stamp) {
  const std::int64_t now = clock_.Now();
  Created created{NewRandomToken(), Session{NewRandomToken(), password_stamp, now, now}};
  std::lock_guard<std::mutex> lock(mu_);
  PruneLocked(now);
  while (sessions_.size() >= limits_.max_sessions) {
    auto oldest = sessions_.begin();
    for (auto it = sessions_.begin(); it != sessions_.end(); ++it) {
      if (it->second.session.last_seen < oldest->second.session.last_seen) oldest = it;
    }
    EraseLocked(oldest);
  }
  sessions_[Sha256Hex(created.id)] = Entry{created.session, {}};
  return created;
}

std::optional<Session> SessionStore::Find(std::string_view id) {
  if (id.empty()) return std::nullopt;
  const std::int64_t now = clock_.Now();
  std::lock_guard<std::mutex> lock(mu_);
  auto it = sessions_.find(Sha256Hex(id));
  if (it == sessions_.end()) return std::nullopt;
  if (Expired(it->second.session, now)) {
    EraseLocked(it);
    return std::nullopt;
  }
  it->second.session.last_seen = now;
  return it->second.session;
}

void SessionStore::Remove(std::string_view id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = sessions_.find(Sha256Hex(id));
  if (it != sessions_.end()) EraseLocked(it);
}

void SessionStore::RemoveAll() {
  std::lock_guard<std::mutex> lock(mu_);
  while (!sessions_.empty()) EraseLocked(sessions_.begin());
}

std::size_t SessionStore::size() {
  std::lock_guard<std::mutex> lock(mu_);
  return sessions_.size();
}

void SessionStore::Stash(std::string_view id, const std::string& key, const std::string& value) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = sessions_.find(Sha256Hex(id));
  if (it == sessions_.end()) return;
  auto& slot = it->second.stash[key];
  Cleanse(slot);
  slot = value;
}

std::optional<std::string> SessionStore::Peek(std::string_view id, const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = sessions_.find(Sha256Hex(id));
  if (it == sessions_.end()) return std::nullopt;
  auto value = it->second.stash.find(key);
  if (value == it->second.stash.end()) return std::nullopt;
  return value->second;
}

std::optional<std::string> SessionStore::Take(std::string_view id, const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = sessions_.find(Sha256Hex(id));
  if (it == sessions_.end()) return std::nullopt;
  auto value = it->second.stash.find(key);
  if (value == it->second.stash.end()) return std::nullopt;
  std::string out = value->second;
  Cleanse(value->second);
  it->second.stash.erase(value);
  return out;
}

void SessionStore::Drop(std::string_view id, const std::string& key) {
  std::optional<std::string> value = Take(id, key);
  if (value) Cleanse(*value);
}

}  // namespace homeca::webui
