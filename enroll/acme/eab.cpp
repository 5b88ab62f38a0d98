#include "enroll/acme/eab.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "ca/base/openssl_error.h"
#include "ca/base/openssl_handles.h"
#include "enroll/acme/json_strict.h"
#include "enroll/acme/problem.h"

namespace homeca::enroll::acme {
namespace {

constexpr std::string_view kWhat = "externalAccountBinding";

Status Malformed(std::string message) {
  return AcmeError(ProblemType::kMalformed, std::string(kWhat) + ": " + message);
}

Status Unauthorized(std::string message) {
  return AcmeError(ProblemType::kUnauthorized, std::string(kWhat) + ": " + message);
}

Result<Bytes> Hmac(const char* digest, const Bytes& key, std::string_view data) {
  ossl::Mac mac(EVP_MAC_fetch(nullptr, "HMAC", nullptr));
  ossl::MacCtx ctx(mac ? EVP_MAC_CTX_new(mac.get()) : nullptr);
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, const_cast<char*>(digest), 0),
      OSSL_PARAM_construct_end()};
  Bytes out(EVP_MAX_MD_SIZE);
  std::size_t size = 0;
  if (!ctx || EVP_MAC_init(ctx.get(), key.data(), key.size(), params) != 1 ||
      EVP_MAC_update(ctx.get(), reinterpret_cast<const unsigned char*>(data.data()), data.size()) !=
          1 ||
      EVP_MAC_final(ctx.get(), out.data(), &size, out.size()) != 1) {
    return ossl::CryptoError("externalAccountBinding: cannot compute the MAC");
  }
  out.resize(size);
  return out;
}

}  // namespace

Result<ExternalAccountBinding> ExternalAccountBinding::Parse(const Poco::JSON::Object& binding) {
  Result<FlattenedJws> jws = ParseFlattenedJws(binding);
  if (!jws.ok()) return jws.status().WithContext(kWhat);
  const Poco::JSON::Object& header = *jws->header;
  Result<std::string> alg = RequiredString(header, "alg", kWhat);
  if (!alg.ok()) return alg.status();
  ExternalAccountBinding out;
  if (*alg == "HS256") {
    out.digest_ = "SHA256";
  } else if (*alg == "HS384") {
    out.digest_ = "SHA384";
  } else if (*alg == "HS512") {
    out.digest_ = "SHA512";
  } else {
    return Malformed("the algorithm must be HS256, HS384 or HS512");
  }
  if (header.has("nonce")) return Malformed("the binding must not carry a nonce");
  if (header.has("jwk")) return Malformed("the binding must name its key by \"kid\", not \"jwk\"");
  Result<std::string> kid = RequiredString(header, "kid", kWhat);
  if (!kid.ok()) return kid.status();
  if (kid->empty()) return Malformed("\"kid\" is empty");
  Result<std::string> url = RequiredString(header, "url", kWhat);
  if (!url.ok()) return url.status();
  out.key_id_ = std::move(*kid);
  out.url_ = std::move(*url);
  out.jws_ = std::move(*jws);
  return out;
}

Status ExternalAccountBinding::Verify(std::string_view new_account_url, const Jwk& account_key,
                                      const Bytes& hmac_key) const {
  if (url_ != new_account_url) return Unauthorized("\"url\" is not the newAccount URL");
  if (hmac_key.empty()) return Unauthorized("this key id has no HMAC key (already used?)");
  // The MAC first: only the holder of the HMAC key learns anything more.
  Result<Bytes> expected = Hmac(digest_, hmac_key, jws_.SigningInput());
  if (!expected.ok()) return expected.status();
  if (expected->size() != jws_.signature.size() ||
      CRYPTO_memcmp(expected->data(), jws_.signature.data(), expected->size()) != 0) {
    return Unauthorized("the MAC does not verify with this key id's HMAC key");
  }
  Result<Jwk> bound = Jwk::Parse(jws_.payload);
  if (!bound.ok()) return bound.status().WithContext(kWhat);
  if (!bound->SameKey(account_key)) {
    return Unauthorized("the bound key is not the account key of this request");
  }
  return Status::Ok();
}

EabCredentials GenerateEabCredentials() {
  Bytes key = RandomBytes(32);
  EabCredentials out{Base64UrlEncode(RandomBytes(16)), Base64UrlEncode(key)};
  Cleanse(key);
  return out;
}

std::optional<Bytes> DecodeEabHmacKey(std::string_view text) {
  std::optional<Bytes> key = Base64UrlDecode(text);
  if (!key || key->empty()) return std::nullopt;
  return key;
}

}  // namespace homeca::enroll::acme
