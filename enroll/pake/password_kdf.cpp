#include "enroll/pake/password_kdf.h"

#include <openssl/core_names.h>
#include <openssl/kdf.h>

#include <charconv>
#include <cstdio>
#include <vector>

#include "ca/base/openssl_error.h"
#include "ca/base/openssl_handles.h"

namespace homeca::enroll {
namespace {

using ByteSpan = std::span<const std::uint8_t>;

Status Invalid(const std::string& what) { return Status::InvalidArgument("pairing KDF: " + what); }

// OSSL_PARAM is not const-correct; OpenSSL only reads these buffers.
OSSL_PARAM OctetParam(const char* key, ByteSpan data) {
  return OSSL_PARAM_construct_octet_string(key, const_cast<std::uint8_t*>(data.data()),
                                           data.size());
}

void AppendWithLength(Bytes& out, ByteSpan data) {
  std::uint64_t n = data.size();
  for (int i = 0; i < 8; ++i) {
    out.push_back(static_cast<std::uint8_t>(n & 0xff));
    n >>= 8;
  }
  out.insert(out.end(), data.begin(), data.end());
}

std::vector<std::string_view> Split(std::string_view text, char sep) {
  std::vector<std::string_view> parts;
  for (;;) {
    const std::size_t end = text.find(sep);
    parts.push_back(text.substr(0, end));
    if (end == std::string_view::npos) return parts;
    text.remove_prefix(end + 1);
  }
}

// A decimal number with no sign, no leading zero and no trailing text.
template <typename T>
std::optional<T> ParseNumber(std::string_view text) {
  T value{};
  if (text.empty() || text.size() > 9 || (text.size() > 1 && text[0] == '0')) return std::nullopt;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

Result<Bytes> Pbkdf2(ByteSpan input, ByteSpan salt, std::uint32_t iterations, std::size_t length) {
  ossl::Kdf kdf(EVP_KDF_fetch(nullptr, "PBKDF2", nullptr));
  ossl::KdfCtx ctx(kdf ? EVP_KDF_CTX_new(kdf.get()) : nullptr);
  unsigned int iter = iterations;
  OSSL_PARAM params[] = {
      OctetParam(OSSL_KDF_PARAM_PASSWORD, input), OctetParam(OSSL_KDF_PARAM_SALT, salt),
      OSSL_PARAM_construct_uint(OSSL_KDF_PARAM_ITER, &iter),
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, const_cast<char*>("SHA256"), 0),
      OSSL_PARAM_construct_end()};
  Bytes out(length);
  if (!ctx || EVP_KDF_derive(ctx.get(), out.data(), out.size(), params) != 1) {
    Cleanse(out);
    return ossl::CryptoError("pairing KDF: PBKDF2-HMAC-SHA256 failed");
  }
  return out;
}

Result<Bytes> Scrypt(ByteSpan input, ByteSpan salt, const PasswordKdf& k, std::size_t length) {
  ossl::Kdf kdf(EVP_KDF_fetch(nullptr, "SCRYPT", nullptr));
  ossl::KdfCtx ctx(kdf ? EVP_KDF_CTX_new(kdf.get()) : nullptr);
  if (!ctx) return ossl::CryptoError("pairing KDF: scrypt is not available in this OpenSSL");
  std::uint64_t n = k.n();
  std::uint32_t r = k.r;
  std::uint32_t p = k.p;
  // OpenSSL's default limit (32 MiB) is below what N = 2^15, r = 8 needs with
  // its bookkeeping; the bounds already cap 128 * N * r at 64 MiB.
  std::uint64_t max_mem = 128 * kMaxScryptNr + (std::uint64_t{1} << 20) * 16;
  OSSL_PARAM params[] = {OctetParam(OSSL_KDF_PARAM_PASSWORD, input),
                         OctetParam(OSSL_KDF_PARAM_SALT, salt),
                         OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_N, &n),
                         OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_R, &r),
                         OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_P, &p),
                         OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_MAXMEM, &max_mem),
                         OSSL_PARAM_construct_end()};
  Bytes out(length);
  if (EVP_KDF_derive(ctx.get(), out.data(), out.size(), params) != 1) {
    Cleanse(out);
    return ossl::CryptoError("pairing KDF: scrypt failed");
  }
  return out;
}

}  // namespace

std::string PairingProverId(std::optional<int> slot, std::string_view device_id) {
  if (!slot) return "device:" + std::string(device_id);
  char text[16];
  std::snprintf(text, sizeof text, "slot:%02d", *slot);
  return text;
}

Status CheckPasswordKdf(const PasswordKdf& kdf) {
  if (kdf.kind == PasswordKdf::Kind::kPbkdf2Sha256) {
    if (kdf.iterations < kMinPbkdfIterations || kdf.iterations > kMaxPbkdfIterations) {
      return Invalid("the PBKDF2 iteration count must be 1000 to 100000");
    }
    return Status::Ok();
  }
  if (kdf.log2_n < kMinScryptLog2N || kdf.log2_n > kMaxScryptLog2N) {
    return Invalid("scrypt's N must be a power of two from 2^14 to 2^16");
  }
  if (kdf.r < 1 || kdf.r > kMaxScryptR || kdf.p < 1 || kdf.p > kMaxScryptP) {
    return Invalid("scrypt's r must be 1 to 16 and p 1 to 4");
  }
  if (kdf.n() * kdf.r > kMaxScryptNr || kdf.n() * kdf.r * kdf.p > kMaxScryptNrp) {
    return Invalid("scrypt's parameters ask for more than 64 MiB or 4x the default work");
  }
  return Status::Ok();
}

std::string FormatPasswordKdf(const PasswordKdf& kdf) {
  if (kdf.kind == PasswordKdf::Kind::kPbkdf2Sha256) {
    return std::string(kKdfPbkdf2) + "$" + std::to_string(kdf.iterations);
  }
  return std::string(kKdfScrypt) + "$" + std::to_string(kdf.log2_n) + "$" + std::to_string(kdf.r) +
         "$" + std::to_string(kdf.p);
}

Result<PasswordKdf> ParsePasswordKdf(std::string_view text) {
  const std::vector<std::string_view> parts = Split(text, '$');
  std::optional<PasswordKdf> kdf;
  if (parts[0] == kKdfScrypt && parts.size() == 1) {
    kdf = PasswordKdf::Scrypt();
  } else if (parts[0] == kKdfScrypt && parts.size() == 4) {
    auto log2_n = ParseNumber<int>(parts[1]);
    auto r = ParseNumber<std::uint32_t>(parts[2]);
    auto p = ParseNumber<std::uint32_t>(parts[3]);
    if (log2_n && r && p) kdf = PasswordKdf::Scrypt(*log2_n, *r, *p);
  } else if (parts[0] == kKdfPbkdf2 && parts.size() == 1) {
    kdf = PasswordKdf::Pbkdf2();
  } else if (parts[0] == kKdfPbkdf2 && parts.size() == 2) {
    if (auto iterations = ParseNumber<std::uint32_t>(parts[1]))
      kdf = PasswordKdf::Pbkdf2(*iterations);
  }
  if (!kdf) {
    return Invalid(
        "expected 'scrypt', 'scrypt$<log2 N>$<r>$<p>', 'pbkdf2-sha256' or "
        "'pbkdf2-sha256$<iterations>'");
  }
  HOMECA_RETURN_IF_ERROR(CheckPasswordKdf(*kdf));
  return *kdf;
}

Bytes EncodeKdfInput(std::string_view password, ByteSpan id_prover, ByteSpan id_verifier) {
  Bytes out;
  out.reserve(24 + password.size() + id_prover.size() + id_verifier.size());
  AppendWithLength(
      out, ByteSpan(reinterpret_cast<const std::uint8_t*>(password.data()), password.size()));
  AppendWithLength(out, id_prover);
  AppendWithLength(out, id_verifier);
  return out;
}

Result<Bytes> StretchPassword(ByteSpan input, ByteSpan salt, const PasswordKdf& kdf,
                              std::size_t length) {
  if (input.empty()) return Invalid("the password is empty");
  if (salt.size() < kMinPbkdfSaltSize || salt.size() > kMaxPbkdfSaltSize) {
    return Invalid("the salt must be 16 to 32 bytes");
  }
  HOMECA_RETURN_IF_ERROR(CheckPasswordKdf(kdf));
  return kdf.kind == PasswordKdf::Kind::kPbkdf2Sha256 ? Pbkdf2(input, salt, kdf.iterations, length)
                                                      : Scrypt(input, salt, kdf, length);
}

}  // namespace homeca::enroll
