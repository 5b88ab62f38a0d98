// Sealing of the enrollment messages sent after SPAKE2+ key confirmation
// (the CSR one way; the certificate, chain and root the other), so the device
// learns the root from a channel the pairing code authenticated.
//
// One SealKey per direction, derived from K_shared with HKDF-SHA256 and a
// caller-given info string (kSealInfoDeviceToCa, kSealInfoCaToDevice), so a
// message can never be reflected back to its sender. Sealed form:
//   nonce (12 random bytes) || AES-256-GCM ciphertext || tag (16 bytes).
// Random nonces are safe well beyond the few messages of a pairing (NIST SP
// 800-38D section 8.3 allows 2^32 per key). Sealing does not stop replay or
// reordering: bind the message type and any sequence number in `aad`.
//
// Thread-safety: a SealKey is immutable after Derive; Seal and Open may run
// concurrently. Ownership: a SealKey owns its key bytes and wipes them when
// destroyed.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "ca/base/encoding.h"
#include "ca/base/status.h"

namespace homeca::enroll {

inline constexpr std::string_view kSealInfoDeviceToCa = "homeca v1 device->ca";
inline constexpr std::string_view kSealInfoCaToDevice = "homeca v1 ca->device";

inline constexpr std::size_t kSealKeySize = 32;
inline constexpr std::size_t kSealNonceSize = 12;
inline constexpr std::size_t kSealTagSize = 16;
inline constexpr std::size_t kSealOverhead = kSealNonceSize + kSealTagSize;
// Far above any enrollment message; keeps OpenSSL's int lengths safe.
inline constexpr std::size_t kMaxSealPlaintext = std::size_t{1} << 30;

class SealKey {
 public:
  // HKDF-SHA256(salt = nil, ikm = k_shared, info) -> 32 bytes. InvalidArgument
  // when k_shared is shorter than 32 bytes or info is empty.
  static Result<SealKey> Derive(std::span<const std::uint8_t> k_shared, std::string_view info);

  SealKey(const SealKey& other) = default;
  SealKey& operator=(const SealKey& other) = default;
  ~SealKey();

  // nonce || ciphertext || tag, authenticating `aad` as well.
  Result<Bytes> Seal(std::span<const std::uint8_t> plaintext,
                     std::span<const std::uint8_t> aad) const;

  // The plaintext, or InvalidArgument when `sealed` is too short or fails
  // authentication (tampered, another key, or other associated data).
  Result<Bytes> Open(std::span<const std::uint8_t> sealed, std::span<const std::uint8_t> aad) const;

 private:
  SealKey() = default;
  std::array<std::uint8_t, kSealKeySize> key_{};
};

}  // namespace homeca::enroll
