#include "enroll/acme/request_verifier.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include "enroll/acme/json_strict.h"
#include "enroll/acme/problem.h"

namespace homeca::enroll::acme {
namespace {

constexpr std::string_view kWhat = "the JWS protected header";

// "application/jose+json", in any case, with or without parameters.
bool IsJoseContentType(std::string_view value) {
  value = value.substr(0, value.find(';'));
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  return value.size() == kJoseContentType.size() &&
         std::equal(value.begin(), value.end(), kJoseContentType.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == b;
         });
}

Status BadNonce(std::string why) {
  return AcmeError(ProblemType::kBadNonce, std::string(kBadNonceText) + ": " + why);
}

Status Malformed(std::string message) {
  return AcmeError(ProblemType::kMalformed, std::move(message));
}

// The key named by the header, as `reference` allows.
Result<Jwk> HeaderKey(const Poco::JSON::Object& header, KeyReference reference,
                      const AccountKeyLookup& lookup, std::string* kid_out) {
  const bool has_jwk = header.has("jwk");
  const bool has_kid = header.has("kid");
  if (has_jwk && has_kid) return Malformed("the JWS must carry \"jwk\" or \"kid\", not both");
  if (!has_jwk && !has_kid) return Malformed("the JWS must carry \"jwk\" or \"kid\"");
  if (has_jwk) {
    if (reference == KeyReference::kKid) {
      return Malformed("this resource needs the account URL as \"kid\", not a \"jwk\"");
    }
    Poco::JSON::Object::Ptr jwk = header.getObject("jwk");
    if (jwk.isNull()) return Malformed("\"jwk\" must be a JSON object");
    return Jwk::FromJson(*jwk);
  }
  if (reference == KeyReference::kJwk) {
    return Malformed("this resource needs the account key as \"jwk\", not a \"kid\"");
  }
  Result<std::string> kid = RequiredString(header, "kid", kWhat);
  if (!kid.ok()) return kid.status();
  if (kid->empty()) return Malformed("\"kid\" is empty");
  *kid_out = *kid;
  return lookup(*kid);
}

}  // namespace

Result<VerifiedRequest> VerifyAcmeRequest(const AcmeRequest& request, KeyReference reference,
                                          NoncePool& nonces, const AccountKeyLookup& lookup) {
  if (request.body.size() > kMaxAcmeBodySize) {
    return AcmeError(ProblemType::kMalformed, "the request body is larger than 64 KiB", {}, 413);
  }
  // RFC 8555 section 6.2: any other media type is answered 415.
  if (!IsJoseContentType(request.content_type)) {
    return AcmeError(ProblemType::kMalformed, "the Content-Type must be application/jose+json", {},
                     415);
  }
  Result<FlattenedJws> jws = ParseFlattenedJws(request.body);
  if (!jws.ok()) return jws.status();
  const Poco::JSON::Object& header = *jws->header;

  Result<std::string> alg_name = RequiredString(header, "alg", kWhat);
  if (!alg_name.ok()) return alg_name.status();
  Result<JwsAlgorithm> alg = ParseJwsAlgorithm(*alg_name);
  if (!alg.ok()) return alg.status();

  Result<std::optional<std::string>> nonce = OptionalString(header, "nonce", kWhat);
  if (!nonce.ok() || !nonce->has_value()) return BadNonce("the header has no \"nonce\" string");

  Result<std::string> url = RequiredString(header, "url", kWhat);
  if (!url.ok()) return url.status();
  // RFC 8555 section 6.4: the signed URL must be the one requested.
  if (*url != request.url) {
    return AcmeError(ProblemType::kUnauthorized,
                     "the JWS \"url\" is not the URL this request was sent to");
  }

  std::string kid;
  Result<Jwk> key = HeaderKey(header, reference, lookup, &kid);
  if (!key.ok()) return key.status();
  HOMECA_RETURN_IF_ERROR(VerifyJwsSignature(*jws, *alg, *key));

  // Only a request that verified uses up its nonce.
  if (!nonces.Consume(**nonce)) return BadNonce("it is unknown, expired or already used");
  return VerifiedRequest{*alg, std::move(*url), std::move(kid), std::move(*key),
                         std::move(jws->payload)};
}

}  // namespace homeca::enroll::acme
