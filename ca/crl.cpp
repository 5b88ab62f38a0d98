#include "ca/crl.h"

#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "ca/base/openssl_error.h"
#include "ca/base/openssl_handles.h"
#include "ca/base/unix_time.h"

namespace homeca::ca {
namespace {

Status AddEntry(X509_CRL* crl, const RevokedSerial& entry) {
  BIGNUM* raw = nullptr;
  if (BN_hex2bn(&raw, entry.serial_hex.c_str()) == 0) {
    return Status::Internal("stored serial is not hex: " + entry.serial_hex);
  }
  ossl::Bn bn(raw);
  ossl::X509Revoked revoked(X509_REVOKED_new());
  ossl::Asn1Integer serial(BN_to_ASN1_INTEGER(bn.get(), nullptr));
  ossl::Asn1Time when = NewAsn1Time(entry.revocation.revoked_at);
  ossl::Asn1Enumerated reason(ASN1_ENUMERATED_new());
  if (!revoked || !serial || !when || !reason ||
      X509_REVOKED_set_serialNumber(revoked.get(), serial.get()) != 1 ||
      X509_REVOKED_set_revocationDate(revoked.get(), when.get()) != 1 ||
      ASN1_ENUMERATED_set(reason.get(), static_cast<int>(entry.revocation.reason)) != 1 ||
      X509_REVOKED_add1_ext_i2d(revoked.get(), NID_crl_reason, reason.get(), 0, 0) != 1) {
    return ossl::CryptoError("cannot build a CRL entry");
  }
  if (X509_CRL_add0_revoked(crl, revoked.get()) != 1)
    return ossl::CryptoError("cannot add CRL entry");
  revoked.release();  // now owned by the CRL
  return Status::Ok();
}

}  // namespace

Result<Crl> BuildCrl(const Certificate& issuer, const PrivateKey& issuer_key,
                     std::int64_t crl_number, std::int64_t this_update,
                     const std::vector<RevokedSerial>& revoked) {
  ossl::X509Crl crl(X509_CRL_new());
  if (!crl || X509_CRL_set_version(crl.get(), X509_CRL_VERSION_2) != 1 ||
      X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(issuer.native())) != 1) {
    return ossl::CryptoError("cannot start a CRL");
  }
  const std::int64_t next_update = this_update + kCrlValiditySeconds;
  ossl::Asn1Time last = NewAsn1Time(this_update);
  ossl::Asn1Time next = NewAsn1Time(next_update);
  if (!last || !next || X509_CRL_set1_lastUpdate(crl.get(), last.get()) != 1 ||
      X509_CRL_set1_nextUpdate(crl.get(), next.get()) != 1) {
    return ossl::CryptoError("cannot set CRL times");
  }
  for (const RevokedSerial& entry : revoked) HOMECA_RETURN_IF_ERROR(AddEntry(crl.get(), entry));

  ossl::Asn1Integer number(ASN1_INTEGER_new());
  if (!number || ASN1_INTEGER_set_int64(number.get(), crl_number) != 1 ||
      X509_CRL_add1_ext_i2d(crl.get(), NID_crl_number, number.get(), 0, 0) != 1) {
    return ossl::CryptoError("cannot set the CRL number");
  }
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer.native(), nullptr, nullptr, crl.get(), 0);
  ossl::X509Ext aki(
      X509V3_EXT_nconf_nid(nullptr, &ctx, NID_authority_key_identifier, "keyid:always"));
  if (!aki || X509_CRL_add_ext(crl.get(), aki.get(), -1) != 1) {
    return ossl::CryptoError("cannot add the CRL's authority key identifier");
  }
  X509_CRL_sort(crl.get());
  const EVP_MD* md = issuer_key.Description() == "EC P-384" ? EVP_sha384() : EVP_sha256();
  if (X509_CRL_sign(crl.get(), issuer_key.native(), md) <= 0) {
    return ossl::CryptoError("cannot sign the CRL");
  }

  Crl out;
  unsigned char* der = nullptr;
  int len = i2d_X509_CRL(crl.get(), &der);
  if (len <= 0) return ossl::CryptoError("cannot encode the CRL");
  ossl::OpenSslBytes der_owner(der);
  out.der.assign(der, der + len);
  ossl::Bio bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509_CRL(bio.get(), crl.get()) != 1) {
    return ossl::CryptoError("cannot encode the CRL as PEM");
  }
  char* pem = nullptr;
  long pem_len = BIO_get_mem_data(bio.get(), &pem);
  out.pem.assign(pem, static_cast<std::size_t>(pem_len));
  out.number = crl_number;
  out.this_update = this_update;
  out.next_update = next_update;
  return out;
}

}  // namespace homeca::ca
