#include "enroll/device/device_enroller.h"

#include <optional>

#include "ca/base/device_id.h"
#include "enroll/device/device_csr.h"

namespace homeca::enroll {
namespace {

// The key a renewal asks a certificate for: a new one every time, so that a
// copy of the device's files stops being the device once the device renews
// (the CA's crash-retry rule answers only to the successor's key). A pending
// key left by an earlier attempt is used again: the CA may have issued for
// it already, and then answers that attempt's certificate (the retry rule).
// A new key is on disk, synced, before anything is sent.
Result<ca::PrivateKey> NextKey(const DevicePaths& paths, const ca::PrivateKey& current) {
  Result<std::optional<ca::PrivateKey>> pending = LoadPendingKey(paths);
  if (!pending.ok()) return pending.status();
  if (pending->has_value() && (*pending)->PublicKeyDer() != current.PublicKeyDer()) {
    return std::move(**pending);
  }
  Result<ca::PrivateKey> fresh = GenerateKeyLike(current);
  if (!fresh.ok()) return Fail(EnrollError::kInternal, fresh.status());
  if (Status written = WritePendingKey(paths, *fresh); !written.ok()) {
    return written;
  }
  return std::move(fresh).value();
}

// A refusal from the CA that asking again with the same key cannot change.
bool RefusedForGood(EnrollError error) {
  return error == EnrollError::kBadCsr ||
         (IsPermanent(error) &&
          static_cast<int>(error) >= static_cast<int>(EnrollError::kBadRequest));
}

}  // namespace

Result<Enrollment> PairAndInstallWith(Transport& transport, const EnrollerConfig& config,
                                      std::string_view code, const std::string& base_path) {
  if (Status checked = CheckPairingCode(code); !checked.ok()) {
    return checked;
  }
  if (!config.device_id.empty() && !ca::IsValidDeviceId(config.device_id)) {
    return Fail(EnrollError::kInvalidArgument,
                "device id: use 1 to 64 characters from A-Z a-z 0-9 . _ -");
  }
  if (Status ready = PrepareDirectories(config.paths); !ready.ok()) {
    return ready;
  }
  // A device's own code is long-lived: limit how many guesses at it any CA
  // gets (pairing_lockout.h). A code the CA made is short-lived and single-use.
  const bool own_code = !config.device_id.empty();
  const std::filesystem::path lockout_file = LockoutFile(config.paths);
  LockoutState lockout;
  if (own_code) {
    Result<LockoutState> loaded = LoadLockout(lockout_file);
    if (!loaded.ok()) return loaded.status();
    lockout = *loaded;
    Status allowed = CheckLockout(lockout, config.lockout, config.clock->Now());
    if (!allowed.ok()) return allowed;
  }
  Result<ca::PrivateKey> key = ca::PrivateKey::Generate(config.key_algorithm);
  if (!key.ok()) return Fail(EnrollError::kInternal, key.status());
  PairingOptions options;
  options.device_id = config.device_id;
  options.csr_common_name = config.name_hint;
  options.base_path = base_path;
  options.clock = config.clock;
  options.root_fingerprint_prefix = config.root_fingerprint_prefix;
  options.skip_salt = config.skip_salt;
  options.seen_salt = config.seen_salt;
  bool confirmation_failed = false;
  options.confirmation_failed = &confirmation_failed;
  Result<Enrollment> enrollment = PairDevice(transport, code, *key, options);
  if (own_code && confirmation_failed) {
    lockout.failures += 1;
    lockout.last_failure = config.clock->Now();
    // Not counted is not allowed: without the file, stop (kIo).
    if (Status saved = SaveLockout(lockout_file, lockout); !saved.ok()) {
      return saved;
    }
    return enrollment.status().WithContext(
        "failed confirmation " + std::to_string(lockout.failures) + " of " +
        std::to_string(config.lockout.max_failures) + " before this device stops trying");
  }
  if (own_code && enrollment.ok() && lockout.failures > 0) {
    (void)ResetLockout(lockout_file);  // paired: the count served its purpose
  }
  if (!enrollment.ok()) return enrollment;
  enrollment->ca_url = config.ca_url;
  if (Status written = WriteEnrollment(config.paths, *enrollment); !written.ok()) {
    return written;
  }
  return enrollment;
}

Result<Enrollment> PairAndInstall(const EnrollerConfig& config, std::string_view code) {
  // The code is checked before the URL: a typo is the likelier mistake, and
  // neither reaches the network.
  if (Status checked = CheckPairingCode(code); !checked.ok()) {
    return checked;
  }
  if (config.ca_url.empty()) {
    return Fail(EnrollError::kInvalidArgument,
                "no CA URL: give the CA's address (discovery over mDNS is not available yet)");
  }
  Result<Endpoint> endpoint = ParseCaUrl(config.ca_url);
  if (!endpoint.ok()) return Fail(EnrollError::kInvalidArgument, endpoint.status());
  return PairAndInstallAt(config, *endpoint, code);
}

Result<Enrollment> PairAndInstallAt(const EnrollerConfig& config, const Endpoint& endpoint,
                                    std::string_view code) {
  if (Status checked = CheckPairingCode(code); !checked.ok()) {
    return checked;
  }
  Result<std::unique_ptr<HttpsTransport>> transport =
      HttpsTransport::ForPairing(endpoint, config.timeouts);
  if (!transport.ok()) return transport.status();
  EnrollerConfig at = config;
  if (at.ca_url.empty()) at.ca_url = endpoint.Url();
  return PairAndInstallWith(**transport, at, code, endpoint.path);
}

Result<RenewalTarget> ResolveRenewalTarget(const EnrollerConfig& config,
                                           const std::string& renew_url,
                                           const std::string& paired_ca_url) {
  std::optional<Endpoint> renew;
  if (!renew_url.empty()) {
    Result<Endpoint> parsed = ParseHttpsUrl(renew_url);
    if (!parsed.ok()) {
      return Fail(EnrollError::kIo, parsed.status().WithContext(config.paths.state.string()));
    }
    renew = *parsed;
  }
  const std::string& address = !config.ca_url.empty() ? config.ca_url : paired_ca_url;
  std::optional<Endpoint> reach;
  if (!address.empty()) {
    Result<Endpoint> parsed = ParseCaUrl(address);
    if (!parsed.ok()) return Fail(EnrollError::kInvalidArgument, parsed.status());
    reach = *parsed;
  }
  if (!renew && !reach) {
    return Fail(EnrollError::kInvalidArgument,
                "no renew URL stored in " + config.paths.state.string() + " and no CA URL given");
  }
  RenewalTarget target;
  target.connect = reach ? *reach : *renew;
  target.connect.path = renew ? renew->path : reach->path + "/renew";
  target.verify_host = renew ? renew->host : reach->host;
  return target;
}

Result<Enrollment> RenewAndInstallWith(Transport& transport, const EnrollerConfig& config,
                                       const Enrollment& installed, const std::string& renew_path) {
  Result<ca::PrivateKey> next = NextKey(config.paths, installed.key);
  if (!next.ok()) return next.status();
  RenewalOptions options;
  options.renew_path = renew_path;
  options.clock = config.clock;
  if (!config.device_id.empty()) options.csr_common_name = config.device_id;
  Result<Enrollment> renewed =
      Renew(transport, *next, installed.root, installed.renew_url, options);
  if (!renewed.ok()) {
    // The CA answered and refused: it issued nothing for this key now, and
    // this certificate will never renew (or never with this CSR), so the key
    // is of no further use. Network failures, CA faults and answers that do
    // not verify keep it: the CA may have issued for it.
    if (RefusedForGood(ErrorOf(renewed))) (void)RemovePendingKey(config.paths);
    return renewed;
  }
  renewed->ca_url = installed.ca_url;
  if (Status written = InstallRenewal(config.paths, *renewed); !written.ok()) {
    return written;
  }
  return renewed;
}

namespace {

// The installed files and a mutually authenticated connection to where they
// renew: what renewal and check-in both start from.
struct InstalledConnection {
  Enrollment installed;
  RenewalTarget target;
  std::unique_ptr<HttpsTransport> transport;
};

Result<InstalledConnection> ConnectAsInstalled(const EnrollerConfig& config) {
  Result<Enrollment> installed = LoadEnrollment(config.paths);
  if (!installed.ok()) return installed.status();
  Result<RenewalTarget> target =
      ResolveRenewalTarget(config, installed->renew_url, installed->ca_url);
  if (!target.ok()) return target.status();
  Result<std::unique_ptr<HttpsTransport>> transport =
      HttpsTransport::ForRenewal(target->connect, target->verify_host, installed->root,
                                 installed->chain, installed->key, config.timeouts);
  if (!transport.ok()) return transport.status();
  if (installed->renew_url.empty()) installed->renew_url = target->connect.Url();
  return InstalledConnection{std::move(*installed), std::move(*target), std::move(*transport)};
}

}  // namespace

Result<Enrollment> RenewAndInstall(const EnrollerConfig& config) {
  Result<InstalledConnection> connection = ConnectAsInstalled(config);
  if (!connection.ok()) return connection.status();
  return RenewAndInstallWith(*connection->transport, config, connection->installed,
                             connection->target.connect.path);
}

Result<CheckInAnswer> CheckInInstalled(const EnrollerConfig& config) {
  Result<InstalledConnection> connection = ConnectAsInstalled(config);
  if (!connection.ok()) return connection.status();
  return CheckIn(*connection->transport, CheckInPath(connection->target.connect.path));
}

}  // namespace homeca::enroll
