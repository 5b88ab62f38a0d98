// The enrollment service's in-memory state: pairing sessions (one SPAKE2+
// run each, start -> exchange -> finish) and the global key-exchange rate
// limit. Nothing here is persisted: a restart simply ends every session.
//
// Sessions live `ttl` seconds from their start, whatever happens, and there
// are at most `max` of them; expired ones are swept on every access. A step
// takes a session exclusively (stage kBusy), so two requests racing on one
// session cannot both run it; the loser reads as out of order. Finished
// sessions stay until they expire so that a replay is told apart from an
// unknown session.
//
// Thread-safety: SessionTable and RateLimiter are safe to call from many
// threads. A PairingSession's fields other than `stage` belong to whoever took
// it. Ownership: sessions are shared_ptr so a step in progress keeps its
// session alive even if the table sweeps it meanwhile.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "ca/base/encoding.h"
#include "ca/pairing_record.h"
#include "enroll/pake/spake2plus.h"

namespace homeca::enroll {

struct PairingSession {
  enum class Stage { kStarted, kBusy, kExchanged, kDone };

  Bytes id;                     // 16 random bytes, assigned by SessionTable::Add
  std::int64_t created_at = 0;  // unix seconds (the Authority's clock)
  ca::PairingRecord pairing;    // snapshot at start, with the verifier record
  Spake2PlusIds ids;
  std::string actor;  // idProver ("slot:07", "device:tv"), for the audit log
  std::optional<Spake2PlusVerifier> verifier;  // once the exchange was answered
  Stage stage = Stage::kStarted;               // guarded by the table
};

class SessionTable {
 public:
  SessionTable(std::int64_t ttl_seconds, std::size_t max_sessions)
      : ttl_(ttl_seconds), max_(max_sessions) {}

  // Gives `session` a fresh id and stores it. Returns 0, or, when the table
  // is full of live sessions, the seconds until the oldest one expires.
  int Add(std::shared_ptr<PairingSession> session, std::int64_t now);

  enum class Take { kTaken, kUnknown, kOutOfOrder };
  // Takes the live session `id` if it is at `stage`, marking it kBusy.
  Take TakeAt(const Bytes& id, PairingSession::Stage stage, std::int64_t now,
              std::shared_ptr<PairingSession>* out);
  // Ends a step on a taken session: it moves to `next`.
  void Release(PairingSession& session, PairingSession::Stage next);

  std::size_t SizeForTesting();

 private:
  void SweepLocked(std::int64_t now);

  const std::int64_t ttl_;
  const std::size_t max_;
  // Expiry has one-second resolution, so one sweep per second finds
  // everything; sweeping on every request was a visible share of the CPU.
  std::int64_t last_sweep_ = -1;
  std::mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<PairingSession>> sessions_;  // by raw id
};

// At most `max` grants in any `window` seconds. A grant is taken before the
// work it allows and given back when that work ends without an answer, so
// only answered key exchanges count.
class RateLimiter {
 public:
  RateLimiter(int max, std::int64_t window_seconds) : max_(max), window_(window_seconds) {}

  // nullopt when granted at `now`; otherwise the seconds to wait (>= 1).
  std::optional<int> TryAcquire(std::int64_t now);
  // Gives back a grant taken at `at`.
  void Release(std::int64_t at);
  // Changes the limit (>= 1); grants already taken still count.
  void SetMax(int max);

 private:
  int max_;  // guarded by mu_
  const std::int64_t window_;
  std::mutex mu_;
  std::deque<std::int64_t> grants_;  // times, oldest first
};

}  // namespace homeca::enroll
