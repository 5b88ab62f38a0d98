// CertBuilder: assembles and signs one X.509 v3 certificate. Internal to the
// CA engine; the profiles (hierarchy.cpp, leaf_profile.cpp) decide what goes
// in, this only knows how to put it there.
//
// Not thread-safe; one builder per certificate.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ca/base/openssl_handles.h"
#include "ca/base/status.h"
#include "ca/name_policy.h"
#include "ca/x509/certificate.h"
#include "ca/x509/key.h"

namespace homeca::ca {

// 16 bytes from the CSPRNG: 128 random bits, as CA/B Forum practice and
// mkcert use (RFC 5280 allows up to 20 octets; at least 64 bits are required).
Bytes NewSerial();

// Normalizes a serial typed by a user ("0A:1b:..", "0x0a1b") to the store's
// form (lower-case hex as Certificate::SerialHex prints it).
Result<std::string> NormalizeSerial(std::string_view text);

class CertBuilder {
 public:
  CertBuilder();

  Status SetSerial(const Bytes& serial);
  Status SetSubject(const std::string& organization, const std::string& common_name);
  // O copied byte for byte from `ca`'s subject (none if it has no O), then
  // CN = `common_name` (none if empty): every subject under a CA starts the
  // same, byte for byte, however a verifier compares names.
  Status SetSubjectUnder(const Certificate& ca, const std::string& common_name);
  void SetValidity(std::int64_t not_before, std::int64_t not_after);
  Status SetPublicKey(EVP_PKEY* key);
  // Copies an already-encoded SubjectPublicKeyInfo (e.g. a CSR's) without
  // decoding it again: OpenSSL 3.0 re-runs its slow provider decoder on every
  // X509_set_pubkey, which cost more than the ECDSA signature itself. The
  // certificate this builds then has no cached EVP_PKEY until re-parsed.
  Status CopyPublicKey(const X509_PUBKEY* source);
  // Issued by `issuer`; without a call the certificate is self-issued.
  Status SetIssuer(const Certificate& issuer);

  // Adds an extension written in OpenSSL's v3 config syntax, e.g.
  // (NID_basic_constraints, "critical,CA:TRUE"). Call after SetIssuer and
  // SetPublicKey so key identifiers can be computed.
  Status AddExtension(int nid, const std::string& value);
  // Adds a subjectAltName built from validated names (never from text that
  // could smuggle in config syntax). RFC 5280 section 4.2.1.6: critical when
  // the subject is empty.
  Status AddSubjectAltNames(const std::vector<CheckedName>& names, bool critical);
  // A critical nameConstraints extension: `config` in OpenSSL's v3 syntax
  // (NameConstraintsConfig).
  Status AddNameConstraints(const std::string& config);

  // Signs with `signer` (SHA-384 for a P-384 signer, SHA-256 otherwise) and
  // returns the finished certificate.
  Result<Certificate> Sign(const PrivateKey& signer);

 private:
  ossl::X509Cert cert_;
  X509* issuer_ = nullptr;  // borrowed; null means self-issued
};

}  // namespace homeca::ca
