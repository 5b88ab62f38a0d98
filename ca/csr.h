// CertificateRequest: a PKCS#10 CSR that has passed every check that does not
// depend on which names it is for. A CSR proves possession of a key and
// nothing else: its subject, SANs and extensions are never copied into a
// certificate (the CA decides names and profile).
//
// Thread-safety: immutable after Parse; safe to share.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ca/base/status.h"

typedef struct X509_req_st X509_REQ;        // NOLINT: OpenSSL's own forward declaration
typedef struct evp_pkey_st EVP_PKEY;        // NOLINT
typedef struct X509_pubkey_st X509_PUBKEY;  // NOLINT

namespace homeca::ca {

// Larger than any honest CSR (an RSA-8192 CSR is about 2.5 KiB of DER).
inline constexpr std::size_t kMaxCsrBytes = 16 * 1024;

class CertificateRequest {
 public:
  // Accepts PEM ("-----BEGIN CERTIFICATE REQUEST-----") or raw DER. Checks:
  // size, exact encoding, a signature that verifies with a SHA-2 digest, an
  // allowed key (EC P-256/P-384 on a named curve, RSA 2048..8192 bits) that
  // passes OpenSSL's public-key check, and no request to be a CA.
  static Result<CertificateRequest> Parse(std::string_view data);

  EVP_PKEY* public_key() const;                   // borrowed; lives as long as this object
  const X509_PUBKEY* encoded_public_key() const;  // borrowed, as above
  std::string KeyDescription() const;
  bool IsRsa() const;
  // What the CSR asks to be named (ca/csr_names.cpp): its subject commonNames
  // and subjectAltNames, DNS names lower-cased without a trailing dot, other
  // kinds spelled out ("IP address 10.0.0.5", "e-mail address a@b"), without
  // repeats. Only for checking a request against the names the CA decided
  // (CheckCsrAsksOnlyFor); never copied into a certificate.
  std::vector<std::string> RequestedNames() const;

 private:
  struct Free {
    void operator()(X509_REQ* r) const;
  };
  explicit CertificateRequest(std::shared_ptr<X509_REQ> req) : req_(std::move(req)) {}
  std::shared_ptr<X509_REQ> req_;
};

// OK when every name `csr` asks for (RequestedNames) is one of `names` (the
// names the CA decided, normalized), or it asks for none. Otherwise
// PolicyViolation in plain words naming the first stranger and the names
// the device does get: a CSR made for another name is a mistake the admin
// should see, not one the CA quietly papers over.
Status CheckCsrAsksOnlyFor(const CertificateRequest& csr, const std::vector<std::string>& names);

}  // namespace homeca::ca
