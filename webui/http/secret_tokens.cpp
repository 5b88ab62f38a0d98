#include "webui/http/secret_tokens.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <cstdlib>

namespace homeca::webui {

std::string NewRandomToken(std::size_t bytes) {
  Bytes random = RandomBytes(bytes);
  std::string token = Base64UrlEncode(random);
  Cleanse(random);
  return token;
}

Bytes Sha256(std::string_view data) {
  Bytes digest(32);
  unsigned int length = 0;
  // A one-shot SHA-256 of memory only fails when the process is out of
  // memory; there is nothing sensible to continue with.
  if (EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1 ||
      length != digest.size()) {
    std::abort();
  }
  return digest;
}

std::string Sha256Hex(std::string_view data) { return HexEncode(Sha256(data)); }

bool SecretsEqual(std::string_view a, std::string_view b) {
  if (a.empty() || b.empty() || a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace homeca::webui
