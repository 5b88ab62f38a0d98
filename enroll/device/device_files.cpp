#include "enroll/device/device_files.h"

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <set>

#include "ca/file_util.h"
#include "ca/openssl_error.h"
#include "enroll/device/issued_chain.h"
#include "enroll/device/wire_json.h"

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

DeviceResult<Done> Write(const std::filesystem::path& path, std::string_view data, mode_t mode) {
  Status s = WriteFileAtomic(path, data, mode);
  if (!s.ok()) return Fail(DeviceError::kIo, s);
  return Done{};
}

DeviceResult<std::string> Read(const std::filesystem::path& path) {
  Result<std::string> data = ReadFile(path, kMaxFileBytes);
  if (!data.ok()) return Fail(DeviceError::kIo, data.status());
  return std::move(data).value();
}

}  // namespace

DevicePaths DevicePaths::Under(const std::filesystem::path& dir) {
  return DevicePaths{dir / "key.pem", dir / "cert.pem", dir / "chain.pem", dir / "root.pem",
                     dir / "enrollment.json"};
}

std::filesystem::path DevicePaths::StateBeside(const std::filesystem::path& cert) {
  return ParentOf(cert) / "enrollment.json";
}

DeviceResult<Done> PrepareDirectories(const DevicePaths& paths) {
  std::set<std::filesystem::path> dirs = {ParentOf(paths.state), ParentOf(paths.key),
                                          ParentOf(paths.cert), ParentOf(paths.chain),
                                          ParentOf(paths.root)};
  for (const std::filesystem::path& dir : dirs) {
    if (dir.empty()) continue;
    if (Status s = EnsureDirectory(dir, kDirMode); !s.ok()) return Fail(DeviceError::kIo, s);
    if (::access(dir.c_str(), W_OK) != 0) {
      return Fail(DeviceError::kIo,
                  "cannot write to " + dir.string() + ": " + std::strerror(errno));
    }
  }
  return Done{};
}

DeviceResult<Done> WriteEnrollment(const DevicePaths& paths, const Enrollment& enrollment) {
  if (enrollment.chain.empty()) return Fail(DeviceError::kInternal, "no certificate to write");
  DeviceResult<Done> prepared = PrepareDirectories(paths);
  if (!prepared.ok()) return prepared;
  Result<std::string> key_pem = enrollment.key.ToPem();
  if (!key_pem.ok()) return Fail(DeviceError::kInternal, key_pem.status());
  // Rewriting an unchanged key would only churn; a changed one must land
  // before the certificate that names it.
  Result<std::string> old_key = ReadFile(paths.key, kMaxFileBytes);
  if (!old_key.ok() || *old_key != *key_pem) {
    DeviceResult<Done> written = Write(paths.key, *key_pem, kKeyMode);
    if (!written.ok()) {
      Cleanse(*key_pem);
      return written;
    }
  }
  if (old_key.ok()) Cleanse(*old_key);
  Cleanse(*key_pem);

  JsonWriter info;
  info.Set("version", std::int64_t{1})
      .Set("renew_url", enrollment.renew_url)
      .Set("ca_url", enrollment.ca_url);
  for (const auto& [path, data] :
       {std::pair{paths.chain, ca::ChainPem(enrollment.chain)},
        std::pair{paths.cert, enrollment.chain.front().Pem()},
        std::pair{paths.root, enrollment.root.Pem()}, std::pair{paths.state, info.Render()}}) {
    DeviceResult<Done> written = Write(path, data, kPublicMode);
    if (!written.ok()) return written;
  }
  return Done{};
}

DeviceResult<Enrollment> LoadEnrollment(const DevicePaths& paths) {
  std::error_code ec;
  const bool have_chain = std::filesystem::exists(paths.chain, ec);
  if (!have_chain && !std::filesystem::exists(paths.cert, ec)) {
    return Fail(DeviceError::kNotEnrolled,
                "no certificate at " + paths.cert.string() + ": pair this device first");
  }
  const std::filesystem::path& chain_path = have_chain ? paths.chain : paths.cert;
  DeviceResult<std::string> chain_pem = Read(chain_path);
  if (!chain_pem.ok()) return chain_pem.failure();
  Result<std::vector<ca::Certificate>> chain = ParsePemCertificates(*chain_pem);
  if (!chain.ok()) return Fail(DeviceError::kIo, chain.status().WithContext(chain_path.string()));

  DeviceResult<std::string> root_pem = Read(paths.root);
  if (!root_pem.ok()) return root_pem.failure();
  Result<ca::Certificate> root = ca::Certificate::FromPem(*root_pem);
  if (!root.ok()) return Fail(DeviceError::kIo, root.status().WithContext(paths.root.string()));

  DeviceResult<std::string> key_pem = Read(paths.key);
  if (!key_pem.ok()) return key_pem.failure();
  Result<ca::PrivateKey> key = ca::PrivateKey::FromPem(*key_pem);
  Cleanse(*key_pem);
  if (!key.ok()) return Fail(DeviceError::kIo, key.status().WithContext(paths.key.string()));
  if (EVP_PKEY_eq(X509_get0_pubkey(chain->front().native()), key->native()) != 1) {
    ossl::ClearErrors();
    return Fail(DeviceError::kIo,
                paths.key.string() + " does not match the certificate in " + chain_path.string());
  }

  std::string renew_url;
  std::string ca_url;
  if (Result<std::string> info_text = ReadFile(paths.state, kMaxFileBytes); info_text.ok()) {
    if (DeviceResult<JsonObject> info = JsonObject::Parse(*info_text); info.ok()) {
      if (DeviceResult<std::string> url = info->String("renew_url"); url.ok()) renew_url = *url;
      if (DeviceResult<std::string> url = info->String("ca_url"); url.ok()) ca_url = *url;
    }
  }
  const std::int64_t not_after = chain->front().NotAfter();
  std::vector<std::string> names = chain->front().SubjectAltNames();
  return Enrollment{std::move(key).value(),
                    std::move(chain).value(),
                    std::move(root).value(),
                    std::move(names),
                    not_after,
                    std::move(renew_url),
                    std::move(ca_url)};
}

}  // namespace homeca::enroll
