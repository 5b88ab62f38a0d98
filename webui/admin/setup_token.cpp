#include "webui/admin/setup_token.h"

#include "webui/http/secret_tokens.h"

namespace homeca::webui {
namespace {

bool HashMatches(const Bytes& expected, std::string_view presented) {
  if (expected.empty() || presented.empty() || presented.size() > 256) return false;
  const Bytes actual = Sha256(presented);
  return SecretsEqual(
      std::string_view(reinterpret_cast<const char*>(expected.data()), expected.size()),
      std::string_view(reinterpret_cast<const char*>(actual.data()), actual.size()));
}

}  // namespace

std::string SetupToken::Issue() {
  std::string token = NewRandomToken(24);  // 192 bits
  std::lock_guard<std::mutex> lock(mu_);
  hash_ = Sha256(token);
  return token;
}

bool SetupToken::Matches(std::string_view presented) {
  std::lock_guard<std::mutex> lock(mu_);
  return HashMatches(hash_, presented);
}

bool SetupToken::Consume(std::string_view presented) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!HashMatches(hash_, presented)) return false;
  hash_.clear();
  return true;
}

bool SetupToken::active() {
  std::lock_guard<std::mutex> lock(mu_);
  return !hash_.empty();
}

}  // namespace homeca::webui
