// JSON Web Signatures (RFC 7515) as ACME sends them (RFC 8555 section 6.2):
// the flattened JSON serialization only, every header member protected.
//
// ParseFlattenedJws checks the structure: exactly "protected", "payload" and
// "signature" (so the compact form, the general form with "signatures", and
// an unprotected "header" are refused), each unpadded base64url, the
// protected header a strict JSON object without "crit" (we understand no
// extension, so any critical one is refused) or "b64" other than true.
// VerifyJwsSignature checks the signature under one of the algorithms of
// kJwsAlgorithms with a key of the matching type. Errors are AcmeErrors:
// badSignatureAlgorithm for an algorithm we refuse or a key that does not fit
// it, malformed for everything else, including a signature that does not
// verify (as Let's Encrypt answers it: RFC 8555 has no type of its own).
//
// Thread-safety: pure functions; a FlattenedJws is a plain value.
#pragma once

#include <Poco/JSON/Object.h>

#include <array>
#include <string>
#include <string_view>

#include "ca/base/encoding.h"
#include "ca/base/status.h"
#include "enroll/acme/jwk.h"

namespace homeca::enroll::acme {

enum class JwsAlgorithm { kRs256, kEs256, kEs384, kEs512 };

// What the outer JWS may use, as listed in a badSignatureAlgorithm problem.
// Never "none", no MAC (HS*), no RSA-PSS (PS*): RFC 8555 section 6.2 and the
// clients we serve need none of them.
inline constexpr std::array<std::string_view, 4> kJwsAlgorithms = {"ES256", "ES384", "ES512",
                                                                   "RS256"};

// badSignatureAlgorithm for anything outside kJwsAlgorithms.
Result<JwsAlgorithm> ParseJwsAlgorithm(std::string_view alg);
std::string_view JwsAlgorithmName(JwsAlgorithm alg);

struct FlattenedJws {
  std::string protected_b64;       // as sent: the first half of the signing input
  std::string payload_b64;         // as sent: the second half ("" for POST-as-GET)
  Poco::JSON::Object::Ptr header;  // the decoded protected header
  std::string payload;             // the decoded payload
  Bytes signature;

  std::string SigningInput() const { return protected_b64 + "." + payload_b64; }
};

Result<FlattenedJws> ParseFlattenedJws(std::string_view body);
// The same checks on a JWS nested in another message (the EAB's).
Result<FlattenedJws> ParseFlattenedJws(const Poco::JSON::Object& jws);

// Checks `jws`'s signature with `key` under `alg`. RS256 needs an RSA key of
// at least 2048 bits (RSASSA-PKCS1-v1_5); ESnnn needs the matching curve and
// a signature of exactly R||S (64, 96 or 132 octets), which is converted to
// DER for OpenSSL.
Status VerifyJwsSignature(const FlattenedJws& jws, JwsAlgorithm alg, const Jwk& key);

}  // namespace homeca::enroll::acme
