// Where an enrolled device keeps what it received, and writing and reading
// it. Every file is written atomically (WriteFileAtomic: temp file, fsync,
// rename), so a service reading them sees the old or the new version, never
// half of one. Layout, each path configurable:
//
//   key.pem          the device's private key, PKCS#8 PEM, mode 0600
//   key.pem.next     only during a renewal (or after one a crash cut short):
//                    the new key the renewal asks a certificate for, 0600;
//                    always the key file's path plus ".next"
//   cert.pem         the leaf certificate alone
//   chain.pem        leaf then intermediate: what nginx wants as ssl_certificate
//   root.pem         the CA's root, the only anchor renewal trusts
//   enrollment.json  homeca-enroll's own state: the renew URL the CA sent and
//                    the address the device reached the CA at
//
// With a state directory every file defaults into it. When only the files are
// placed (--cert ... without --dir), the state file goes beside the
// certificate, so two devices' files never share one state.
//
// Thread-safety: stateless functions; concurrent writers to the same paths
// must be serialized by the caller. Ownership: returns values.
#pragma once

#include <filesystem>
#include <optional>

#include "enroll/device/protocol_client.h"
#include "enroll/protocol/errors.h"

namespace homeca::enroll {

inline constexpr const char* kDefaultStateDir = "/var/lib/homeca-enroll";

struct DevicePaths {
  std::filesystem::path key;
  std::filesystem::path cert;
  std::filesystem::path chain;
  std::filesystem::path root;
  std::filesystem::path state;  // enrollment.json

  // Every file under `dir`, with the names above.
  static DevicePaths Under(const std::filesystem::path& dir);
  // The state file beside `cert`: for layouts that place each file.
  static std::filesystem::path StateBeside(const std::filesystem::path& cert);
};

// Creates missing parent directories (0755; the key file itself is 0600) and
// checks each is writable, so a pairing never uses up a code and then fails
// to store its result. kIo on failure.
Status PrepareDirectories(const DevicePaths& paths);

// Writes the key (only when it changed), the chain, the leaf, the root and the
// state file, in that order. For pairing; a renewal installs with
// InstallRenewal.
Status WriteEnrollment(const DevicePaths& paths, const Enrollment& enrollment);

// Reads what WriteEnrollment or InstallRenewal wrote. kNotEnrolled when there
// is no certificate; kIo when a file is unreadable or neither the key nor the
// pending key matches the leaf. When the pending key matches the leaf (a
// crash cut InstallRenewal short after it wrote the chain), it finishes the
// install: the leaf file is brought in line with the chain, the pending key
// replaces the key file, and is used. names and
// not_after come from the leaf; renew_url and ca_url from the state file (""
// if it is missing).
Result<Enrollment> LoadEnrollment(const DevicePaths& paths);

// The pending key of a renewal: the key file's path plus ".next".
std::filesystem::path PendingKeyPath(const DevicePaths& paths);
// The pending key, or nullopt when there is none. kIo when it is unreadable;
// a file that is not a key reads as none (it would only ever be replaced).
Result<std::optional<ca::PrivateKey>> LoadPendingKey(const DevicePaths& paths);
// Writes the pending key atomically and durably (0600, fsync, rename, fsync
// of the directory): it must survive a crash before the renewal is sent.
Status WritePendingKey(const DevicePaths& paths, const ca::PrivateKey& key);
// Removes the pending key (none is fine) and syncs the directory.
Status RemovePendingKey(const DevicePaths& paths);

// Installs a renewal whose key is the pending key (written before the request
// was sent): the chain, the leaf, then the pending key renamed over the key
// file, then the root and the state file. See the .cpp for why this order
// survives a crash at any point.
Status InstallRenewal(const DevicePaths& paths, const Enrollment& renewed);

}  // namespace homeca::enroll
