// The device's whole jobs, from a CA URL and a set of file paths: pair
// (generate a key, run the protocol over HTTPS, install the files), renew
// (load the files, make a new key, renew over mutual TLS, install the new
// certificate and key) and check in (tell the CA, over the same mutual TLS,
// where the device is now). The
// C API, the C++ API and the homeca-enroll CLI are thin layers over these.
//
// Thread-safety: calls on distinct paths are independent; calls on the same
// paths must be serialized by the caller. Ownership: borrows its arguments.
#pragma once

#include <string>
#include <string_view>

#include "enroll/device/device_files.h"
#include "enroll/device/https_transport.h"
#include "enroll/device/pairing_lockout.h"
#include "enroll/device/protocol_client.h"

namespace homeca::enroll {

struct EnrollerConfig {
  // For pairing. For renewal, where to connect when given (see RenewalTarget).
  std::string ca_url;
  DevicePaths paths = DevicePaths::Under(kDefaultStateDir);
  std::string device_id;  // see PairingOptions::device_id
  std::string name_hint;  // the CSR's subject CN; the CA decides the names regardless
  // Hex prefix of the root's SHA-256 the sealed root must match (from the
  // CA's mDNS record); empty: no such check. See PairingOptions.
  std::string root_fingerprint_prefix;
  // See PairingOptions::skip_salt and seen_salt (`homeca-enroll wait`).
  Bytes skip_salt;
  Bytes* seen_salt = nullptr;
  ca::KeyAlgorithm key_algorithm = ca::KeyAlgorithm::kEcP256;
  // For a device with its own code (device_id set): failed key confirmations
  // are counted in the state directory, with a pause after each and a stop
  // after max_failures (pairing_lockout.h). Times come from `clock`.
  LockoutPolicy lockout;
  HttpsTimeouts timeouts;
  const ca::Clock* clock = &ca::SystemClock::Instance();
};

// Checks the code and the paths before anything reaches the network, then
// pairs and installs the result. With a device id, first checks the pairing
// lockout (kLockedOut, kBackingOff) and counts a failed key confirmation.
Result<Enrollment> PairAndInstall(const EnrollerConfig& config, std::string_view code);
// As PairAndInstall, at an endpoint already known (found over mDNS: its host
// may be an IPv6 link-local address with a scope, which URLs cannot carry).
Result<Enrollment> PairAndInstallAt(const EnrollerConfig& config, const Endpoint& endpoint,
                                    std::string_view code);
// As PairAndInstall, over `transport` (tests; in-process pairing).
Result<Enrollment> PairAndInstallWith(Transport& transport, const EnrollerConfig& config,
                                      std::string_view code, const std::string& base_path);

// Renews the installed certificate with a new key of the same kind: the new
// key is written as the pending key (key path + ".next", device_files.h)
// before the request is sent, and replaces the key file only after the new
// certificate is installed (InstallRenewal), so a crash at any point leaves a
// usable pair. A pending key left by an interrupted renewal is reused, and the
// CA then answers with the certificate it already issued for it; a renewal
// the CA refuses for good (superseded, revoked, ...) removes the pending key.
// The key file keeps its path.
Result<Enrollment> RenewAndInstall(const EnrollerConfig& config);
// As RenewAndInstall, over `transport`, for `installed` (as loaded from
// config.paths).
Result<Enrollment> RenewAndInstallWith(Transport& transport, const EnrollerConfig& config,
                                       const Enrollment& installed, const std::string& renew_path);

// Checks in with the installed certificate and key: over mutual TLS to the
// renewal's target (ResolveRenewalTarget), at the check-in path beside the
// renew path. Reads the files, writes none.
Result<CheckInAnswer> CheckInInstalled(const EnrollerConfig& config);

// Where a renewal connects, and whom it must find there. The server must
// prove, with a certificate from the stored root, the host name of the
// renew_url the CA sent sealed at pairing (its own name, e.g. ca.home.arpa).
// It is reached at the address given now (config.ca_url), else the one that
// worked for pairing, else the renew_url's own host: a LAN often cannot
// resolve the CA's .home.arpa name, and the address alone proves nothing.
struct RenewalTarget {
  Endpoint connect;         // host, port, and the renew path
  std::string verify_host;  // the name (or IP) the server certificate must carry
};
// `renew_url` and `paired_ca_url` as stored at pairing (either may be empty).
Result<RenewalTarget> ResolveRenewalTarget(const EnrollerConfig& config,
                                           const std::string& renew_url,
                                           const std::string& paired_ca_url);

}  // namespace homeca::enroll
