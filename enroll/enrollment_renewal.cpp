// EnrollmentService: POST /enroll/v1/renew. The TLS client certificate is the
// credential: it must be signed by this CA's intermediate, be on record with
// exactly these bytes, not be revoked and not have expired. The new
// certificate carries the stored names, never the CSR's.
#include <openssl/x509.h>

#include "ca/csr.h"
#include "ca/openssl_error.h"
#include "enroll/enrollment_service_impl.h"

namespace homeca::enroll {
namespace {

// Signed by our intermediate, checked offline against its public key (no
// chain building, no network): the only issuer whose leaves we renew.
bool IssuedByIntermediate(const ca::Certificate& leaf, const ca::Certificate& intermediate) {
  EVP_PKEY* key = X509_get0_pubkey(intermediate.native());
  const bool ok = key != nullptr &&
                  X509_NAME_cmp(X509_get_issuer_name(leaf.native()),
                                X509_get_subject_name(intermediate.native())) == 0 &&
                  X509_verify(leaf.native(), key) == 1;
  ossl::ClearErrors();  // a foreign certificate is an expected answer, not a fault
  return ok;
}

void AuditRefusal(ca::Authority& authority, const std::string& serial, const std::string& why) {
  (void)authority.store().AppendAudit(ca::AuditEntry{0, authority.clock().Now(),
                                                     "renewal:" + serial, "renew-refused",
                                                     "serial " + serial + ": " + why});
}

}  // namespace

EnrollmentResponse HandleRenewal(ca::Authority& authority, const EnrollmentRequest& request) {
  if (request.client_chain.empty()) {
    return Fail(ProtocolError::kNoClientCertificate,
                "renewal needs the current certificate as the TLS client certificate");
  }
  Result<ca::Certificate> leaf = ca::Certificate::FromDer(request.client_chain.front());
  if (!leaf.ok() || !IssuedByIntermediate(*leaf, authority.intermediate())) {
    return Fail(ProtocolError::kNoClientCertificate,
                "the client certificate was not issued by this CA");
  }
  const std::string serial = leaf->SerialHex();
  Result<ca::CertificateRecord> record = authority.store().FindBySerial(serial);
  if (!record.ok() && !record.status().IsNotFound()) {
    return FailInternal("the CA cannot read its records", record.status());
  }
  // Same serial but other bytes would mean a second certificate signed with
  // our key that we never stored: treat it as unknown, loudly.
  if (!record.ok() || record->der != leaf->der()) {
    AuditRefusal(authority, serial, "not on record");
    return Fail(ProtocolError::kUnknownCertificate, "this CA has no record of the certificate");
  }
  const std::int64_t now = authority.clock().Now();
  switch (ca::StateAt(*record, now)) {
    case ca::CertificateState::kRevoked:
      AuditRefusal(authority, serial, "revoked");
      return Fail(ProtocolError::kRevoked, "the certificate has been revoked");
    case ca::CertificateState::kExpired:
      AuditRefusal(authority, serial, "expired");
      return Fail(ProtocolError::kExpired, "the certificate has expired; pair the device again");
    case ca::CertificateState::kValid:
      break;
  }
  CsrMessage msg;
  if (auto failure = ParseCsrMessage(request.body, &msg)) return ErrorResponse(*failure);
  Result<ca::CertificateRequest> parsed = ca::CertificateRequest::Parse(ToString(msg.csr));
  if (!parsed.ok()) return Fail(ProtocolError::kBadCsr, parsed.status().message());

  ca::IssueRequest renewal;
  renewal.checked_csr = *parsed;
  renewal.names = record->names;
  renewal.requester = "renewal:" + serial;
  Result<ca::IssuedCertificate> issued = authority.Issue(renewal);
  if (!issued.ok()) return FailInternal("the CA failed; nothing was issued", issued.status());
  (void)authority.store().AppendAudit(
      ca::AuditEntry{0, now, "renewal:" + serial, "renew",
                     "serial " + serial + " renewed as " + issued->record.serial_hex});
  IssuedChain out;
  for (const ca::Certificate& cert : issued->chain) out.chain.push_back(cert.der());
  out.names = issued->record.names;
  out.not_after = issued->record.not_after;
  return {200, RenewResponseJson(out), 0, {}};
}

}  // namespace homeca::enroll
