// Anti-replay nonces (RFC 8555 section 6.5), kept in memory only: each is
// 128 random bits as unpadded base64url, accepted once, and forgotten when it
// is older than max_age_seconds or when max_nonces newer ones are waiting
// (oldest first). A restart forgets them all; a client then gets badNonce
// and retries with the fresh nonce that answer carries.
//
// Thread-safety: every method may be called from any thread.
// The Clock must outlive the pool.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "ca/base/clock.h"
#include "ca/base/encoding.h"

namespace homeca::enroll::acme {

struct NoncePoolLimits {
  std::size_t max_nonces = 10000;
  std::int64_t max_age_seconds = 3600;
};

class NoncePool {
 public:
  // The random source is a seam for the fuzz target, which needs a nonce it
  // can put in its inputs; everything else keeps the CSPRNG.
  using RandomSource = std::function<Bytes(std::size_t)>;

  explicit NoncePool(const ca::Clock& clock, NoncePoolLimits limits = {},
                     RandomSource random = RandomBytes);

  // A fresh nonce for a Replay-Nonce header.
  std::string Issue();
  // True exactly once for a nonce this pool issued and has not forgotten.
  bool Consume(std::string_view nonce);

  std::size_t size() const;

 private:
  void ForgetExpiredLocked(std::int64_t now);

  struct Entry {
    std::uint64_t sequence;
    std::int64_t issued_at;
  };

  const ca::Clock& clock_;
  const NoncePoolLimits limits_;
  const RandomSource random_;
  mutable std::mutex mu_;
  std::uint64_t next_sequence_ = 0;
  std::unordered_map<std::string, Entry> live_;
  std::map<std::uint64_t, std::string> by_age_;  // sequence -> nonce, oldest first
};

}  // namespace homeca::enroll::acme
