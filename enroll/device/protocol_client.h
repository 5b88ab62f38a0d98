// The device side of the enrollment protocol (docs/enrollment-protocol.md),
// over any Transport:
//
//   PairDevice: start -> the announced KDF (scrypt or PBKDF2) -> exchange
//   -> check confirmV -> finish with the sealed CSR -> open the sealed
//   answer -> verify the chain to the root it carried, for the assigned
//   names and this device's key.
//
//   Renew: POST renew with a fresh CSR over mutually authenticated TLS ->
//   verify the new chain to the root the device already holds.
//
//   CheckIn: POST checkin with `{}` over the same mutually authenticated TLS
//   as renewal -> the address the CA saw this device at, and its names.
//
// Nothing unauthenticated is ever returned: a pairing result exists only once
// the answer opened under the PAKE key and its chain verified; a renewal
// result only once its chain verified to the stored root. Neither function
// touches files (see device_files.h).
//
// The pairing code is checked locally first (PairingCode::Check), so a typo
// never reaches the network. Error messages never contain the code.
//
// Thread-safety: each call is independent; the transport must not be shared
// with a concurrent call. Ownership: borrows its arguments for the call.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ca/base/clock.h"
#include "ca/x509/certificate.h"
#include "ca/x509/key.h"
#include "enroll/device/endpoint_url.h"
#include "enroll/device/transport.h"
#include "enroll/pake/spake2plus.h"
#include "enroll/protocol/errors.h"
#include "enroll/protocol/messages.h"

namespace homeca::enroll {

// What a successful pairing or renewal hands the device.
struct Enrollment {
  ca::PrivateKey key;
  std::vector<ca::Certificate> chain;  // leaf first, then the intermediate(s)
  ca::Certificate root;
  std::vector<std::string> names;
  std::int64_t not_after = 0;  // the leaf's, unix seconds
  std::string renew_url;
  // Where the device reached the CA when pairing (not part of the protocol):
  // the CA's own name (renew_url's host) may not resolve on the LAN.
  std::string ca_url;
};

struct PairingOptions {
  // Empty: the device identifies itself with the slot in the code's first two
  // digits (the CA made the code). Otherwise the device brings its own code
  // and identifies itself with this id (1-64 of A-Z a-z 0-9 . _ -).
  std::string device_id;
  // Path of the enrollment API on the transport's origin.
  std::string base_path = std::string(kDefaultEnrollPath);
  // Only for the CSR's subject; the CA ignores it. Default: the device id, or
  // "homeca device".
  std::string csr_common_name;
  const ca::Clock* clock = &ca::SystemClock::Instance();  // to check validity dates
  // Lower-case hex prefix of the root's SHA-256 fingerprint, when the device
  // learned one elsewhere (the CA's mDNS TXT record, the onboarding page):
  // the sealed root must match it. Empty: no such check.
  std::string root_fingerprint_prefix;
  // w0 and w1 already derived from the code with this salt and KDF (RFC 9383
  // lets a prover keep those instead of the password). Used only when the
  // CA's start answer names exactly this salt and KDF; the device then skips
  // the stretch. Otherwise the code is stretched as usual.
  struct PrecomputedSecrets {
    Bytes salt;
    PasswordKdf kdf;
    ProverSecrets secrets;
  };
  std::optional<PrecomputedSecrets> precomputed_secrets;
  // For a device that polls with its own code (`homeca-enroll wait`): the
  // salt of an arming whose key confirmation already failed (the admin typed
  // another code). If `start` answers with this salt, PairDevice stops before
  // the exchange with kBadConfirmation: that arming would fail again and
  // spend another of its five attempts. A new arming has a new salt.
  Bytes skip_salt;
  // When set, receives the salt of the arming this run started on.
  Bytes* seen_salt = nullptr;
  // When set, becomes true if the CA's confirmV did not verify: one guess at
  // the code was spent (pairing_lockout.h counts these).
  bool* confirmation_failed = nullptr;
};

Result<Enrollment> PairDevice(Transport& transport, std::string_view code,
                              const ca::PrivateKey& key, const PairingOptions& options);

struct RenewalOptions {
  std::string renew_path = std::string(kDefaultEnrollPath) + "/renew";
  std::string csr_common_name = "homeca device";
  const ca::Clock* clock = &ca::SystemClock::Instance();
};

// `transport` must present the current certificate as its TLS client
// certificate and verify the server against `root`. `key` is the key the new
// certificate is for (the current one, or a new one). The result carries
// `root` and `renew_url` through unchanged.
Result<Enrollment> Renew(Transport& transport, const ca::PrivateKey& key,
                         const ca::Certificate& root, const std::string& renew_url,
                         const RenewalOptions& options);

// What a check-in tells the device: CheckInAnswer (enroll/protocol/messages.h).
// `transport` as for Renew (the current certificate as TLS client
// certificate, the server verified against the stored root). `checkin_path`
// is the check-in endpoint's path (CheckInPath of the renew path). Fails
// with kBadResponse unless the answer's address is an IP address and its
// names printable text.
Result<CheckInAnswer> CheckIn(Transport& transport, const std::string& checkin_path);

// The check-in endpoint beside a renew endpoint: `renew_path` with its last
// segment replaced ("/enroll/v1/renew" -> "/enroll/v1/checkin").
std::string CheckInPath(const std::string& renew_path);

// kInvalidCode with a message naming the problem (malformed, typo, trivial)
// unless `code` is an acceptable pairing code. Purely local.
Status CheckPairingCode(std::string_view code);

}  // namespace homeca::enroll
