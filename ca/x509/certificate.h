// Certificate: an immutable, parsed X.509 certificate with the accessors the
// CA, its store and its UIs need.
//
// Thread-safety: immutable after construction; safe to share across threads.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ca/base/encoding.h"
#include "ca/base/status.h"
// FormatTime and FormatTimeIso, which callers showing a certificate's dates use.
#include "ca/base/unix_time.h"

typedef struct x509_st X509;  // NOLINT: OpenSSL's own forward declaration

namespace homeca::ca {

class Certificate {
 public:
  static Result<Certificate> FromDer(const Bytes& der);
  // The first certificate in `pem`.
  static Result<Certificate> FromPem(std::string_view pem);
  // Takes ownership of `cert`.
  static Result<Certificate> Adopt(X509* cert);

  const Bytes& der() const { return der_; }
  std::string Pem() const;

  std::string SerialHex() const;  // lower case, as the store keys it
  std::string SubjectCommonName() const;
  std::string SubjectText() const;  // RFC 2253 form
  std::string IssuerText() const;
  std::int64_t NotBefore() const;  // unix seconds
  std::int64_t NotAfter() const;
  std::vector<std::string> SubjectAltNames() const;  // DNS names and IP addresses, as text
  Bytes FingerprintSha256() const;
  std::string KeyDescription() const;  // "EC P-256", "RSA 2048", ...

  X509* native() const { return cert_.get(); }

 private:
  struct Free {
    void operator()(X509* c) const;
  };
  Certificate(std::shared_ptr<X509> cert, Bytes der)
      : cert_(std::move(cert)), der_(std::move(der)) {}
  std::shared_ptr<X509> cert_;
  Bytes der_;
};

// Concatenated PEM of `chain`, leaf first.
std::string ChainPem(const std::vector<Certificate>& chain);
// The PEM form of a certificate's DER, without parsing it: for DER the CA
// itself wrote and stored (parsing a certificate makes OpenSSL 3 decode its
// key through the provider machinery, which costs more than the rest of an
// ACME certificate download).
std::string CertificatePem(const Bytes& der);

}  // namespace homeca::ca
