#include "enroll/device/device_files.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <set>

#include "ca/base/file_util.h"
#include "ca/base/openssl_error.h"
#include "enroll/device/issued_chain.h"
#include "enroll/protocol/json.h"

namespace homeca::enroll {
namespace {

constexpr std::size_t kMaxFileBytes = 1024 * 1024;
constexpr mode_t kKeyMode = 0600;     // the key: owner only, from the first byte
constexpr mode_t kPublicMode = 0644;  // certificates are public
constexpr mode_t kDirMode = 0755;     // services (nginx) must reach the certificates

std::filesystem::path ParentOf(const std::filesystem::path& file) {
  const std::filesystem::path parent = file.parent_path();
  return parent.empty() ? std::filesystem::path(".") : parent;
}

Status Write(const std::filesystem::path& path, std::string_view data, mode_t mode) {
  Status s = WriteFileAtomic(path, data, mode);
  if (!s.ok()) return Fail(EnrollError::kIo, s);
  return Status::Ok();
}

Result<std::string> Read(const std::filesystem::path& path) {
  Result<std::string> data = ReadFile(path, kMaxFileBytes);
  if (!data.ok()) return Fail(EnrollError::kIo, data.status());
  return std::move(data).value();
}

Status IoFailure(const std::string& what, const std::filesystem::path& path) {
  return Fail(EnrollError::kIo, what + " " + path.string() + ": " + std::strerror(errno));
}

std::string StateJson(const Enrollment& enrollment) {
  JsonWriter info;
  info.Set("version", std::int64_t{1})
      .Set("renew_url", enrollment.renew_url)
      .Set("ca_url", enrollment.ca_url);
  return info.Render();
}

// A rename or unlink is durable only once its directory is synced.
Status SyncDirectoryOf(const std::filesystem::path& file) {
  const std::filesystem::path dir = ParentOf(file);
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return IoFailure("cannot open the directory", dir);
  const bool synced = ::fsync(fd) == 0;
  const int saved = errno;
  ::close(fd);
  errno = saved;
  if (!synced) return IoFailure("cannot sync the directory", dir);
  return Status::Ok();
}

bool SameKey(const ca::Certificate& leaf, const ca::PrivateKey& key) {
  const bool same = EVP_PKEY_eq(X509_get0_pubkey(leaf.native()), key.native()) == 1;
  ossl::ClearErrors();
  return same;
}

// rename(2) replaces the key file atomically: at every instant key.pem is the
// old key or the new one, and the new one is under one of the two names.
Status PromotePendingKey(const DevicePaths& paths) {
  const std::filesystem::path pending = PendingKeyPath(paths);
  if (std::rename(pending.c_str(), paths.key.c_str()) != 0) {
    return IoFailure("cannot move the new key into place from", pending);
  }
  return SyncDirectoryOf(paths.key);
}

}  // namespace

DevicePaths DevicePaths::Under(const std::filesystem::path& dir) {
  return DevicePaths{dir / "key.pem", dir / "cert.pem", dir / "chain.pem", dir / "root.pem",
                     dir / "enrollment.json"};
}

std::filesystem::path DevicePaths::StateBeside(const std::filesystem::path& cert) {
  return ParentOf(cert) / "enrollment.json";
}

Status PrepareDirectories(const DevicePaths& paths) {
  std::set<std::filesystem::path> dirs = {ParentOf(paths.state), ParentOf(paths.key),
                                          ParentOf(paths.cert), ParentOf(paths.chain),
                                          ParentOf(paths.root)};
  for (const std::filesystem::path& dir : dirs) {
    if (dir.empty()) continue;
    if (Status s = EnsureDirectory(dir, kDirMode); !s.ok()) return Fail(EnrollError::kIo, s);
    if (::access(dir.c_str(), W_OK) != 0) {
      return Fail(EnrollError::kIo,
                  "cannot write to " + dir.string() + ": " + std::strerror(errno));
    }
  }
  return Status::Ok();
}

Status WriteEnrollment(const DevicePaths& paths, const Enrollment& enrollment) {
  if (enrollment.chain.empty()) return Fail(EnrollError::kInternal, "no certificate to write");
  Status prepared = PrepareDirectories(paths);
  if (!prepared.ok()) return prepared;
  Result<std::string> key_pem = enrollment.key.ToPem();
  if (!key_pem.ok()) return Fail(EnrollError::kInternal, key_pem.status());
  // Rewriting an unchanged key would only churn; a changed one must land
  // before the certificate that names it.
  Result<std::string> old_key = ReadFile(paths.key, kMaxFileBytes);
  if (!old_key.ok() || *old_key != *key_pem) {
    Status written = Write(paths.key, *key_pem, kKeyMode);
    if (!written.ok()) {
      Cleanse(*key_pem);
      return written;
    }
  }
  if (old_key.ok()) Cleanse(*old_key);
  Cleanse(*key_pem);

  for (const auto& [path, data] : {std::pair{paths.chain, ca::ChainPem(enrollment.chain)},
                                   std::pair{paths.cert, enrollment.chain.front().Pem()},
                                   std::pair{paths.root, enrollment.root.Pem()},
                                   std::pair{paths.state, StateJson(enrollment)}}) {
    Status written = Write(path, data, kPublicMode);
    if (!written.ok()) return written;
  }
  return Status::Ok();
}

Result<Enrollment> LoadEnrollment(const DevicePaths& paths) {
  std::error_code ec;
  const bool have_chain = std::filesystem::exists(paths.chain, ec);
  if (!have_chain && !std::filesystem::exists(paths.cert, ec)) {
    return Fail(EnrollError::kNotEnrolled,
                "no certificate at " + paths.cert.string() + ": pair this device first");
  }
  const std::filesystem::path& chain_path = have_chain ? paths.chain : paths.cert;
  Result<std::string> chain_pem = Read(chain_path);
  if (!chain_pem.ok()) return chain_pem.status();
  Result<std::vector<ca::Certificate>> chain = ParsePemCertificates(*chain_pem);
  if (!chain.ok()) return Fail(EnrollError::kIo, chain.status().WithContext(chain_path.string()));

  Result<std::string> root_pem = Read(paths.root);
  if (!root_pem.ok()) return root_pem.status();
  Result<ca::Certificate> root = ca::Certificate::FromPem(*root_pem);
  if (!root.ok()) return Fail(EnrollError::kIo, root.status().WithContext(paths.root.string()));

  Result<std::string> key_pem = Read(paths.key);
  if (!key_pem.ok()) return key_pem.status();
  Result<ca::PrivateKey> parsed_key = ca::PrivateKey::FromPem(*key_pem);
  Cleanse(*key_pem);
  if (!parsed_key.ok()) {
    return Fail(EnrollError::kIo, parsed_key.status().WithContext(paths.key.string()));
  }
  ca::PrivateKey key = std::move(parsed_key).value();
  if (!SameKey(chain->front(), key)) {
    // A renewal installed the certificate but a crash came before its key
    // was moved into place (InstallRenewal): finish that now.
    Result<std::optional<ca::PrivateKey>> pending = LoadPendingKey(paths);
    if (!pending.ok() || !pending->has_value() || !SameKey(chain->front(), **pending)) {
      return Fail(EnrollError::kIo,
                  paths.key.string() + " does not match the certificate in " + chain_path.string());
    }
    // The leaf file too, if the crash came between the chain and the leaf.
    if (have_chain) {
      const std::string leaf_pem = chain->front().Pem();
      Result<std::string> cert_pem = ReadFile(paths.cert, kMaxFileBytes);
      if (!cert_pem.ok() || *cert_pem != leaf_pem) {
        if (Status written = Write(paths.cert, leaf_pem, kPublicMode); !written.ok()) {
          return written;
        }
      }
    }
    if (Status promoted = PromotePendingKey(paths); !promoted.ok()) {
      return promoted;
    }
    key = std::move(**pending);
  }

  std::string renew_url;
  std::string ca_url;
  if (Result<std::string> info_text = ReadFile(paths.state, kMaxFileBytes); info_text.ok()) {
    if (Result<JsonReader> info =
            JsonReader::Parse(*info_text, kMaxFileBytes, paths.state.string());
        info.ok()) {
      if (Result<std::string> url = info->String("renew_url"); url.ok()) renew_url = *url;
      if (Result<std::string> url = info->String("ca_url"); url.ok()) ca_url = *url;
    }
  }
  const std::int64_t not_after = chain->front().NotAfter();
  std::vector<std::string> names = chain->front().SubjectAltNames();
  return Enrollment{
      std::move(key), std::move(chain).value(), std::move(root).value(), std::move(names),
      not_after,      std::move(renew_url),     std::move(ca_url)};
}

std::filesystem::path PendingKeyPath(const DevicePaths& paths) {
  std::filesystem::path pending = paths.key;
  pending += ".next";
  return pending;
}

Result<std::optional<ca::PrivateKey>> LoadPendingKey(const DevicePaths& paths) {
  Result<std::string> pem = ReadFile(PendingKeyPath(paths), kMaxFileBytes);
  if (!pem.ok() && pem.status().IsNotFound()) return std::optional<ca::PrivateKey>();
  if (!pem.ok()) return Fail(EnrollError::kIo, pem.status());
  Result<ca::PrivateKey> key = ca::PrivateKey::FromPem(*pem);
  Cleanse(*pem);
  ossl::ClearErrors();
  // Written atomically, so never half a key; anything else was not written
  // by us, cannot have been asked a certificate for by us, and is replaced.
  if (!key.ok()) return std::optional<ca::PrivateKey>();
  return std::optional<ca::PrivateKey>(std::move(key).value());
}

Status WritePendingKey(const DevicePaths& paths, const ca::PrivateKey& key) {
  Result<std::string> pem = key.ToPem();
  if (!pem.ok()) return Fail(EnrollError::kInternal, pem.status());
  Status written = Write(PendingKeyPath(paths), *pem, kKeyMode);
  Cleanse(*pem);
  return written;
}

Status RemovePendingKey(const DevicePaths& paths) {
  const std::filesystem::path pending = PendingKeyPath(paths);
  if (::unlink(pending.c_str()) != 0) {
    if (errno == ENOENT) return Status::Ok();
    return IoFailure("cannot remove", pending);
  }
  return SyncDirectoryOf(pending);
}

// Crash ordering. When this starts, key.pem (old key K1) and the certificate
// files (old certificate A) are a pair, and key.pem.next (new key K2) has been
// on disk, synced, since before the request went out (WritePendingKey).
//
//   crash before 1: K1 + A still pair up; K2 is still pending. The next
//     renewal asks again from A with K2, and the CA's crash-retry rule
//     answers with the certificate it already issued for K2.
//   1. chain.pem := new chain, 2. cert.pem := new leaf. A crash after either:
//     the leaf LoadEnrollment reads (the chain's) names K2, which
//     key.pem.next still holds; LoadEnrollment finishes the install (cert.pem
//     from the chain, then K2 into place) and the device carries on with K2
//     and the new certificate. The same holds if writing fails half way.
//   3. rename key.pem.next over key.pem, sync the directory. Atomic: key.pem
//     is K1 or K2, and K2 is under one name or the other at every instant.
//   4. root.pem and enrollment.json (normally unchanged content).
//
// Why certificates before the key: K1 must live as long as A may be the
// installed certificate, since A (with K1) is the only credential that can
// ask the CA again; moving K2 in first would leave A beside a key that does
// not match it. Between 1 and 3 a service that reads key.pem and chain.pem on
// its own sees a mismatched pair for a moment; the post-renew hook runs only
// after this returns, and services reload then.
Status InstallRenewal(const DevicePaths& paths, const Enrollment& renewed) {
  if (renewed.chain.empty()) return Fail(EnrollError::kInternal, "no certificate to write");
  Result<std::optional<ca::PrivateKey>> pending = LoadPendingKey(paths);
  if (!pending.ok()) return pending.status();
  if (!pending->has_value() || !SameKey(renewed.chain.front(), **pending) ||
      !SameKey(renewed.chain.front(), renewed.key)) {
    return Fail(EnrollError::kInternal, "the renewed certificate is not for the pending key " +
                                            PendingKeyPath(paths).string());
  }
  for (const auto& [path, data] : {std::pair{paths.chain, ca::ChainPem(renewed.chain)},
                                   std::pair{paths.cert, renewed.chain.front().Pem()}}) {
    Status written = Write(path, data, kPublicMode);
    if (!written.ok()) return written;
  }
  if (Status promoted = PromotePendingKey(paths); !promoted.ok()) return promoted;
  for (const auto& [path, data] :
       {std::pair{paths.root, renewed.root.Pem()}, std::pair{paths.state, StateJson(renewed)}}) {
    Status written = Write(path, data, kPublicMode);
    if (!written.ok()) return written;
  }
  return Status::Ok();
}

}  // namespace homeca::enroll
