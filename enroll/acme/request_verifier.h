// The ACME request check every POST goes through (RFC 8555 sections 6.2 to
// 6.5), independent of the HTTP library: given what arrived, it returns the
// verified header and payload, or a Status that ToProblem() turns into the
// problem to answer with. It changes nothing but the nonce pool, and that
// only for a request whose signature verified.
//
// In order: body size (malformed), Content-Type application/jose+json
// (malformed, answered 415), flattened JWS structure (malformed), protected
// header "alg" (badSignatureAlgorithm), "nonce" (badNonce), "url" equal to
// the request URL (unauthorized), exactly one of "jwk"/"kid" as the endpoint
// needs (malformed), the key (badPublicKey, or whatever the account lookup
// returns), the signature (malformed), last the nonce's single use (badNonce).
//
// Thread-safety: VerifyAcmeRequest is safe to call concurrently if the
// lookup is; it borrows the pool (itself thread-safe) for the call.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "ca/base/status.h"
#include "enroll/acme/jwk.h"
#include "enroll/acme/jws.h"
#include "enroll/acme/nonce_pool.h"

namespace homeca::enroll::acme {

// Real requests are a few KiB (a CSR, a JWK); this bounds the work before
// anything is parsed.
inline constexpr std::size_t kMaxAcmeBodySize = 64 * 1024;
inline constexpr std::string_view kJoseContentType = "application/jose+json";

// Which key reference the endpoint takes (RFC 8555 section 6.2): newAccount
// a "jwk", revokeCert either, every other POST a "kid" (the account URL).
enum class KeyReference { kJwk, kKid, kJwkOrKid };

struct AcmeRequest {
  std::string_view url;           // the absolute URL the request was sent to
  std::string_view content_type;  // the Content-Type header as received
  std::string_view body;
};

struct VerifiedRequest {
  JwsAlgorithm alg = JwsAlgorithm::kEs256;
  std::string url;
  std::string kid;      // the account URL when the request used "kid", else ""
  Jwk key;              // the key that verified the signature
  std::string payload;  // decoded; "" is a POST-as-GET (section 6.3)

  bool post_as_get() const { return payload.empty(); }
};

// The account key for a "kid" (account URL). A failed Status is passed on
// as is: the store answers accountDoesNotExist (AcmeError) for an unknown
// account, unauthorized for a deactivated one.
using AccountKeyLookup = std::function<Result<Jwk>(std::string_view kid)>;

Result<VerifiedRequest> VerifyAcmeRequest(const AcmeRequest& request, KeyReference reference,
                                          NoncePool& nonces, const AccountKeyLookup& lookup);

}  // namespace homeca::enroll::acme
