// PrivateKey: an owned asymmetric key pair (EC P-256, EC P-384 or RSA), with
// PKCS#8 PEM import and export, optionally passphrase-encrypted.
//
// Thread-safety: a const PrivateKey may be used for signing from several
// threads (OpenSSL 3 EVP_PKEY objects are safe for concurrent read use).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "ca/base/encoding.h"
#include "ca/base/status.h"

typedef struct evp_pkey_st EVP_PKEY;  // NOLINT: OpenSSL's own forward declaration

namespace homeca::ca {

enum class KeyAlgorithm { kEcP256, kEcP384 };

// "p256" / "p384" (also "P-256", "P-384").
Result<KeyAlgorithm> ParseKeyAlgorithm(std::string_view text);

class PrivateKey {
 public:
  static Result<PrivateKey> Generate(KeyAlgorithm algorithm);
  // Reads a PEM private key; `passphrase` is used if the key is encrypted.
  static Result<PrivateKey> FromPem(std::string_view pem, std::string_view passphrase = {});

  // PKCS#8 PEM; encrypted with AES-256-CBC (PBES2, scrypt-free default KDF of
  // OpenSSL) when `passphrase` is non-empty.
  Result<std::string> ToPem(std::string_view passphrase = {}) const;
  // DER SubjectPublicKeyInfo of the public half.
  Bytes PublicKeyDer() const;
  // "EC P-256", "EC P-384", "RSA 2048", ...
  std::string Description() const;

  // Borrowed handle for the CA engine's own OpenSSL calls.
  EVP_PKEY* native() const { return key_.get(); }
  // Takes ownership of `key`.
  explicit PrivateKey(EVP_PKEY* key);

 private:
  struct Free {
    void operator()(EVP_PKEY* k) const;
  };
  std::shared_ptr<EVP_PKEY> key_;
};

// Describes any public key the same way Description() does; "unknown" if the
// algorithm is not one we know.
std::string DescribeKey(const EVP_PKEY* key);

}  // namespace homeca::ca
