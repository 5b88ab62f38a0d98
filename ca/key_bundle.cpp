#include "ca/key_bundle.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "ca/base/openssl_error.h"
#include "ca/base/openssl_handles.h"

namespace homeca::ca {
namespace {

// PBKDF2 iterations for the AES form: what OpenSSL 3.0 uses for key files
// would be 2048; importers on small NAS and printer CPUs open the file once,
// so ten times that costs them little and a guesser ten times more.
constexpr int kAesIterations = 20000;
// The legacy form keeps OpenSSL's classic figure (PKCS12_DEFAULT_ITER): the
// old importers it exists for were tested with it.
constexpr int kLegacyIterations = 2048;

// Frees the stack only: the certificates on it are borrowed.
void FreeCertStack(STACK_OF(X509) * s) { sk_X509_free(s); }
using CertStack = ossl::Ptr<STACK_OF(X509), FreeCertStack>;

std::string MemText(BIO* bio) {
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(len));
}

}  // namespace

Result<DeviceKeyType> ParseDeviceKeyType(std::string_view text) {
  if (text == "p256" || text == "P-256" || text == "ec") return DeviceKeyType::kEcP256;
  if (text == "rsa2048" || text == "RSA-2048" || text == "rsa") return DeviceKeyType::kRsa2048;
  return Status::InvalidArgument("the key type must be p256 or rsa2048");
}

Result<PrivateKey> GenerateDeviceKey(DeviceKeyType type) {
  if (type == DeviceKeyType::kEcP256) return PrivateKey::Generate(KeyAlgorithm::kEcP256);
  EVP_PKEY* rsa = EVP_RSA_gen(2048);
  if (rsa == nullptr) return ossl::CryptoError("cannot generate an RSA-2048 key");
  return PrivateKey(rsa);
}

Result<std::string> MakeCsrPem(const PrivateKey& key) {
  ossl::X509Req req(X509_REQ_new());
  if (!req || X509_REQ_set_pubkey(req.get(), key.native()) != 1 ||
      X509_REQ_sign(req.get(), key.native(), EVP_sha256()) <= 0) {
    return ossl::CryptoError("cannot make a certificate request for the new key");
  }
  ossl::Bio bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509_REQ(bio.get(), req.get()) != 1) {
    return ossl::CryptoError("cannot encode the certificate request");
  }
  return MemText(bio.get());
}

Status CheckPkcs12Password(std::string_view password, std::string_view again) {
  if (password.size() < kMinPkcs12PasswordLength) {
    return Status::InvalidArgument("the password must be at least " +
                                   std::to_string(kMinPkcs12PasswordLength) +
                                   " characters (the device's import screen will ask for it)");
  }
  if (password != again) return Status::InvalidArgument("the two passwords differ");
  if (password.find('\0') != std::string_view::npos) {
    return Status::InvalidArgument("the password cannot contain a NUL character");
  }
  return Status::Ok();
}

Result<Bytes> BuildPkcs12(const PrivateKey& key, const std::vector<Certificate>& chain,
                          std::string_view password, Pkcs12Protection protection,
                          std::string_view friendly_name) {
  HOMECA_RETURN_IF_ERROR(CheckPkcs12Password(password, password));
  if (chain.empty()) return Status::InvalidArgument("a PKCS#12 needs the certificate");
  // From their DER: a leaf fresh from the signer holds its public key only
  // as encoded parameters (CertBuilder::CopyPublicKey), which PKCS12_create's
  // key check cannot read back; a parsed copy is what any reader would see.
  std::vector<Certificate> parsed;
  for (const Certificate& c : chain) {
    Result<Certificate> copy = Certificate::FromDer(c.der());
    if (!copy.ok()) return copy.status();
    parsed.push_back(std::move(*copy));
  }
  CertStack cas(sk_X509_new_null());
  if (!cas) return ossl::CryptoError("cannot build the PKCS#12");
  for (std::size_t i = 1; i < parsed.size(); ++i) {
    // The stack only borrows: sk_X509_free leaves the certificates alone.
    if (sk_X509_push(cas.get(), parsed[i].native()) <= 0) {
      return ossl::CryptoError("cannot build the PKCS#12");
    }
  }
  const bool aes = protection == Pkcs12Protection::kAes256;
  const int pbe = aes ? NID_aes_256_cbc : NID_pbe_WithSHA1And3_Key_TripleDES_CBC;
  const int iterations = aes ? kAesIterations : kLegacyIterations;
  std::string pass(password);  // PKCS12_create wants a NUL-terminated string
  const std::string name(friendly_name);
  // mac_iter -1: no MAC yet; PKCS12_create would make an HMAC-SHA1 one. It is
  // added below with the digest this form calls for.
  ossl::Ptr<PKCS12, PKCS12_free> p12(PKCS12_create_ex(
      pass.c_str(), name.empty() ? nullptr : name.c_str(), key.native(), parsed.front().native(),
      cas.get(), pbe, pbe, iterations, -1, 0, nullptr, nullptr));
  bool ok = p12 && PKCS12_set_mac(p12.get(), pass.c_str(), -1, nullptr, 0, iterations,
                                  aes ? EVP_sha256() : EVP_sha1()) == 1;
  Cleanse(pass);
  if (!ok) return ossl::CryptoError("cannot build the PKCS#12");
  unsigned char* der = nullptr;
  const int len = i2d_PKCS12(p12.get(), &der);
  if (len <= 0) return ossl::CryptoError("cannot encode the PKCS#12");
  ossl::OpenSslBytes owned(der);
  return Bytes(der, der + len);
}

Result<std::string> PemKeyBundle(const PrivateKey& key, const std::vector<Certificate>& chain) {
  Result<std::string> pem = key.ToPem();
  if (!pem.ok()) return pem.status();
  std::string bundle = *pem + ChainPem(chain);
  Cleanse(*pem);
  return bundle;
}

}  // namespace homeca::ca
