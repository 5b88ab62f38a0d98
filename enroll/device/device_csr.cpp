#include "enroll/device/device_csr.h"

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "ca/openssl_error.h"
#include "ca/openssl_handles.h"

namespace homeca::enroll {

Result<Bytes> MakeCsrDer(const ca::PrivateKey& key, std::string_view common_name) {
  if (common_name.empty() || common_name.size() > 64) {
    return Status::InvalidArgument("csr: the common name must be 1 to 64 characters");
  }
  ossl::X509Req req(X509_REQ_new());
  if (!req) return ossl::CryptoError("csr: out of memory");
  X509_NAME* subject = X509_REQ_get_subject_name(req.get());
  if (X509_REQ_set_version(req.get(), 0) != 1 ||  // v1, the only PKCS#10 version
      X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>(common_name.data()),
                                 static_cast<int>(common_name.size()), -1, 0) != 1 ||
      X509_REQ_set_pubkey(req.get(), key.native()) != 1 ||
      X509_REQ_sign(req.get(), key.native(), EVP_sha256()) <= 0) {
    return ossl::CryptoError("csr: cannot build the certificate request");
  }
  unsigned char* der = nullptr;
  const int len = i2d_X509_REQ(req.get(), &der);
  if (len <= 0) return ossl::CryptoError("csr: cannot encode the certificate request");
  ossl::OpenSslBytes owned(der);
  return Bytes(der, der + len);
}

}  // namespace homeca::enroll
