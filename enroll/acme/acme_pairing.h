// Adding a device that has an ACME client (docs/acme.md): a pairing for its
// names with an external account binding (a key id and an HMAC key) instead
// of a pairing code. The pairing is stored like any other, armed, under the
// device id "acme:<key id>", which the enrollment protocol can never name
// (':' is not a device-id character), with a verifier record no code
// matches: only ACME can complete it. The HMAC key is shown once, here, and
// kept until the first account binds with it.
//
// Thread-safety: as the store. Ownership: borrows the Authority for the call.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ca/authority.h"
#include "ca/base/status.h"
#include "enroll/acme/eab.h"
#include "enroll/pairing_admin.h"

namespace homeca::enroll::acme {

inline constexpr std::string_view kAcmeDeviceIdPrefix = "acme:";
// How long the binding waits for the client's first account: a day.
inline constexpr std::int64_t kDefaultAcmePairingTtlSeconds = 24 * 3600;

struct AcmePairing {
  std::int64_t id = 0;
  std::vector<std::string> names;  // as the certificates will carry them
  EabCredentials eab;              // the HMAC key is a secret: show once, never log
  std::int64_t expires_at = 0;     // the binding's deadline for a first account
};

// Names as for a pairing code (bare labels mean <label>.home.arpa, .local
// beside it where permitted); the TTL as for pairings (1 minute to 24 hours).
// A name already a device's or waiting is refused (AlreadyExists, in plain
// words) unless `reuse` is kReplace, exactly as for a code pairing
// (enroll::ClaimNames): the device it replaces is superseded when the ACME
// client's first certificate completes this pairing.
Result<AcmePairing> CreateAcmePairing(ca::Authority& authority,
                                      const std::vector<std::string>& names,
                                      std::int64_t ttl_seconds = kDefaultAcmePairingTtlSeconds,
                                      const std::string& actor = "cli",
                                      NameReuse reuse = NameReuse::kRefuse);

// The certbot command that enrolls the device, for `directory_url`.
std::string CertbotRecipe(const AcmePairing& pairing, std::string_view directory_url);

// True for a pairing made by CreateAcmePairing.
bool IsAcmePairing(const ca::PairingKey& key);

}  // namespace homeca::enroll::acme
