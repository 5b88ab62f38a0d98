#include "ca/pwri_envelope.h"

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pem.h>

#include "ca/base/encoding.h"
#include "ca/base/openssl_error.h"
#include "ca/base/openssl_handles.h"

namespace homeca::ca {
namespace {

using Cms = ossl::Ptr<CMS_ContentInfo, CMS_ContentInfo_free>;

}  // namespace

Status CheckNewPassphrase(std::string_view passphrase) {
  if (passphrase.size() < kMinPassphraseLength) {
    return Status::InvalidArgument("the passphrase must be at least " +
                                   std::to_string(kMinPassphraseLength) +
                                   " characters (a few unrelated words make a good one)");
  }
  return Status::Ok();
}

Result<std::string> SealWithPassphrase(std::string_view plaintext, std::string_view passphrase,
                                       int iterations) {
  if (passphrase.empty()) return Status::InvalidArgument("an empty passphrase protects nothing");
  ossl::Bio in(BIO_new_mem_buf(plaintext.data(), static_cast<int>(plaintext.size())));
  if (!in) return ossl::CryptoError("cannot read the data to encrypt");
  // AES-256-GCM makes it AuthEnvelopedData (RFC 5083, 5084): a backup that
  // was altered is refused instead of restored. CMS_PARTIAL: the recipient
  // is added before the content is encrypted.
  Cms cms(CMS_encrypt(nullptr, nullptr, EVP_aes_256_gcm(), CMS_BINARY | CMS_PARTIAL));
  if (!cms) return ossl::CryptoError("cannot start a CMS envelope");
  // "add0": the RecipientInfo takes the passphrase copy and clears and frees
  // it with the envelope, so it must be OpenSSL's own allocation.
  auto* pass = static_cast<unsigned char*>(OPENSSL_memdup(passphrase.data(), passphrase.size()));
  if (pass == nullptr) return ossl::CryptoError("out of memory");
  // NID_undef: id-alg-PWRI-KEK wrap and PBKDF2 (the only choices RFC 3211
  // gives). The key-encryption cipher must be a CBC block cipher (RFC 3211
  // section 2.3), so it is named rather than taken from the content's.
  if (CMS_add0_recipient_password(cms.get(), iterations, NID_undef, NID_undef, pass,
                                  static_cast<ossl_ssize_t>(passphrase.size()),
                                  EVP_aes_256_cbc()) == nullptr) {
    OPENSSL_clear_free(pass, passphrase.size());
    return ossl::CryptoError("cannot add the passphrase recipient");
  }
  if (CMS_final(cms.get(), in.get(), nullptr, CMS_BINARY) != 1) {
    return ossl::CryptoError("cannot encrypt");
  }
  unsigned char* der = nullptr;
  const int len = i2d_CMS_ContentInfo(cms.get(), &der);
  if (len <= 0) return ossl::CryptoError("cannot encode the CMS envelope");
  ossl::OpenSslBytes owned(der);
  return std::string(reinterpret_cast<const char*>(der), static_cast<std::size_t>(len));
}

Result<std::string> OpenWithPassphrase(std::string_view sealed, std::string_view passphrase) {
  // PEM ("-----BEGIN CMS-----", as openssl cms -outform PEM writes) is
  // unwrapped to DER first.
  std::string der_from_pem;
  if (sealed.substr(0, 11) == "-----BEGIN ") {
    ossl::Bio pem_in(BIO_new_mem_buf(sealed.data(), static_cast<int>(sealed.size())));
    char* name = nullptr;
    char* header = nullptr;
    unsigned char* data = nullptr;
    long len = 0;
    if (!pem_in || PEM_read_bio(pem_in.get(), &name, &header, &data, &len) != 1) {
      ERR_clear_error();
      return Status::InvalidArgument("not a passphrase-encrypted file (unreadable PEM)");
    }
    der_from_pem.assign(reinterpret_cast<const char*>(data), static_cast<std::size_t>(len));
    OPENSSL_free(name);
    OPENSSL_free(header);
    OPENSSL_free(data);
    sealed = der_from_pem;
  }
  const auto* der = reinterpret_cast<const unsigned char*>(sealed.data());
  Cms cms(d2i_CMS_ContentInfo(nullptr, &der, static_cast<long>(sealed.size())));
  // AuthEnvelopedData is what homeca writes; EnvelopedData (AES-CBC, no
  // integrity) is what `openssl cms -encrypt -aes256` writes by default.
  const int type = cms ? OBJ_obj2nid(CMS_get0_type(cms.get())) : NID_undef;
  if (type != NID_id_smime_ct_authEnvelopedData && type != NID_pkcs7_enveloped) {
    ERR_clear_error();
    return Status::InvalidArgument(
        "not a passphrase-encrypted file (CMS AuthEnvelopedData or EnvelopedData)");
  }
  std::string pass(passphrase);
  const int set =
      CMS_decrypt_set1_password(cms.get(), reinterpret_cast<unsigned char*>(pass.data()),
                                static_cast<ossl_ssize_t>(pass.size()));
  ossl::Bio out(BIO_new(BIO_s_mem()));
  const bool opened = set == 1 && out &&
                      CMS_decrypt(cms.get(), nullptr, nullptr, nullptr, out.get(), CMS_BINARY) == 1;
  Cleanse(pass);
  if (!opened) {
    ERR_clear_error();
    return Status::PermissionDenied("wrong passphrase (or a damaged file)");
  }
  char* data = nullptr;
  const long len = BIO_get_mem_data(out.get(), &data);
  std::string plaintext(data, static_cast<std::size_t>(len));
  OPENSSL_cleanse(data, static_cast<std::size_t>(len));
  return plaintext;
}

}  // namespace homeca::ca
