// Password hashing for the admin password: scrypt (RFC 7914) through
// OpenSSL's EVP_KDF "SCRYPT", with a random 16-byte salt and the cost
// parameters stored beside the hash, so they can be raised later without
// breaking passwords already set.
//
// Encoded form (one line, no secrets in clear):
//   scrypt$<log2 N>$<r>$<p>$<salt, base64url>$<32-byte hash, base64url>
//
// Shared by the `homeca admin set-password` CLI and homecad's login, which is
// why it lives in the CA library (no Poco, no HTTP).
//
// Thread-safety: stateless; safe from any thread. Each call allocates about
// 128 * r * N bytes (32 MiB with the defaults) for the duration of the call.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "ca/base/status.h"

namespace homeca::ca {

struct ScryptParams {
  // N = 2^15, r = 8, p = 1: the parameters RFC 7914 section 2 and OWASP give
  // for interactive logins (32 MiB, about 0.1 s on a Raspberry Pi 4).
  int log2_n = 15;
  std::uint32_t r = 8;
  std::uint32_t p = 1;
};

inline constexpr std::size_t kMinPasswordLength = 8;
inline constexpr std::size_t kMaxPasswordLength = 1024;

// InvalidArgument (with a message for the user) when `password` is shorter
// than kMinPasswordLength or longer than kMaxPasswordLength characters.
Status CheckPasswordAcceptable(std::string_view password);

// The encoded hash of `password` with a fresh random salt.
Result<std::string> HashPassword(std::string_view password, const ScryptParams& params = {});

// True when `password` matches `encoded`, false when it does not;
// InvalidArgument when `encoded` is not a hash this code understands (or its
// parameters are outside sane bounds, so a tampered record cannot make a
// login allocate gigabytes). The comparison is constant-time.
Result<bool> VerifyPassword(std::string_view password, std::string_view encoded);

}  // namespace homeca::ca
