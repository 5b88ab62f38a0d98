// JSON Web Keys (RFC 7517, 7518 section 6) as ACME accounts use them: the
// public key of an RSA (2048 to 8192 bits) or EC (P-256, P-384, P-521)
// account, and its RFC 7638 thumbprint.
//
// Refused, as badPublicKey: private members ("d", "p", "k", ...), another
// kty or crv, RSA outside the size range or with leading zero octets, EC
// coordinates of the wrong length or off the curve. Members we do not use
// ("use", "kid", "alg", "key_ops") are tolerated and ignored.
//
// Ownership: a Jwk shares one immutable EVP_PKEY between its copies.
// Thread-safety: a Jwk is immutable; copies and concurrent use are safe.
#pragma once

#include <Poco/JSON/Object.h>
#include <openssl/types.h>

#include <memory>
#include <string>
#include <string_view>

#include "ca/base/status.h"

namespace homeca::enroll::acme {

enum class KeyKind { kRsa, kEcP256, kEcP384, kEcP521 };

inline constexpr int kMinRsaBits = 2048;
inline constexpr int kMaxRsaBits = 8192;

class Jwk {
 public:
  // From the JSON text of a JWK (malformed if not a JSON object).
  static Result<Jwk> Parse(std::string_view json);
  // From a parsed JWK object (e.g. the "jwk" member of a protected header).
  static Result<Jwk> FromJson(const Poco::JSON::Object& object);
  // The public half of `key` (a private key is fine), under the same rules.
  static Result<Jwk> FromPkey(const EVP_PKEY* key);

  KeyKind kind() const { return kind_; }
  int bits() const { return bits_; }
  // RFC 7638: the required members in lexicographic order, no whitespace. It
  // is also a complete public JWK, the form we store and send.
  const std::string& canonical_json() const { return canonical_json_; }
  // RFC 7638 SHA-256 thumbprint, unpadded base64url.
  const std::string& thumbprint() const { return thumbprint_; }
  // Borrowed; valid while any copy of this Jwk lives.
  EVP_PKEY* pkey() const { return key_.get(); }

  bool SameKey(const Jwk& other) const;

 private:
  Jwk() = default;
  std::shared_ptr<EVP_PKEY> key_;
  KeyKind kind_ = KeyKind::kRsa;
  int bits_ = 0;
  std::string canonical_json_;
  std::string thumbprint_;
};

// The public JWK of `key` as JSON text (canonical member order), without any
// policy check: tests use it to build keys Jwk refuses (RSA-1024).
Result<std::string> PublicJwkJson(const EVP_PKEY* key);

}  // namespace homeca::enroll::acme
