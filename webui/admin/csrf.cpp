#include "webui/admin/csrf.h"

#include "webui/http/secret_tokens.h"

namespace homeca::webui {

bool CsrfTokenMatches(std::string_view expected, std::string_view presented) {
  // Our tokens are 43 characters; anything else is not one of ours.
  constexpr std::size_t kMinTokenLength = 32;
  if (expected.size() < kMinTokenLength) return false;
  return SecretsEqual(expected, presented);
}

}  // namespace homeca::webui
