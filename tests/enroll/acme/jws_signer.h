// Test-side ACME client pieces: fresh keys, and flattened JWS signed the way
// clients sign them (ECDSA as R||S), so tests can build any request, valid
// or subtly wrong.
//
// Thread-safety: pure functions; keys from TestKey() are shared, read-only.
#pragma once

#include <string>
#include <string_view>

#include "ca/base/encoding.h"
#include "ca/base/openssl_handles.h"

namespace homeca::enroll::acme::testing {

// "rsa1024", "rsa2048", "rsa4096", "p256", "p384", "p521", optionally with a
// suffix for a second key of the kind ("p256-other"): generated once per run.
EVP_PKEY* TestKey(std::string_view name);
// The public JWK of a key, as JSON text.
std::string JwkJson(EVP_PKEY* key);

std::string B64(std::string_view text);

// {"protected","payload","signature"} with `protected_json` and `payload`
// base64url-encoded and signed by `key` under `alg` (RS256 or ESnnn; any
// other name signs with SHA-256 PKCS#1 for RSA keys, ECDSA-SHA-256 else).
std::string SignFlattened(EVP_PKEY* key, std::string_view alg, std::string_view protected_json,
                          std::string_view payload);
// The same with an HMAC (HS256/HS384/HS512).
std::string MacFlattened(const Bytes& key, std::string_view alg, std::string_view protected_json,
                         std::string_view payload);

// A protected header {"alg","nonce","url", and "jwk" or "kid"}.
std::string HeaderWithJwk(std::string_view alg, std::string_view nonce, std::string_view url,
                          std::string_view jwk_json);
std::string HeaderWithKid(std::string_view alg, std::string_view nonce, std::string_view url,
                          std::string_view kid);

}  // namespace homeca::enroll::acme::testing
