// Pairing administration: what the admin does before a device pairs
// (docs/enrollment-protocol.md, "Pairing codes"). Either the CA makes a code
// for a free slot and shows it once, or the admin arms a pairing for a device
// that brought its own code. Either way only the SPAKE2+ verifier record
// (salt, iterations, w0, L) is stored, never the code, and the names are
// checked against the CA's NamePolicy now, so a bad name fails here rather
// than when the device pairs.
//
// Thread-safety: the functions may be called concurrently; the store
// serializes them. Ownership: they borrow the Authority for the call.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ca/authority.h"
#include "ca/base/status.h"
#include "enroll/pake/pairing_code.h"
#include "enroll/pake/password_kdf.h"

namespace homeca::enroll {

// The KDF behind a pairing's verifier record (enroll/pake/password_kdf.h): scrypt
// (DefaultPairingKdf) for every code the CA makes; a device that brings its
// own code may ask for PBKDF2 (PasswordKdf::Pbkdf2()) when it cannot afford
// scrypt's 32 MiB.
inline constexpr std::size_t kPairingSaltSize = 16;
inline constexpr std::int64_t kDefaultPairingTtlSeconds = 10 * 60;
inline constexpr std::int64_t kMinPairingTtlSeconds = 60;
inline constexpr std::int64_t kMaxPairingTtlSeconds = 24 * 3600;

// What to do when a name is already a device's, or already waiting to pair:
// refuse (AlreadyExists, in words that offer replacing), or replace: a
// waiting pairing is cancelled, and a paired device is revoked (superseded)
// when the new pairing completes, in the same transaction.
enum class NameReuse { kRefuse, kReplace };

// A pairing whose code the CA made. `code` is the one copy there will ever
// be: show it to the admin and drop it.
struct CodePairing {
  std::int64_t id = 0;
  PairingCode code;
  std::vector<std::string> names;  // as the certificate will carry them
  std::int64_t expires_at = 0;     // unix seconds
};

// A pairing armed for a device's own code.
struct DevicePairing {
  std::int64_t id = 0;
  std::string device_id;
  std::vector<std::string> names;
  std::int64_t expires_at = 0;
};

// Makes a code for a random free slot and stores its pairing for `names`
// (bare labels like "nas" mean nas.home.arpa). InvalidArgument or
// PolicyViolation for names the CA may not certify or a TTL outside
// 60 s..24 h; FailedPrecondition when all 100 slots are taken.
// AlreadyExists when a name is in use and `reuse` is kRefuse.
Result<CodePairing> CreateCodePairing(ca::Authority& authority,
                                      const std::vector<std::string>& names,
                                      std::int64_t ttl_seconds = kDefaultPairingTtlSeconds,
                                      const std::string& actor = "cli",
                                      NameReuse reuse = NameReuse::kRefuse);

// "New code": the same names with a fresh code for pairing `pairing_id`,
// which is waiting (it is cancelled: its code stops working), failed or
// expired; what it replaced, it still replaces. FailedPrecondition for a
// pairing that paired or was cancelled, or one armed for a device's own code
// (only the device can bring a new one); NotFound for an unknown id.
Result<CodePairing> RenewPairingCode(ca::Authority& authority, std::int64_t pairing_id,
                                     std::int64_t ttl_seconds = kDefaultPairingTtlSeconds,
                                     const std::string& actor = "cli");

// Arms a pairing for `device_id` with the device's own code. Refuses codes
// with a typo or a trivial secret (PairingCode::Parse); errors never repeat
// the code. AlreadyExists when a pairing is already waiting for that device.
// `kdf` is what the device asked for (its mDNS record's `kdf`), default scrypt.
Result<DevicePairing> ArmDevicePairing(ca::Authority& authority, std::string_view device_id,
                                       std::string_view code_text,
                                       const std::vector<std::string>& names,
                                       std::int64_t ttl_seconds = kDefaultPairingTtlSeconds,
                                       const std::string& actor = "cli",
                                       const PasswordKdf& kdf = DefaultPairingKdf(),
                                       NameReuse reuse = NameReuse::kRefuse);

// Expands bare labels, adds "<label>.local" beside "<label>.home.arpa" where
// .local is permitted (ca::PairingNamesFor), and checks the names against
// `policy` as the signing path will (ca::CheckNames, names reserved for the
// CA refused); the normalized names, in order, without duplicates.
Result<std::vector<std::string>> CheckPairingNames(const ca::NamePolicy& policy,
                                                   const std::vector<std::string>& names);

// Who holds one of `names` (checked names) now: an active (unrevoked)
// device, or a pairing waiting to pair.
struct NameHolder {
  std::int64_t pairing_id = 0;
  bool paired = false;  // a device; false: a waiting pairing
  std::string name;     // the name they share
};
// `except_device`: a device not counted (the one a pairing replaces).
Result<std::optional<NameHolder>> FindNameHolder(ca::Authority& authority,
                                                 const std::vector<std::string>& names,
                                                 std::int64_t now, std::int64_t except_device = 0);
// The refusal for a name in use, in plain words; the CLI and the web UI
// show the same sentence.
std::string NameInUseMessage(const NameHolder& holder);
// Applies `reuse` to whoever holds `names`: AlreadyExists (NameInUseMessage)
// for kRefuse; for kReplace a waiting pairing is cancelled. Returns the
// device to replace when its pairing completes, 0 for none.
Result<std::int64_t> ClaimNames(ca::Authority& authority, const std::vector<std::string>& names,
                                NameReuse reuse, const std::string& actor);
// Stores `pairing` (PairingStore::CreatePairing). The store refuses a name
// held by someone else in the transaction that stores it; that refusal,
// which ClaimNames's look a moment earlier did not see (another admin, or
// the CLI beside homecad, took the name in between), is told in
// NameInUseMessage's words and keeps the reason ca::kPairingNameHeld.
Result<std::int64_t> StorePairingForNames(ca::Authority& authority, const ca::NewPairing& pairing);
// Stores a code pairing for names CheckPairingNames already checked.
Result<CodePairing> CreateCheckedCodePairing(ca::Authority& authority,
                                             const std::vector<std::string>& checked,
                                             std::int64_t ttl_seconds, const std::string& actor,
                                             std::int64_t replaces);

}  // namespace homeca::enroll
