// External account binding (RFC 8555 section 7.3.4): the MAC'd JWS inside a
// newAccount payload that ties the new account key to a key id and HMAC key
// homeca handed out with a pairing, and the generation of those credentials.
//
// The caller parses the binding, looks the HMAC key up by key_id(), then
// verifies. Verify checks: alg HS256/HS384/HS512, no "nonce" (the RFC forbids
// one), "kid" as parsed, "url" equal to the newAccount URL, the payload the
// same public key as the outer JWS's jwk (compared as keys, not as text), and
// the MAC (CRYPTO_memcmp). Structure errors are malformed; a wrong url, key
// or MAC is unauthorized.
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <Poco/JSON/Object.h>

#include <optional>
#include <string>
#include <string_view>

#include "ca/base/encoding.h"
#include "ca/base/status.h"
#include "enroll/acme/jwk.h"
#include "enroll/acme/jws.h"

namespace homeca::enroll::acme {

class ExternalAccountBinding {
 public:
  // `binding` is the value of the payload's "externalAccountBinding" member.
  static Result<ExternalAccountBinding> Parse(const Poco::JSON::Object& binding);

  const std::string& key_id() const { return key_id_; }

  Status Verify(std::string_view new_account_url, const Jwk& account_key,
                const Bytes& hmac_key) const;

 private:
  ExternalAccountBinding() = default;
  FlattenedJws jws_;
  std::string key_id_;
  std::string url_;
  const char* digest_ = "SHA256";
};

// What a pairing hands an ACME client: a key id (128 random bits, unpadded
// base64url, so never a ':' that `-e KID:KEY` style options split on) and a
// 256-bit HMAC key as unpadded base64url. The key is a secret: never log it.
struct EabCredentials {
  std::string key_id;
  std::string hmac_key;
};
EabCredentials GenerateEabCredentials();

// The HMAC key's bytes from its unpadded base64url text; nullopt if invalid.
std::optional<Bytes> DecodeEabHmacKey(std::string_view text);

}  // namespace homeca::enroll::acme
