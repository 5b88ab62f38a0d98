// EnrollmentService: what renewal and check-in check of the TLS client
// certificate, their one credential. It must be signed by this CA's
// intermediate, be on record with exactly these bytes, and be neither
// revoked nor expired; the caller then asks where it stands in its lineage.
#include <openssl/x509.h>

#include <cstdio>

#include "ca/base/openssl_error.h"
#include "enroll/enrollment_service_impl.h"

namespace homeca::enroll {
namespace {

// Signed by our intermediate, checked offline against its public key (no
// chain building, no network): the only issuer whose leaves we accept.
bool IssuedByIntermediate(const ca::Certificate& leaf, const ca::Certificate& intermediate) {
  EVP_PKEY* key = X509_get0_pubkey(intermediate.native());
  const bool ok = key != nullptr &&
                  X509_NAME_cmp(X509_get_issuer_name(leaf.native()),
                                X509_get_subject_name(intermediate.native())) == 0 &&
                  X509_verify(leaf.native(), key) == 1;
  ossl::ClearErrors();  // a foreign certificate is an expected answer, not a fault
  return ok;
}

}  // namespace

void AuditRefusal(ca::Authority& authority, const CredentialUse& use, const std::string& serial,
                  const std::string& why) {
  // The refusal stands whether or not its audit entry is written.
  Status written = authority.audit_log().AppendAudit(
      ca::AuditEntry{0, authority.clock().Now(), std::string(use.actor_prefix) + serial,
                     std::string(use.refused_action), "serial " + serial + ": " + why});
  if (!written.ok()) ReportStoreFailure(use.refused_action, written);
}

void ReportStoreFailure(std::string_view what, const Status& failure) {
  std::fprintf(stderr, "homeca enrollment: %.*s was not recorded: %s%s\n",
               static_cast<int>(what.size()), what.data(), failure.message().c_str(),
               failure.detail().empty() ? "" : (" (" + failure.detail() + ")").c_str());
}

Result<PresentedCertificate> CheckClientCertificate(ca::Authority& authority,
                                                    const EnrollmentRequest& request,
                                                    const CredentialUse& use, std::int64_t now) {
  if (request.client_chain.empty()) {
    return Fail(
        EnrollError::kNoClientCertificate,
        std::string(use.endpoint) + " needs the current certificate as the TLS client certificate");
  }
  Result<ca::Certificate> leaf = ca::Certificate::FromDer(request.client_chain.front());
  if (!leaf.ok() || !IssuedByIntermediate(*leaf, authority.intermediate())) {
    return Fail(EnrollError::kNoClientCertificate,
                "the client certificate was not issued by this CA");
  }
  const std::string serial = leaf->SerialHex();
  Result<ca::CertificateRecord> record = authority.certificates().FindBySerial(serial);
  if (!record.ok() && !record.status().IsNotFound()) {
    return InternalFailure("the CA cannot read its records", record.status());
  }
  // Same serial but other bytes would mean a second certificate signed with
  // our key that we never stored: treat it as unknown, loudly.
  if (!record.ok() || record->der != leaf->der()) {
    AuditRefusal(authority, use, serial, "not on record");
    return Fail(EnrollError::kUnknownCertificate, "this CA has no record of the certificate");
  }
  switch (ca::StateAt(*record, now)) {
    case ca::CertificateState::kRevoked:
      AuditRefusal(authority, use, serial, "revoked");
      return Fail(EnrollError::kRevoked, "the certificate has been revoked");
    case ca::CertificateState::kExpired:
      AuditRefusal(authority, use, serial, "expired");
      return Fail(EnrollError::kExpired, "the certificate has expired; pair the device again");
    case ca::CertificateState::kValid:
      break;
  }
  return PresentedCertificate{std::move(record).value(), serial};
}

Status RefuseEndedLineage(ca::Authority& authority, const CredentialUse& use,
                          const std::string& serial, const ca::LineageStanding& standing) {
  if (!standing.ended_at.has_value()) return Status::Ok();
  AuditRefusal(authority, use, serial, "device revoked");
  return Fail(EnrollError::kRevoked, "the device has been revoked; pair it again");
}

}  // namespace homeca::enroll
