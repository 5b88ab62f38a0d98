#include "ca/base/password_hash.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>

#include <vector>

#include "ca/base/encoding.h"
#include "ca/base/openssl_error.h"
#include "ca/base/openssl_handles.h"

namespace homeca::ca {
namespace {

constexpr std::string_view kScheme = "scrypt";
constexpr std::size_t kSaltSize = 16;
constexpr std::size_t kHashSize = 32;
// Bounds a stored record may ask for: enough room to raise the cost later,
// never enough to exhaust a small appliance (128 * r * N * p bytes).
constexpr int kMinLog2N = 10;
constexpr int kMaxLog2N = 20;
constexpr std::uint32_t kMaxR = 16;
constexpr std::uint32_t kMaxP = 4;
constexpr std::uint64_t kMaxMemory = 256ull * 1024 * 1024;

Status CheckParams(const ScryptParams& params) {
  if (params.log2_n < kMinLog2N || params.log2_n > kMaxLog2N || params.r < 1 || params.r > kMaxR ||
      params.p < 1 || params.p > kMaxP) {
    return Status::InvalidArgument("scrypt parameters are outside the supported range");
  }
  return Status::Ok();
}

Result<Bytes> Scrypt(std::string_view password, const Bytes& salt, const ScryptParams& params) {
  HOMECA_RETURN_IF_ERROR(CheckParams(params));
  ossl::Kdf kdf(EVP_KDF_fetch(nullptr, "SCRYPT", nullptr));
  ossl::KdfCtx ctx(kdf ? EVP_KDF_CTX_new(kdf.get()) : nullptr);
  if (!ctx) return ossl::CryptoError("scrypt is not available in this OpenSSL");
  std::uint64_t n = std::uint64_t{1} << params.log2_n;
  std::uint32_t r = params.r;
  std::uint32_t p = params.p;
  std::uint64_t max_mem = kMaxMemory;
  OSSL_PARAM ossl_params[] = {
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_PASSWORD, const_cast<char*>(password.data()),
                                        password.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, const_cast<std::uint8_t*>(salt.data()),
                                        salt.size()),
      OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_N, &n),
      OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_R, &r),
      OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_P, &p),
      OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_MAXMEM, &max_mem),
      OSSL_PARAM_construct_end()};
  Bytes out(kHashSize);
  if (EVP_KDF_derive(ctx.get(), out.data(), out.size(), ossl_params) != 1) {
    return ossl::CryptoError("scrypt failed");
  }
  return out;
}

std::vector<std::string_view> Split(std::string_view text, char sep) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (;;) {
    const std::size_t end = text.find(sep, start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

// A small decimal number without sign or leading junk; -1 if not one.
long ParseSmall(std::string_view text) {
  if (text.empty() || text.size() > 6) return -1;
  long value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return -1;
    value = value * 10 + (c - '0');
  }
  return value;
}

}  // namespace

Status CheckPasswordAcceptable(std::string_view password) {
  if (password.size() < kMinPasswordLength) {
    return Status::InvalidArgument("the password must be at least " +
                                   std::to_string(kMinPasswordLength) + " characters long");
  }
  if (password.size() > kMaxPasswordLength) {
    return Status::InvalidArgument("the password must be at most " +
                                   std::to_string(kMaxPasswordLength) + " characters long");
  }
  return Status::Ok();
}

Result<std::string> HashPassword(std::string_view password, const ScryptParams& params) {
  const Bytes salt = RandomBytes(kSaltSize);
  Result<Bytes> hash = Scrypt(password, salt, params);
  if (!hash.ok()) return hash.status();
  return std::string(kScheme) + "$" + std::to_string(params.log2_n) + "$" +
         std::to_string(params.r) + "$" + std::to_string(params.p) + "$" + Base64UrlEncode(salt) +
         "$" + Base64UrlEncode(*hash);
}

Result<bool> VerifyPassword(std::string_view password, std::string_view encoded) {
  const Status malformed = Status::InvalidArgument("the stored password hash is not readable");
  const std::vector<std::string_view> parts = Split(encoded, '$');
  if (parts.size() != 6 || parts[0] != kScheme) return malformed;
  const long log2_n = ParseSmall(parts[1]);
  const long r = ParseSmall(parts[2]);
  const long p = ParseSmall(parts[3]);
  std::optional<Bytes> salt = Base64UrlDecode(parts[4]);
  std::optional<Bytes> expected = Base64UrlDecode(parts[5]);
  if (log2_n < 0 || r < 0 || p < 0 || !salt || salt->size() < 8 || !expected ||
      expected->size() != kHashSize) {
    return malformed;
  }
  ScryptParams params{static_cast<int>(log2_n), static_cast<std::uint32_t>(r),
                      static_cast<std::uint32_t>(p)};
  Result<Bytes> actual = Scrypt(password, *salt, params);
  if (!actual.ok()) return actual.status();
  const bool match = CRYPTO_memcmp(actual->data(), expected->data(), kHashSize) == 0;
  Cleanse(*actual);
  return match;
}

}  // namespace homeca::ca
