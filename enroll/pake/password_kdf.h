// The password KDF of SPAKE2+ (RFC 9383 section 3.2) as homeca uses it:
//
//   w0s || w1s = KDF(len(pw) || pw || len(idProver) || idProver ||
//                    len(idVerifier) || idVerifier, salt, 80 bytes)
//
// where len() is the 8-byte little-endian length (RFC 9383 section 3.2 and
// the definition of len() in section 3.4). The KDF is a parameter the CA
// announces in its `start` answer (docs/enrollment-protocol.md):
//   - scrypt (RFC 7914, OpenSSL's EVP_KDF "SCRYPT"), memory-hard, for every
//     code the CA makes and for devices that can afford it;
//   - PBKDF2-HMAC-SHA256, only for a constrained device that asks for it.
// The identities are the ones bound into the transcript: idProver is
// "slot:NN" or "device:<device id>", idVerifier is "homeca" (PairingProverId,
// kPairingVerifierId), so both sides derive from the same bytes.
//
// Bounds: a device must never let a CA (or an impostor) make it allocate
// gigabytes or spin for minutes, nor weaken the stretch below a floor. Every
// entry point checks them (CheckPasswordKdf).
//
// Thread-safety: stateless. Each scrypt call allocates about 128 * N * r bytes
// (32 MiB with the defaults) for its duration.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "ca/base/encoding.h"
#include "ca/base/status.h"

namespace homeca::enroll {

// Salt bounds, for either KDF.
inline constexpr std::size_t kMinPbkdfSaltSize = 16;
inline constexpr std::size_t kMaxPbkdfSaltSize = 32;
// PBKDF2-HMAC-SHA256 iteration bounds.
inline constexpr std::uint32_t kMinPbkdfIterations = 1000;
inline constexpr std::uint32_t kMaxPbkdfIterations = 100000;
// scrypt bounds. N is a power of two between 2^14 and 2^16; r 1..16; p 1..4;
// memory 128 * N * r at most 64 MiB (N * r <= 2^19), and work N * r * p at
// most 2^20 (about four times the default's).
inline constexpr int kMinScryptLog2N = 14;
inline constexpr int kMaxScryptLog2N = 16;
inline constexpr std::uint32_t kMaxScryptR = 16;
inline constexpr std::uint32_t kMaxScryptP = 4;
inline constexpr std::uint64_t kMaxScryptNr = std::uint64_t{1} << 19;
inline constexpr std::uint64_t kMaxScryptNrp = std::uint64_t{1} << 20;

// Wire names of the KDFs (the `kdf` field of the start answer).
inline constexpr std::string_view kKdfScrypt = "scrypt";
inline constexpr std::string_view kKdfPbkdf2 = "pbkdf2-sha256";

// The verifier identity of every homeca CA (RFC 9383 idVerifier).
inline constexpr std::string_view kPairingVerifierId = "homeca";

// RFC 9383 idProver: "slot:NN" (two digits) for a code the CA made, or
// "device:<device id>" for a device's own code.
std::string PairingProverId(std::optional<int> slot, std::string_view device_id);

struct PasswordKdf {
  enum class Kind { kScrypt, kPbkdf2Sha256 };
  Kind kind = Kind::kScrypt;
  int log2_n = 0;                // scrypt: N = 2^log2_n
  std::uint32_t r = 0;           // scrypt
  std::uint32_t p = 0;           // scrypt
  std::uint32_t iterations = 0;  // PBKDF2

  // N = 2^15, r = 8, p = 1: 32 MiB and about 0.1 s on a Raspberry Pi 4
  // (RFC 7914 section 2's interactive figure; the same as the admin password).
  static PasswordKdf Scrypt(int log2_n = 15, std::uint32_t r = 8, std::uint32_t p = 1) {
    return {Kind::kScrypt, log2_n, r, p, 0};
  }
  // 20,000 iterations: about 10 ms on a Raspberry Pi 4.
  static PasswordKdf Pbkdf2(std::uint32_t iterations = 20000) {
    return {Kind::kPbkdf2Sha256, 0, 0, 0, iterations};
  }
  std::uint64_t n() const { return std::uint64_t{1} << log2_n; }
  bool operator==(const PasswordKdf&) const = default;
};

// The KDF for codes the CA makes, and for devices that do not ask for PBKDF2.
inline PasswordKdf DefaultPairingKdf() { return PasswordKdf::Scrypt(); }

// InvalidArgument naming the bound when `kdf` is outside the bounds above.
Status CheckPasswordKdf(const PasswordKdf& kdf);

// A one-line parameter string, for storage and for people:
// "scrypt$<log2 N>$<r>$<p>" or "pbkdf2-sha256$<iterations>".
std::string FormatPasswordKdf(const PasswordKdf& kdf);
// The reverse; also accepts a bare "scrypt" (the defaults) or "pbkdf2-sha256"
// (20,000 iterations), as typed on a command line. Checked against the bounds.
Result<PasswordKdf> ParsePasswordKdf(std::string_view text);

// len(pw) || pw || len(idProver) || idProver || len(idVerifier) || idVerifier,
// lengths as 8-byte little-endian (RFC 9383 section 3.2). Holds the password.
Bytes EncodeKdfInput(std::string_view password, std::span<const std::uint8_t> id_prover,
                     std::span<const std::uint8_t> id_verifier);

// KDF(input, salt) for `length` bytes. InvalidArgument for parameters or a
// salt outside the bounds, or an empty input.
Result<Bytes> StretchPassword(std::span<const std::uint8_t> input,
                              std::span<const std::uint8_t> salt, const PasswordKdf& kdf,
                              std::size_t length);

}  // namespace homeca::enroll
