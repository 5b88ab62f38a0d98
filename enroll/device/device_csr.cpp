#include "enroll/device/device_csr.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

#include "ca/base/openssl_error.h"
#include "ca/base/openssl_handles.h"

namespace homeca::enroll {
namespace {

// The named curve of an EC key, or NID_undef. OpenSSL names the curve of a key
// stored with explicit parameters too when they are a known curve's, and the
// CSR then names it, as RFC 5480 requires of certificates.
int NamedCurve(EVP_PKEY* key) {
  char group[64] = {};
  std::size_t group_len = 0;
  if (!EVP_PKEY_is_a(key, "EC") ||
      EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group,
                                     &group_len) != 1) {
    return NID_undef;
  }
  return OBJ_txt2nid(group);
}

// X509_REQ_set_pubkey in OpenSSL 3.0 sends the key through the provider
// encoder and back through the decoder: 86% of a CSR's CPU (about 4 M
// instructions), which a Raspberry Pi pays on every pairing and renewal. A
// named-curve EC key's SubjectPublicKeyInfo is simple enough to write
// directly: id-ecPublicKey, the curve, and the encoded point (RFC 5480).
Status SetEcPublicKey(X509_REQ* req, EVP_PKEY* key, int curve) {
  std::size_t point_len = 0;
  if (EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, nullptr, 0,
                                      &point_len) != 1) {
    return ossl::CryptoError("csr: cannot read the EC public key");
  }
  ossl::OpenSslBytes point(static_cast<unsigned char*>(OPENSSL_malloc(point_len)));
  if (!point || EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY,
                                                point.get(), point_len, &point_len) != 1) {
    return ossl::CryptoError("csr: cannot read the EC public key");
  }
  // OBJ_nid2obj gives OpenSSL's static objects, which the X509_PUBKEY may own.
  if (X509_PUBKEY_set0_param(X509_REQ_get_X509_PUBKEY(req), OBJ_nid2obj(NID_X9_62_id_ecPublicKey),
                             V_ASN1_OBJECT, OBJ_nid2obj(curve), point.get(),
                             static_cast<int>(point_len)) != 1) {
    return ossl::CryptoError("csr: cannot set the public key");
  }
  (void)point.release();  // owned by the request now
  return Status::Ok();
}

// Any other key (RSA brought with --key, say) takes OpenSSL's general path.
Status SetPublicKey(X509_REQ* req, EVP_PKEY* key) {
  if (const int curve = NamedCurve(key); curve != NID_undef) return SetEcPublicKey(req, key, curve);
  if (X509_REQ_set_pubkey(req, key) != 1)
    return ossl::CryptoError("csr: cannot set the public key");
  return Status::Ok();
}

}  // namespace

Result<ca::PrivateKey> GenerateKeyLike(const ca::PrivateKey& current) {
  EVP_PKEY* key = current.native();
  EVP_PKEY* fresh = nullptr;
  if (const int curve = NamedCurve(key); curve != NID_undef) {
    fresh = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", OBJ_nid2sn(curve));
  } else if (EVP_PKEY_is_a(key, "RSA")) {
    fresh = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA",
                              static_cast<std::size_t>(EVP_PKEY_get_bits(key)));
  } else if (EVP_PKEY_is_a(key, "ED25519") || EVP_PKEY_is_a(key, "ED448")) {
    fresh = EVP_PKEY_Q_keygen(nullptr, nullptr, EVP_PKEY_get0_type_name(key));
  } else {
    return Status::InvalidArgument("cannot make a new key of the kind of " + ca::DescribeKey(key));
  }
  if (fresh == nullptr) return ossl::CryptoError("cannot generate a new device key");
  return ca::PrivateKey(fresh);
}

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
                                 static_cast<int>(common_name.size()), -1, 0) != 1) {
    return ossl::CryptoError("csr: cannot build the certificate request");
  }
  HOMECA_RETURN_IF_ERROR(SetPublicKey(req.get(), key.native()));
  if (X509_REQ_sign(req.get(), key.native(), EVP_sha256()) <= 0) {
    return ossl::CryptoError("csr: cannot build the certificate request");
  }
  unsigned char* der = nullptr;
  const int len = i2d_X509_REQ(req.get(), &der);
  if (len <= 0) return ossl::CryptoError("csr: cannot encode the certificate request");
  ossl::OpenSslBytes owned(der);
  return Bytes(der, der + len);
}

}  // namespace homeca::enroll
