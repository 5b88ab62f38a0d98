// SessionStore: the admin's logged-in sessions, in memory. The cookie holds
// a random 256-bit id; the store keeps only its SHA-256, so a memory dump or
// a log line with a key cannot be replayed as a cookie. A session ends after
// `idle_seconds` without a request, after `absolute_seconds` in any case, on
// logout, and when the admin password changes (the caller compares the
// password stamp). Restarting homecad ends every session.
//
// A session can also hold a few one-time values that must never reach the
// database: the code of a pairing made in it (shown until the pairing is
// over) and a freshly created API token (shown once). They are wiped when
// taken, replaced, or when the session ends.
//
// Thread-safety: all methods may be called concurrently.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "ca/base/clock.h"

namespace homeca::webui {

struct SessionLimits {
  std::int64_t idle_seconds = 30 * 60;
  std::int64_t absolute_seconds = 12 * 3600;
  std::size_t max_sessions = 32;  // the oldest is dropped beyond this
};

struct Session {
  std::string csrf_token;
  std::string password_stamp;  // identifies the password record it logged in with
  std::int64_t created_at = 0;
  std::int64_t last_seen = 0;
};

class SessionStore {
 public:
  explicit SessionStore(const ca::Clock& clock, SessionLimits limits = {});
  ~SessionStore();
  SessionStore(const SessionStore&) = delete;
  SessionStore& operator=(const SessionStore&) = delete;

  struct Created {
    std::string id;  // for the cookie; the only copy
    Session session;
  };
  Created Create(const std::string& password_stamp);

  // The live session for cookie value `id`, its idle timer restarted; nullopt
  // (and the session removed) when unknown or expired.
  std::optional<Session> Find(std::string_view id);
  void Remove(std::string_view id);
  void RemoveAll();
  std::size_t size();

  // One-time values; `key` names the slot ("pairing:12", "new-token").
  void Stash(std::string_view id, const std::string& key, const std::string& value);
  std::optional<std::string> Peek(std::string_view id, const std::string& key);
  std::optional<std::string> Take(std::string_view id, const std::string& key);
  void Drop(std::string_view id, const std::string& key);

 private:
  struct Entry {
    Session session;
    std::map<std::string, std::string> stash;
  };
  using Map = std::map<std::string, Entry>;
  bool Expired(const Session& session, std::int64_t now) const;
  void EraseLocked(Map::iterator it);
  void PruneLocked(std::int64_t now);

  const ca::Clock& clock_;
  SessionLimits limits_;
  std::mutex mu_;
  Map sessions_;  // key: hex SHA-256 of the cookie value
};

}  // namespace homeca::webui
