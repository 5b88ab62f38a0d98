// Where a CA keeps its files. One directory (default /var/lib/homeca, 0700):
//   ca.db                   the store (certificates, audit log, settings)
//   root.pem                root certificate; its presence means "a CA lives here"
//   root-key.pem            root key (0600, optionally passphrase-encrypted)
//   intermediate.pem        online intermediate certificate
//   intermediate-key.pem    intermediate key (0600)
//   crl.pem, crl.der        the current CRL
#pragma once

#include <filesystem>
#include <system_error>

namespace homeca::ca {

inline constexpr const char* kDefaultDataDir = "/var/lib/homeca";

class DataDir {
 public:
  explicit DataDir(std::filesystem::path root) : root_(std::move(root)) {}

  const std::filesystem::path& root() const { return root_; }
  std::filesystem::path database() const { return root_ / "ca.db"; }
  std::filesystem::path root_cert() const { return root_ / "root.pem"; }
  std::filesystem::path root_key() const { return root_ / "root-key.pem"; }
  std::filesystem::path intermediate_cert() const { return root_ / "intermediate.pem"; }
  std::filesystem::path intermediate_key() const { return root_ / "intermediate-key.pem"; }
  std::filesystem::path crl_pem() const { return root_ / "crl.pem"; }
  std::filesystem::path crl_der() const { return root_ / "crl.der"; }

  bool HasCa() const {
    std::error_code ec;
    return std::filesystem::exists(root_cert(), ec) || std::filesystem::exists(database(), ec);
  }

 private:
  std::filesystem::path root_;
};

}  // namespace homeca::ca
