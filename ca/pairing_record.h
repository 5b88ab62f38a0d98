// Pairings as the certificate store keeps them: a waiting device enrollment
// (docs/enrollment-protocol.md) with the names the admin chose and the
// SPAKE2+ verifier record (salt, iterations, w0, L) derived from its code.
// The code itself is never stored.
//
// A pairing is identified on the wire either by a public slot (00-99, a code
// the CA made) or by a device id (a code the device brought). At most one
// armed pairing holds a slot or a device id at a time.
//
// Thread-safety: plain values. Ownership: a PairingVerifier owns w0 and wipes
// it when destroyed or overwritten.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ca/base/encoding.h"

namespace homeca::ca {

// Life of a pairing: armed -> paired | burned | cancelled | expired. Only an
// armed pairing can be used; the other states are final.
enum class PairingState { kArmed, kPaired, kBurned, kCancelled, kExpired };
const char* ToString(PairingState state);

// Which waiting pairing a device means: a slot or a device id, never both.
struct PairingKey {
  std::optional<int> slot;  // 0-99
  std::string device_id;    // when there is no slot

  static PairingKey Slot(int slot) { return PairingKey{slot, {}}; }
  static PairingKey Device(std::string id) { return PairingKey{std::nullopt, std::move(id)}; }
  // "slot 07" or "device tv-livingroom", for messages and the audit log.
  std::string Describe() const;
};

// The verifier's half of SPAKE2+ (RFC 9383 section 3.2): w0 and L = w1*G
// (65-byte uncompressed point). With w0 and a guess at the code, anyone can
// pose as the CA to a device, so w0 is wiped when this object goes away, and
// the store erases both as soon as the pairing stops being armed.
struct PairingVerifier {
  Bytes w0;
  Bytes l;

  PairingVerifier() = default;
  PairingVerifier(Bytes w0_in, Bytes l_in) : w0(std::move(w0_in)), l(std::move(l_in)) {}
  PairingVerifier(const PairingVerifier&) = default;
  PairingVerifier(PairingVerifier&&) noexcept = default;
  // Copy-and-swap: the parameter takes the old w0 and wipes it on return.
  PairingVerifier& operator=(PairingVerifier other) noexcept {
    w0.swap(other.w0);
    l.swap(other.l);
    return *this;
  }
  ~PairingVerifier() { Cleanse(w0); }
};

inline constexpr std::size_t kMaxKdfStringSize = 64;

// Key exchanges a pairing allows before it is burned (each one is a guess at
// the code, whether or not the device finishes).
inline constexpr int kMaxPairingAttempts = 5;

// What CreatePairing stores.
struct NewPairing {
  PairingKey key;
  std::vector<std::string> names;  // already checked against the CA's NamePolicy
  Bytes salt;                      // the KDF's salt, 16-32 bytes
  std::uint32_t iterations = 0;    // the KDF's cost figure, 1000-100000
  // The password KDF's parameter string (enroll/pake/password_kdf.h), e.g.
  // "scrypt$15$8$1", printable ASCII, at most kMaxKdfStringSize; empty:
  // PBKDF2-HMAC-SHA256 with `iterations`.
  std::string kdf;
  PairingVerifier verifier;
  std::int64_t created_at = 0;  // unix seconds
  std::int64_t expires_at = 0;
  std::string created_by;  // the admin or process that made it ("cli", "admin")
  // A paired device (its pairing id) whose certificates this pairing replaces:
  // when it completes, the old device is revoked (superseded) in the same
  // transaction. 0: a new device.
  std::int64_t replaces = 0;
};

// An armed pairing with its verifier record: what the enrollment service
// needs to run SPAKE2+ as the verifier. Holds w0: never log it.
struct PairingRecord {
  std::int64_t id = 0;
  PairingKey key;
  std::vector<std::string> names;
  Bytes salt;
  std::uint32_t iterations = 0;
  std::string kdf;  // as in NewPairing
  PairingVerifier verifier;
  std::int64_t created_at = 0;
  std::int64_t expires_at = 0;
  int attempts = 0;
};

// A pairing as the CLI and the admin UI show it: no w0, no L, no salt.
struct PairingSummary {
  std::int64_t id = 0;
  PairingKey key;
  std::vector<std::string> names;
  PairingState state = PairingState::kArmed;  // armed past its expiry reads as expired
  std::int64_t created_at = 0;
  std::int64_t expires_at = 0;
  int attempts = 0;
  std::string certificate_serial;  // set when paired
  std::string created_by;
  // Attempts the CA knows went wrong: key confirmation failed, or the device
  // reported that the CA's confirmation did not match its code (a wrong
  // code typed on the device). Never more than `attempts`.
  int failed_attempts = 0;
  std::int64_t replaces = 0;  // as in NewPairing
};

struct PairingFilter {
  bool waiting_only = false;  // only armed, unexpired pairings
  std::int64_t now = 0;
  int limit = 100;  // 1..1000, newest first
};

// What counting one key exchange against a pairing did.
struct PairingAttempt {
  enum class Outcome {
    kCounted,   // the exchange may be answered; `attempts` includes it
    kBurned,    // this exchange was one too many: the pairing is now burned
    kNotArmed,  // the pairing was already paired, burned, cancelled or expired
  };
  Outcome outcome = Outcome::kCounted;
  int attempts = 0;
  PairingState state = PairingState::kArmed;  // the pairing's state afterwards
};

}  // namespace homeca::ca
