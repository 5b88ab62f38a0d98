#include "enroll/placeholder_verifier.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>

#include "ca/base/encoding.h"
#include "ca/base/openssl_error.h"
#include "ca/base/openssl_handles.h"

namespace homeca::enroll {
namespace {

constexpr std::size_t kW0Size = 32;
constexpr std::size_t kPointSize = 65;

}  // namespace

Result<ca::PairingVerifier> UnmatchableVerifier() {
  ossl::Pkey key(EVP_EC_gen("P-256"));
  Bytes point(kPointSize);
  std::size_t len = 0;
  if (!key ||
      EVP_PKEY_get_octet_string_param(key.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                      point.size(), &len) != 1 ||
      len != kPointSize) {
    return ossl::CryptoError("cannot make the pairing's placeholder verifier");
  }
  return ca::PairingVerifier(RandomBytes(kW0Size), point);
}

}  // namespace homeca::enroll
