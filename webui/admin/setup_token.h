// SetupToken: the one-time secret in the first-run setup link that homecad
// logs when no admin password is set. Held in memory only (as a SHA-256), so
// it is valid until it is used or homecad restarts; whoever can read the
// daemon's log can set the first password, which is the point: that is the
// person who installed it.
//
// Thread-safety: all methods may be called concurrently.
#pragma once

#include <mutex>
#include <string>
#include <string_view>

#include "ca/base/encoding.h"

namespace homeca::webui {

class SetupToken {
 public:
  // Makes a new token (128+ random bits, base64url), replacing any previous
  // one, and returns it: the only copy, for the log line.
  std::string Issue();
  // True when `presented` is the live token (constant-time comparison).
  bool Matches(std::string_view presented);
  // As Matches, and the token is spent: true at most once per Issue().
  bool Consume(std::string_view presented);
  bool active();

 private:
  std::mutex mu_;
  Bytes hash_;  // empty: no live token
};

}  // namespace homeca::webui
