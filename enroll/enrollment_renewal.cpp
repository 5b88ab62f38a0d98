// EnrollmentService: POST /enroll/v1/renew. The TLS client certificate is the
// credential: it must pass CheckClientCertificate (client_certificate.cpp:
// ours, on record, valid) and be the head of its renewal lineage
// (ca/lineage_record.h): a certificate renews once. The new certificate
// carries the stored names, never the CSR's.
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <algorithm>
#include <optional>

#include "ca/base/openssl_error.h"
#include "ca/csr.h"
#include "enroll/enrollment_service_impl.h"

namespace homeca::enroll {
namespace {

// Renewals per lineage (per device) in any rolling day. An honest device
// renews at two thirds of its lifetime (ca::RenewalDue): every 60 days at the default 90, and
// at most twice in any day at the shortest lifetime the CA issues (1 day,
// renewed every 16 hours); a crash retry returns the certificate already
// issued and counts nothing. Four leaves room for an admin forcing a renewal
// or two, and bounds what someone holding the current key can churn through
// the CA (each renewal is a signature, a row and a CRL entry if revoked).
constexpr int kMaxRenewalsPerDay = 4;
constexpr std::int64_t kRenewalWindowSeconds = 24 * 60 * 60;

// The crash-retry exception: a device that renewed, but died before it saved
// the new certificate, asks again from the old one with the key it had
// already generated (and saved) for the new one. We answer with the
// certificate already issued rather than a fresh one: that is idempotent,
// issues nothing, keeps the lineage unbranched, and the CSR's signature
// shows the requester holds the successor's key, so nothing is handed to
// someone who could not already use it. Only while that successor is still
// the head and valid: once it has renewed or been revoked, the device moved
// on or was cut off, and the old certificate is plainly superseded.
std::optional<EnrollmentResponse> RetryAnswer(ca::Authority& authority, const std::string& serial,
                                              const ca::LineageStanding& standing,
                                              const ca::CertificateRequest& csr, std::int64_t now,
                                              std::int64_t* contact) {
  if (standing.successor_serial.empty()) return std::nullopt;
  Result<ca::CertificateRecord> successor =
      authority.certificates().FindBySerial(standing.successor_serial);
  if (!successor.ok() || successor->id != standing.head_id ||
      ca::StateAt(*successor, now) != ca::CertificateState::kValid) {
    return std::nullopt;
  }
  Result<ca::Certificate> leaf = ca::Certificate::FromDer(successor->der);
  if (!leaf.ok()) return std::nullopt;
  EVP_PKEY* issued_key = X509_get0_pubkey(leaf->native());
  const bool same_key = issued_key != nullptr && EVP_PKEY_eq(issued_key, csr.public_key()) == 1;
  ossl::ClearErrors();
  if (!same_key) return std::nullopt;
  // Nothing was issued; the answer stands without its audit entry.
  Status written = authority.audit_log().AppendAudit(
      ca::AuditEntry{0, now, "renewal:" + serial, "renew-retry",
                     "serial " + serial + " asked again with its successor's key; returned " +
                         successor->serial_hex + ", nothing issued"});
  if (!written.ok()) ReportStoreFailure("renew-retry", written);
  RenewAnswer out;
  out.chain = {successor->der, authority.intermediate().der()};
  out.names = successor->names;
  out.not_after = successor->not_after;
  *contact = successor->id;
  return EnrollmentResponse{200, ToJson(out), 0, {}};
}

}  // namespace

EnrollmentResponse HandleRenewal(ca::Authority& authority, const EnrollmentRequest& request,
                                 std::int64_t* contact) {
  const std::int64_t now = authority.clock().Now();
  Result<PresentedCertificate> presented =
      CheckClientCertificate(authority, request, kRenewalUse, now);
  if (!presented.ok()) return ErrorResponse(presented.status());
  const std::string& serial = presented->serial;
  const ca::CertificateRecord& record = presented->record;
  Result<CsrRequest> msg = ParseCsrRequest(request.body);
  if (!msg.ok()) return ErrorResponse(msg.status());
  Result<ca::CertificateRequest> parsed = ca::CertificateRequest::Parse(ToString(msg->csr));
  if (!parsed.ok()) return Refuse(EnrollError::kBadCsr, parsed.status().message());

  // Twice at most: a renewal that loses the race for the head (another one
  // from the same certificate was stored first) reads the lineage again and
  // answers as if it had come second, which it did.
  for (int attempt = 0; attempt < 2; ++attempt) {
    Result<ca::LineageStanding> standing =
        authority.certificates().GetLineageStanding(record.id, now - kRenewalWindowSeconds);
    if (!standing.ok()) return FailInternal("the CA cannot read its records", standing.status());
    if (Status ended = RefuseEndedLineage(authority, kRenewalUse, serial, *standing); !ended.ok()) {
      return ErrorResponse(ended);
    }
    if (standing->head_id != record.id) {
      if (std::optional<EnrollmentResponse> again =
              RetryAnswer(authority, serial, *standing, *parsed, now, contact)) {
        return *again;
      }
      AuditRefusal(authority, kRenewalUse, serial,
                   "already renewed" + (standing->successor_serial.empty()
                                            ? std::string()
                                            : " as " + standing->successor_serial));
      return Refuse(EnrollError::kSuperseded,
                    "this certificate was already renewed; only the newest certificate renews");
    }
    if (standing->renewals_since >= kMaxRenewalsPerDay) {
      AuditRefusal(authority, kRenewalUse, serial, "rate limited");
      const std::int64_t wait =
          std::max<std::int64_t>(1, standing->oldest_renewal_since + kRenewalWindowSeconds - now);
      return ErrorResponse(Fail(EnrollError::kRateLimited,
                                "too many renewals for this device in the last day; try later")
                               .WithRetryAfter(static_cast<int>(wait)));
    }

    ca::IssueRequest renewal;
    renewal.checked_csr = *parsed;
    renewal.names = record.names;
    renewal.requester = "renewal:" + serial;
    renewal.renews = record.id;
    Result<ca::IssuedCertificate> issued = authority.Issue(renewal);
    if (!issued.ok() && issued.status().code() == ErrorCode::kPermissionDenied) continue;
    if (!issued.ok()) return FailInternal("the CA failed; nothing was issued", issued.status());
    // The new certificate is durable with its own "issue" entry (requester
    // renewal:<serial>); this line only links the two, and the device gets
    // its certificate whether or not it is written.
    Status written = authority.audit_log().AppendAudit(
        ca::AuditEntry{0, now, "renewal:" + serial, "renew",
                       "serial " + serial + " renewed as " + issued->record.serial_hex});
    if (!written.ok()) ReportStoreFailure("renew", written);
    RenewAnswer out;
    for (const ca::Certificate& cert : issued->chain) out.chain.push_back(cert.der());
    out.names = issued->record.names;
    out.not_after = issued->record.not_after;
    *contact = issued->record.id;
    return {200, ToJson(out), 0, {}};
  }
  AuditRefusal(authority, kRenewalUse, serial, "lost the race for the lineage twice");
  return Refuse(EnrollError::kSuperseded,
                "this certificate was already renewed; only the newest certificate renews");
}

}  // namespace homeca::enroll
