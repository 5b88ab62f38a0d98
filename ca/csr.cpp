#include "ca/csr.h"

#include <openssl/core_names.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "ca/base/openssl_error.h"
#include "ca/base/openssl_handles.h"
#include "ca/base/rsa_public_key.h"
#include "ca/x509/key.h"

namespace homeca::ca {
namespace {

constexpr int kMinRsaBits = 2048;
// Bounds the CPU a hostile CSR can make us spend on its signature.
constexpr int kMaxRsaBits = 8192;

Status Refuse(const std::string& why) {
  ossl::ClearErrors();
  return Status::PolicyViolation("certificate request refused: " + why);
}

Status CheckKey(EVP_PKEY* key) {
  if (EVP_PKEY_is_a(key, "EC")) {
    std::string described = DescribeKey(key);
    if (described != "EC P-256" && described != "EC P-384") {
      return Refuse("key " + described + " is not allowed (use EC P-256, P-384 or RSA >= 2048)");
    }
  } else if (EVP_PKEY_is_a(key, "RSA")) {
    int bits = EVP_PKEY_get_bits(key);
    if (bits < kMinRsaBits)
      return Refuse("RSA key of " + std::to_string(bits) + " bits is too weak");
    if (bits > kMaxRsaBits)
      return Refuse("RSA key of " + std::to_string(bits) + " bits is too large");
  } else {
    return Refuse("key type " + DescribeKey(key) + " is not allowed");
  }
  if (EVP_PKEY_is_a(key, "RSA")) {
    // The Baseline Requirements' checks, not OpenSSL's 4 ms SP 800-56B one
    // (ca/base/rsa_public_key.h says why).
    BIGNUM* n = nullptr;
    BIGNUM* e = nullptr;
    EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_N, &n);
    EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_E, &e);
    ossl::Bn owned_n(n);
    ossl::Bn owned_e(e);
    const std::string problem = RsaPublicNumbersProblem(n, e);
    if (!problem.empty()) return Refuse(problem);
    return Status::Ok();
  }
  // P-256 and P-384 have cofactor 1, so a point on the curve is in the
  // prime-order group: the quick check (on-curve, not infinity) is complete
  // for them and skips a full scalar multiplication.
  ossl::PkeyCtx ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr));
  if (!ctx || EVP_PKEY_public_check_quick(ctx.get()) != 1) {
    return Refuse("the public key is invalid");
  }
  return Status::Ok();
}

Status CheckSignatureDigest(X509_REQ* req) {
  int digest_nid = NID_undef;
  int pkey_nid = NID_undef;
  if (OBJ_find_sigid_algs(X509_REQ_get_signature_nid(req), &digest_nid, &pkey_nid) != 1) {
    return Refuse("unknown signature algorithm");
  }
  if (digest_nid != NID_sha256 && digest_nid != NID_sha384 && digest_nid != NID_sha512) {
    return Refuse("signature digest must be SHA-256, SHA-384 or SHA-512");
  }
  return Status::Ok();
}

Status CheckNotCa(X509_REQ* req) {
  ossl::X509ExtStack exts(X509_REQ_get_extensions(req));
  if (!exts) return Status::Ok();
  int index = X509v3_get_ext_by_NID(exts.get(), NID_basic_constraints, -1);
  if (index < 0) return Status::Ok();
  auto* bc = static_cast<BASIC_CONSTRAINTS*>(X509V3_EXT_d2i(X509v3_get_ext(exts.get(), index)));
  if (bc == nullptr) return Refuse("malformed basicConstraints request");
  bool is_ca = bc->ca != 0;
  BASIC_CONSTRAINTS_free(bc);
  if (is_ca) return Refuse("it asks to be a CA (CA:TRUE)");
  return Status::Ok();
}

}  // namespace

void CertificateRequest::Free::operator()(X509_REQ* r) const { X509_REQ_free(r); }

Result<CertificateRequest> CertificateRequest::Parse(std::string_view data) {
  if (data.empty()) return Status::InvalidArgument("certificate request is empty");
  if (data.size() > kMaxCsrBytes) {
    return Status::InvalidArgument("certificate request is larger than " +
                                   std::to_string(kMaxCsrBytes) + " bytes");
  }
  X509_REQ* raw = nullptr;
  if (data.find("-----BEGIN") != std::string_view::npos) {
    ossl::Bio bio(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
    raw = bio ? PEM_read_bio_X509_REQ(bio.get(), nullptr, nullptr, nullptr) : nullptr;
  } else {
    auto* p = reinterpret_cast<const unsigned char*>(data.data());
    raw = d2i_X509_REQ(nullptr, &p, static_cast<long>(data.size()));
    if (raw != nullptr && p != reinterpret_cast<const unsigned char*>(data.data()) + data.size()) {
      X509_REQ_free(raw);
      raw = nullptr;
    }
  }
  if (raw == nullptr) {
    return Status::InvalidArgument("not a certificate request (PEM or DER PKCS#10)",
                                   ossl::DrainErrors());
  }
  std::shared_ptr<X509_REQ> req(raw, Free());
  EVP_PKEY* key = X509_REQ_get0_pubkey(raw);
  if (key == nullptr) return Refuse("it carries no usable public key");
  HOMECA_RETURN_IF_ERROR(CheckKey(key));
  HOMECA_RETURN_IF_ERROR(CheckSignatureDigest(raw));
  if (X509_REQ_verify(raw, key) != 1) return Refuse("its signature does not verify");
  HOMECA_RETURN_IF_ERROR(CheckNotCa(raw));
  return CertificateRequest(std::move(req));
}

EVP_PKEY* CertificateRequest::public_key() const { return X509_REQ_get0_pubkey(req_.get()); }
const X509_PUBKEY* CertificateRequest::encoded_public_key() const {
  return X509_REQ_get_X509_PUBKEY(req_.get());
}
std::string CertificateRequest::KeyDescription() const { return DescribeKey(public_key()); }
bool CertificateRequest::IsRsa() const { return EVP_PKEY_is_a(public_key(), "RSA") != 0; }

}  // namespace homeca::ca
