#include "ca/x509/key.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "ca/base/openssl_error.h"
#include "ca/base/openssl_handles.h"

namespace homeca::ca {

void PrivateKey::Free::operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }

PrivateKey::PrivateKey(EVP_PKEY* key) : key_(key, Free()) {}

Result<KeyAlgorithm> ParseKeyAlgorithm(std::string_view text) {
  if (text == "p256" || text == "P-256" || text == "prime256v1") return KeyAlgorithm::kEcP256;
  if (text == "p384" || text == "P-384" || text == "secp384r1") return KeyAlgorithm::kEcP384;
  return Status::InvalidArgument("unknown key algorithm '" + std::string(text) +
                                 "' (choose p256 or p384)");
}

Result<PrivateKey> PrivateKey::Generate(KeyAlgorithm algorithm) {
  const char* curve = algorithm == KeyAlgorithm::kEcP384 ? "P-384" : "P-256";
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", curve);
  if (key == nullptr) return ossl::CryptoError("cannot generate an EC key");
  return PrivateKey(key);
}

Result<PrivateKey> PrivateKey::FromPem(std::string_view pem, std::string_view passphrase) {
  ossl::Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return ossl::CryptoError("out of memory");
  // Passing the passphrase as the callback argument (not a prompt) means a
  // missing passphrase fails instead of reading from the terminal.
  std::string pass(passphrase);
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, pass.data());
  Cleanse(pass);
  if (key == nullptr) {
    return ossl::CryptoError(passphrase.empty()
                                 ? "cannot read the private key (is it encrypted?)"
                                 : "cannot read the private key (wrong passphrase?)");
  }
  return PrivateKey(key);
}

Result<std::string> PrivateKey::ToPem(std::string_view passphrase) const {
  ossl::Bio bio(BIO_new(BIO_s_mem()));
  if (!bio) return ossl::CryptoError("out of memory");
  int ok;
  if (passphrase.empty()) {
    ok =
        PEM_write_bio_PKCS8PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr, nullptr);
  } else {
    std::string pass(passphrase);
    ok = PEM_write_bio_PKCS8PrivateKey(bio.get(), key_.get(), EVP_aes_256_cbc(), pass.data(),
                                       static_cast<int>(pass.size()), nullptr, nullptr);
    Cleanse(pass);
  }
  if (ok != 1) return ossl::CryptoError("cannot encode the private key");
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  std::string pem(data, static_cast<std::size_t>(len));
  // The memory BIO held the plaintext key; wipe it before it is freed.
  OPENSSL_cleanse(data, static_cast<std::size_t>(len));
  return pem;
}

Bytes PrivateKey::PublicKeyDer() const {
  unsigned char* der = nullptr;
  int len = i2d_PUBKEY(key_.get(), &der);
  if (len <= 0) return {};
  ossl::OpenSslBytes owned(der);
  return Bytes(der, der + len);
}

std::string PrivateKey::Description() const { return DescribeKey(key_.get()); }

std::string DescribeKey(const EVP_PKEY* key) {
  if (key == nullptr) return "unknown";
  if (EVP_PKEY_is_a(key, "EC")) {
    char group[64] = {};
    std::size_t len = 0;
    if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group,
                                       &len) != 1) {
      ossl::ClearErrors();
      return "EC (explicit parameters)";
    }
    std::string name(group, len);
    if (name == "prime256v1" || name == "P-256") return "EC P-256";
    if (name == "secp384r1" || name == "P-384") return "EC P-384";
    return "EC " + name;
  }
  if (EVP_PKEY_is_a(key, "RSA")) return "RSA " + std::to_string(EVP_PKEY_get_bits(key));
  const char* type = EVP_PKEY_get0_type_name(key);
  return type != nullptr ? type : "unknown";
}

}  // namespace homeca::ca
