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
DeviceResult<ca::PrivateKey> NextKey(const DevicePaths& paths, const ca::PrivateKey& current) {
  DeviceResult<std::optional<ca::PrivateKey>> pending = LoadPendingKey(paths);
  if (!pending.ok()) return pending.failure();
  if (pending->has_value() && (*pending)->PublicKeyDer() != current.PublicKeyDer()) {
    return std::move(**pending);
  }
  Result<ca::PrivateKey> fresh = GenerateKeyLike(current);
  if (!fresh.ok()) return Fail(DeviceError::kInternal, fresh.status());
  if (DeviceResult<Done> written = WritePendingKey(paths, *fresh); !written.ok()) {
    return written.failure();
  }
  return std::move(fresh).value();
}

// A refusal from the CA that asking again with the same key cannot change.
bool RefusedForGood(DeviceError error) {
  return error == DeviceError::kBadCsr ||
         (IsPermanent(error) &&
          static_cast<int>(error) >= static_cast<int>(DeviceError::kBadRequest));
}

}  // namespace

DeviceResult<Enrollment> PairAndInstallWith(Transport& transport, const EnrollerConfig& config,
                                            std::string_view code, const std::string& base_path) {
  if (DeviceResult<Done> checked = CheckPairingCode(code); !checked.ok()) {
    return checked.failure();
  }
  if (!config.device_id.empty() && !ca::IsValidDeviceId(config.device_id)) {
    return Fail(DeviceError::kInvalidArgument,
                "device id: use 1 to 64 characters from A-Z a-z 0-9 . _ -");
  }
  if (DeviceResult<Done> ready = PrepareDirectories(config.paths); !ready.ok()) {
    return ready.failure();
  }
  // A device's own code is long-lived: limit how many guesses at it any CA
  // gets (pairing_lockout.h). A code the CA made is short-lived and single-use.
  const bool own_code = !config.device_id.empty();
  const std::filesystem::path lockout_file = LockoutFile(config.paths);
  LockoutState lockout;
  if (own_code) {
    DeviceResult<LockoutState> loaded = LoadLockout(lockout_file);
    if (!loaded.ok()) return loaded.failure();
    lockout = *loaded;
    DeviceResult<Done> allowed = CheckLockout(lockout, config.lockout, config.clock->Now());
    if (!allowed.ok()) return allowed.failure();
  }
  Result<ca::PrivateKey> key = ca::PrivateKey::Generate(config.key_algorithm);
  if (!key.ok()) return Fail(DeviceError::kInternal, key.status());
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
  DeviceResult<Enrollment> enrollment = PairDevice(transport, code, *key, options);
  if (own_code && confirmation_failed) {
    lockout.failures += 1;
    lockout.last_failure = config.clock->Now();
    // Not counted is not allowed: without the file, stop (kIo).
    if (DeviceResult<Done> saved = SaveLockout(lockout_file, lockout); !saved.ok()) {
      return saved.failure();
    }
    DeviceFailure failure = enrollment.failure();
    failure.status = failure.status.WithContext(
        "failed confirmation " + std::to_string(lockout.failures) + " of " +
        std::to_string(config.lockout.max_failures) + " before this device stops trying");
    return failure;
  }
  if (own_code && enrollment.ok() && lockout.failures > 0) {
    (void)ResetLockout(lockout_file);  // paired: the count served its purpose
  }
  if (!enrollment.ok()) return enrollment;
  enrollment->ca_url = config.ca_url;
  if (DeviceResult<Done> written = WriteEnrollment(config.paths, *enrollment); !written.ok()) {
    return written.failure();
  }
  return enrollment;
}

DeviceResult<Enrollment> PairAndInstall(const EnrollerConfig& config, std::string_view code) {
  // The code is checked before the URL: a typo is the likelier mistake, and
  // neither reaches the network.
  if (DeviceResult<Done> checked = CheckPairingCode(code); !checked.ok()) {
    return checked.failure();
  }
  if (config.ca_url.empty()) {
    return Fail(DeviceError::kInvalidArgument,
                "no CA URL: give the CA's address (discovery over mDNS is not available yet)");
  }
  Result<Endpoint> endpoint = ParseCaUrl(config.ca_url);
  if (!endpoint.ok()) return Fail(DeviceError::kInvalidArgument, endpoint.status());
  return PairAndInstallAt(config, *endpoint, code);
}

DeviceResult<Enrollment> PairAndInstallAt(const EnrollerConfig& config, const Endpoint& endpoint,
                                          std::string_view code) {
  if (DeviceResult<Done> checked = CheckPairingCode(code); !checked.ok()) {
    return checked.failure();
  }
  DeviceResult<std::unique_ptr<HttpsTransport>> transport =
      HttpsTransport::ForPairing(endpoint, config.timeouts);
  if (!transport.ok()) return transport.failure();
  EnrollerConfig at = config;
  if (at.ca_url.empty()) at.ca_url = endpoint.Url();
  return PairAndInstallWith(**transport, at, code, endpoint.path);
}

DeviceResult<RenewalTarget> ResolveRenewalTarget(const EnrollerConfig& config,
                                                 const std::string& renew_url,
                                                 const std::string& paired_ca_url) {
  std::optional<Endpoint> renew;
  if (!renew_url.empty()) {
    Result<Endpoint> parsed = ParseHttpsUrl(renew_url);
    if (!parsed.ok()) {
      return Fail(DeviceError::kIo, parsed.status().WithContext(config.paths.state.string()));
    }
    renew = *parsed;
  }
  const std::string& address = !config.ca_url.empty() ? config.ca_url : paired_ca_url;
  std::optional<Endpoint> reach;
  if (!address.empty()) {
    Result<Endpoint> parsed = ParseCaUrl(address);
    if (!parsed.ok()) return Fail(DeviceError::kInvalidArgument, parsed.status());
    reach = *parsed;
  }
  if (!renew && !reach) {
    return Fail(DeviceError::kInvalidArgument,
                "no renew URL stored in " + config.paths.state.string() + " and no CA URL given");
  }
  RenewalTarget target;
  target.connect = reach ? *reach : *renew;
  target.connect.path = renew ? renew->path : reach->path + "/renew";
  target.verify_host = renew ? renew->host : reach->host;
  return target;
}

DeviceResult<Enrollment> RenewAndInstallWith(Transport& transport, const EnrollerConfig& config,
                                             const Enrollment& installed,
                                             const std::string& renew_path) {
  DeviceResult<ca::PrivateKey> next = NextKey(config.paths, installed.key);
  if (!next.ok()) return next.failure();
  RenewalOptions options;
  options.renew_path = renew_path;
  options.clock = config.clock;
  if (!config.device_id.empty()) options.csr_common_name = config.device_id;
  DeviceResult<Enrollment> renewed =
      Renew(transport, *next, installed.root, installed.renew_url, options);
  if (!renewed.ok()) {
    // The CA answered and refused: it issued nothing for this key now, and
    // this certificate will never renew (or never with this CSR), so the key
    // is of no further use. Network failures, CA faults and answers that do
    // not verify keep it: the CA may have issued for it.
    if (RefusedForGood(renewed.error())) (void)RemovePendingKey(config.paths);
    return renewed;
  }
  renewed->ca_url = installed.ca_url;
  if (DeviceResult<Done> written = InstallRenewal(config.paths, *renewed); !written.ok()) {
    return written.failure();
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

DeviceResult<InstalledConnection> ConnectAsInstalled(const EnrollerConfig& config) {
  DeviceResult<Enrollment> installed = LoadEnrollment(config.paths);
  if (!installed.ok()) return installed.failure();
  DeviceResult<RenewalTarget> target =
      ResolveRenewalTarget(config, installed->renew_url, installed->ca_url);
  if (!target.ok()) return target.failure();
  DeviceResult<std::unique_ptr<HttpsTransport>> transport =
      HttpsTransport::ForRenewal(target->connect, target->verify_host, installed->root,
                                 installed->chain, installed->key, config.timeouts);
  if (!transport.ok()) return transport.failure();
  if (installed->renew_url.empty()) installed->renew_url = target->connect.Url();
  return InstalledConnection{std::move(*installed), std::move(*target), std::move(*transport)};
}

}  // namespace

DeviceResult<Enrollment> RenewAndInstall(const EnrollerConfig& config) {
  DeviceResult<InstalledConnection> connection = ConnectAsInstalled(config);
  if (!connection.ok()) return connection.failure();
  return RenewAndInstallWith(*connection->transport, config, connection->installed,
                             connection->target.connect.path);
}

DeviceResult<CheckInAnswer> CheckInInstalled(const EnrollerConfig& config) {
  DeviceResult<InstalledConnection> connection = ConnectAsInstalled(config);
  if (!connection.ok()) return connection.failure();
  return CheckIn(*connection->transport, CheckInPath(connection->target.connect.path));
}

}  // namespace homeca::enroll
