#include "enroll/placeholder_verifier.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>

#include "ca/base/encoding.h"
#include "ca/base/openssl_error.h"
#include "ca/base/openssl_handles.h"
#include "enroll/pairing_admin.h"

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

Result<ca::NewPairing> PairingWithoutCode(ca::PairingKey key, std::vector<std::string> names,
                                          std::int64_t now, std::int64_t ttl_seconds,
                                          const std::string& actor) {
  Result<ca::PairingVerifier> verifier = UnmatchableVerifier();
  if (!verifier.ok()) return verifier.status();
  ca::NewPairing pairing;
  pairing.key = std::move(key);
  pairing.names = std::move(names);
  pairing.salt = RandomBytes(kPairingSaltSize);
  pairing.iterations = 1000;  // the schema's minimum; no KDF ever runs for it
  pairing.verifier = *verifier;
  pairing.created_at = now;
  pairing.expires_at = now + ttl_seconds;
  pairing.created_by = actor;
  return pairing;
}

}  // namespace homeca::enroll
