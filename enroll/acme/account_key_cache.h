// AccountKeyCache: the parsed public keys of the accounts that signed
// recently, by the JWK text the store holds for them. Turning that text back
// into an OpenSSL key costs more than checking the request's signature with
// it (OpenSSL 3 builds a key through its provider machinery), and every ACME
// request but newAccount needs its account's key.
//
// Keyed by the stored text itself, not the account: a key change stores new
// text, which misses, and the old entry just ages out. An account's status
// is still read from the store on every request; only the parsing is saved.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <cstddef>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "ca/base/status.h"
#include "enroll/acme/jwk.h"

namespace homeca::enroll::acme {

class AccountKeyCache {
 public:
  // More accounts than a house has ACME clients; an RSA-4096 entry is about
  // 1.5 KiB.
  static constexpr std::size_t kDefaultCapacity = 128;

  explicit AccountKeyCache(std::size_t capacity = kDefaultCapacity) : capacity_(capacity) {}

  // The key of `stored_jwk`, parsed once and kept while it is among the
  // `capacity` most recently used. A JWK that does not parse is not kept.
  Result<Jwk> Get(const std::string& stored_jwk);

 private:
  using Entry = std::pair<std::string, Jwk>;
  std::mutex mu_;
  std::size_t capacity_;
  std::list<Entry> recent_;  // most recently used first
  std::unordered_map<std::string_view, std::list<Entry>::iterator> index_;  // views into recent_
};

}  // namespace homeca::enroll::acme
