// SPAKE2+ (RFC 9383), the augmented PAKE behind device pairing, with the
// ciphersuite P256-SHA256-HKDF-SHA256-HMAC-SHA256.
//
// The device is always the Prover: it knows the pairing code and derives
// (w0, w1) from it. The CA is always the Verifier and stores only the
// registration record (w0, L = w1*G): a copy of the CA's store does not by
// itself let anyone pose as the device (RFC 9383 section 1); the code would
// first have to be guessed offline against the record, which short-lived,
// single-use codes make pointless. One session:
//
//   Prover (device)                           Verifier (CA)
//   p = Spake2PlusProver::Create(...)
//   p.share_p()            -- shareP -->      v = Spake2PlusVerifier::Create(...)
//                                             r = v.Respond(shareP)
//                    <-- shareV, confirmV --
//   c = p.Finish(shareV, confirmV)
//                          -- confirmP -->    v.Finish(confirmP)
//   p.SharedKey()                             v.SharedKey()
//
// Each side has K_shared only once it has checked the peer's confirmation.
// Sessions are single-use: after any failure every later call fails too, so
// each attempt counts against the code.
//
// Thread-safety: a session object is not thread-safe; distinct objects are
// independent. Ownership: each object owns its OpenSSL state and secrets, and
// every secret here (w0, w1, x, y, Z, V, keys) is wiped when its owner dies.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <utility>

#include "ca/base/encoding.h"
#include "ca/base/status.h"
#include "enroll/pake/password_kdf.h"

namespace homeca::enroll {

// A byte string that is wiped (Cleanse) when destroyed or overwritten.
class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(Bytes b) : b_(std::move(b)) {}
  SecretBytes(const SecretBytes&) = default;
  SecretBytes(SecretBytes&& other) noexcept : b_(std::move(other.b_)) { other.b_.clear(); }
  // Copy-and-swap: the parameter takes the old bytes and wipes them on return.
  SecretBytes& operator=(SecretBytes other) noexcept {
    b_.swap(other.b_);
    return *this;
  }
  ~SecretBytes() { Cleanse(b_); }

  const Bytes& bytes() const { return b_; }
  std::span<const std::uint8_t> span() const { return b_; }
  std::size_t size() const { return b_.size(); }
  bool empty() const { return b_.empty(); }

 private:
  Bytes b_;
};

inline constexpr std::size_t kSpakeScalarSize = 32;  // P-256 scalars, big-endian
inline constexpr std::size_t kSpakePointSize = 65;   // uncompressed SEC1 points
inline constexpr std::size_t kSpakeHashSize = 32;    // SHA-256, HMAC-SHA256

// Context and identities bound into the transcript TT (RFC 9383 section 3.4).
// Both sides must use identical bytes, or key confirmation fails.
struct Spake2PlusIds {
  Bytes context;
  Bytes id_prover;
  Bytes id_verifier;
};

// What the Prover derives from the pairing code: w0 and w1, 32 bytes each,
// reduced mod the group order.
struct ProverSecrets {
  SecretBytes w0;
  SecretBytes w1;
};

// What the Verifier stores: w0 and L = w1*G (uncompressed SEC1).
struct VerifierRecord {
  SecretBytes w0;
  Bytes l;
};

// w0s || w1s = KDF(len(pw) || pw || len(idProver) || idProver ||
//                  len(idVerifier) || idVerifier, salt, 80 bytes);
// w0 = w0s mod n, w1 = w1s mod n (RFC 9383 section 3.2; enroll/pake/password_kdf.h).
// The identities must be the ones the session's transcript binds.
// InvalidArgument for an empty password, or a salt or KDF parameters outside
// the bounds in password_kdf.h.
Result<ProverSecrets> DeriveProverSecrets(std::string_view password, std::string_view id_prover,
                                          std::string_view id_verifier,
                                          std::span<const std::uint8_t> salt,
                                          const PasswordKdf& kdf);

// The Verifier's record for these secrets: (w0, L = w1*G).
Result<VerifierRecord> MakeVerifierRecord(const ProverSecrets& secrets);

// The ciphersuite's KDF: HKDF-SHA256 with an empty salt. Also used to derive
// the sealing keys from K_shared (enroll/pake/seal.h).
Result<SecretBytes> HkdfSha256(std::span<const std::uint8_t> ikm, std::string_view info,
                               std::size_t length);

// Every value of one run, for the RFC test vector and for tests. Holds
// secrets: never log it.
struct Spake2PlusTranscript {
  Bytes share_p;
  Bytes share_v;
  SecretBytes z;
  SecretBytes v;
  SecretBytes tt;
  SecretBytes k_main;
  SecretBytes k_confirm_p;
  SecretBytes k_confirm_v;
  Bytes confirm_p;
  Bytes confirm_v;
  SecretBytes k_shared;
};

namespace detail {
struct Spake2PlusSession;
}

class Spake2PlusProver {
 public:
  // Picks the random scalar x and computes shareP.
  static Result<Spake2PlusProver> Create(const Spake2PlusIds& ids, const ProverSecrets& secrets);
  // As Create, with a fixed x (32 bytes, in [1, n-1]): for test vectors only.
  static Result<Spake2PlusProver> CreateForTesting(const Spake2PlusIds& ids,
                                                   const ProverSecrets& secrets,
                                                   std::span<const std::uint8_t> x);

  Spake2PlusProver(Spake2PlusProver&&) noexcept;
  Spake2PlusProver& operator=(Spake2PlusProver&&) noexcept;
  ~Spake2PlusProver();

  // shareP, to send to the Verifier.
  const Bytes& share_p() const;

  // Checks the Verifier's shareV and confirmV; on success returns confirmP to
  // send back. Fails (and ends the session) on an invalid point or a wrong
  // confirmV, which is what a wrong pairing code looks like.
  Result<Bytes> Finish(std::span<const std::uint8_t> share_v,
                       std::span<const std::uint8_t> confirm_v);

  // K_shared, once Finish succeeded.
  Result<SecretBytes> SharedKey() const;

  // Filled by Finish (also when confirmV was wrong); for tests.
  const Spake2PlusTranscript& TranscriptForTesting() const;

 private:
  explicit Spake2PlusProver(std::unique_ptr<detail::Spake2PlusSession> session);
  std::unique_ptr<detail::Spake2PlusSession> session_;
};

class Spake2PlusVerifier {
 public:
  struct Response {
    Bytes share_v;
    Bytes confirm_v;
  };

  static Result<Spake2PlusVerifier> Create(const Spake2PlusIds& ids, const VerifierRecord& record);
  // As Create, with a fixed y (32 bytes, in [1, n-1]): for test vectors only.
  static Result<Spake2PlusVerifier> CreateForTesting(const Spake2PlusIds& ids,
                                                     const VerifierRecord& record,
                                                     std::span<const std::uint8_t> y);

  Spake2PlusVerifier(Spake2PlusVerifier&&) noexcept;
  Spake2PlusVerifier& operator=(Spake2PlusVerifier&&) noexcept;
  ~Spake2PlusVerifier();

  // Takes the Prover's shareP; returns shareV and confirmV to send. Fails (and
  // ends the session) when shareP is not a valid point.
  Result<Response> Respond(std::span<const std::uint8_t> share_p);

  // Checks confirmP in constant time. Failure means a wrong pairing code.
  Status Finish(std::span<const std::uint8_t> confirm_p);

  // K_shared, once Finish succeeded.
  Result<SecretBytes> SharedKey() const;

  // Filled by Respond; for tests.
  const Spake2PlusTranscript& TranscriptForTesting() const;

 private:
  explicit Spake2PlusVerifier(std::unique_ptr<detail::Spake2PlusSession> session);
  std::unique_ptr<detail::Spake2PlusSession> session_;
};

}  // namespace homeca::enroll
