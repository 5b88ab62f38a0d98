#include "tests/enroll/acme/jws_signer.h"

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>

#include <map>
#include <mutex>
#include <stdexcept>

#include "enroll/acme/jwk.h"

namespace homeca::enroll::acme::testing {
namespace {

std::string Encode(std::string_view protected_b64, std::string_view payload_b64,
                   std::string_view sig_b64) {
  return "{\"protected\":\"" + std::string(protected_b64) + "\",\"payload\":\"" +
         std::string(payload_b64) + "\",\"signature\":\"" + std::string(sig_b64) + "\"}";
}

Bytes DerToRaw(const Bytes& der, std::size_t half) {
  const unsigned char* p = der.data();
  ossl::Ptr<ECDSA_SIG, ECDSA_SIG_free> sig(
      d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
  if (!sig) throw std::runtime_error("bad DER signature");
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(sig.get(), &r, &s);
  Bytes raw(half * 2);
  BN_bn2binpad(r, raw.data(), static_cast<int>(half));
  BN_bn2binpad(s, raw.data() + half, static_cast<int>(half));
  return raw;
}

}  // namespace

EVP_PKEY* TestKey(std::string_view name) {
  static std::mutex mu;
  static std::map<std::string, ossl::Pkey, std::less<>> keys;
  std::lock_guard<std::mutex> lock(mu);
  auto it = keys.find(name);
  if (it != keys.end()) return it->second.get();
  EVP_PKEY* key = nullptr;
  if (name.rfind("rsa", 0) == 0) {
    key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA",
                            static_cast<size_t>(std::stoi(std::string(name.substr(3, 4)))));
  } else {
    const char* curve = name.rfind("p256", 0) == 0   ? "P-256"
                        : name.rfind("p384", 0) == 0 ? "P-384"
                                                     : "P-521";
    key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", curve);
  }
  if (key == nullptr) throw std::runtime_error("keygen failed");
  return keys.emplace(std::string(name), ossl::Pkey(key)).first->second.get();
}

std::string JwkJson(EVP_PKEY* key) {
  Result<std::string> json = PublicJwkJson(key);
  if (!json.ok()) throw std::runtime_error(json.status().message());
  return *json;
}

std::string B64(std::string_view text) { return Base64UrlEncode(ToBytes(text)); }

std::string SignFlattened(EVP_PKEY* key, std::string_view alg, std::string_view protected_json,
                          std::string_view payload) {
  const std::string protected_b64 = B64(protected_json);
  const std::string payload_b64 = B64(payload);
  const std::string input = protected_b64 + "." + payload_b64;
  const char* digest = alg == "ES384" ? "SHA384" : alg == "ES512" ? "SHA512" : "SHA256";
  ossl::MdCtx ctx(EVP_MD_CTX_new());
  std::size_t size = 0;
  if (EVP_DigestSignInit_ex(ctx.get(), nullptr, digest, nullptr, nullptr, key, nullptr) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &size,
                     reinterpret_cast<const unsigned char*>(input.data()), input.size()) != 1) {
    throw std::runtime_error("sign init failed");
  }
  Bytes sig(size);
  if (EVP_DigestSign(ctx.get(), sig.data(), &size,
                     reinterpret_cast<const unsigned char*>(input.data()), input.size()) != 1) {
    throw std::runtime_error("sign failed");
  }
  sig.resize(size);
  if (EVP_PKEY_is_a(key, "EC")) {
    const int bits = EVP_PKEY_get_bits(key);
    sig = DerToRaw(sig, static_cast<std::size_t>((bits + 7) / 8));
  }
  return Encode(protected_b64, payload_b64, Base64UrlEncode(sig));
}

std::string MacFlattened(const Bytes& key, std::string_view alg, std::string_view protected_json,
                         std::string_view payload) {
  const std::string protected_b64 = B64(protected_json);
  const std::string payload_b64 = B64(payload);
  const std::string input = protected_b64 + "." + payload_b64;
  const char* digest = alg == "HS384" ? "SHA384" : alg == "HS512" ? "SHA512" : "SHA256";
  unsigned char out[EVP_MAX_MD_SIZE];
  std::size_t size = 0;
  if (EVP_Q_mac(nullptr, "HMAC", nullptr, digest, nullptr, key.data(), key.size(),
                reinterpret_cast<const unsigned char*>(input.data()), input.size(), out, sizeof out,
                &size) == nullptr) {
    throw std::runtime_error("mac failed");
  }
  return Encode(protected_b64, payload_b64, Base64UrlEncode(Bytes(out, out + size)));
}

std::string HeaderWithJwk(std::string_view alg, std::string_view nonce, std::string_view url,
                          std::string_view jwk_json) {
  return "{\"alg\":\"" + std::string(alg) + "\",\"jwk\":" + std::string(jwk_json) +
         ",\"nonce\":\"" + std::string(nonce) + "\",\"url\":\"" + std::string(url) + "\"}";
}

std::string HeaderWithKid(std::string_view alg, std::string_view nonce, std::string_view url,
                          std::string_view kid) {
  return "{\"alg\":\"" + std::string(alg) + "\",\"kid\":\"" + std::string(kid) + "\",\"nonce\":\"" +
         std::string(nonce) + "\",\"url\":\"" + std::string(url) + "\"}";
}

}  // namespace homeca::enroll::acme::testing
