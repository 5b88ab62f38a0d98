// AcmeService: finalize (RFC 8555 section 7.4), synchronous. The CSR must
// ask for exactly the order's names; the certificate is issued through the
// Authority as every device certificate is (the pairing's first completes
// the pairing, later ones renew the device's lineage), durable in the store
// together with the order made valid (one transaction, one fsync) before the
// answer, which is the order, valid, with its certificate URL.
#include <algorithm>

#include "ca/csr.h"
#include "enroll/acme/acme_rate_limits.h"
#include "enroll/acme/acme_service_impl.h"
#include "enroll/acme/json_strict.h"

namespace homeca::enroll::acme {
namespace {

std::vector<std::string> Sorted(std::vector<std::string> names) {
  std::sort(names.begin(), names.end());
  return names;
}

// The parsed CSR, or badCSR: it must pass the CA's key rules (RSA 2048 to
// 8192, EC P-256 or P-384, a SHA-2 signature) and ask for the order's names.
Result<ca::CertificateRequest> CheckCsr(const Poco::JSON::Object& payload,
                                        const std::vector<std::string>& order_names) {
  Result<std::string> csr_text = RequiredString(payload, "csr", "finalize");
  if (!csr_text.ok()) return csr_text.status();
  std::optional<Bytes> der = Base64UrlDecode(*csr_text);
  if (!der || der->empty()) {
    return AcmeError(ProblemType::kBadCsr, "\"csr\" is not unpadded base64url DER");
  }
  Result<ca::CertificateRequest> parsed = ca::CertificateRequest::Parse(ToString(*der));
  if (!parsed.ok()) return AcmeError(ProblemType::kBadCsr, parsed.status().message());
  // Its commonNames and subjectAltNames; a name of another kind never
  // equals an order's DNS name.
  if (Sorted(parsed->RequestedNames()) != Sorted(order_names)) {
    return AcmeError(ProblemType::kBadCsr,
                     "the CSR must ask for exactly the order's names, no more and no fewer");
  }
  return parsed;
}

}  // namespace

AcmeHttpResponse AcmeService::Impl::Finalize(const AcmeHttpRequest& request, const AcmeUrls& urls,
                                             std::int64_t order_id) {
  Result<OrderRequest> about = VerifyOrder(request, urls, order_id);
  if (!about.ok()) return ProblemAnswer(about.status());
  const VerifiedRequest* verified = &about->checked.verified;
  const Requester* requester = &about->checked.requester;
  Result<ca::AcmeOrder> order = about->order;
  const std::int64_t now = Now();
  if (order->status != ca::AcmeOrderStatus::kReady || order->expires_at <= now) {
    return ProblemAnswer(
        AcmeError(ProblemType::kOrderNotReady,
                  std::string("the order is ") +
                      (order->expires_at <= now ? "expired" : ca::ToString(order->status)) +
                      ", not ready; make a new order"));
  }
  Result<Poco::JSON::Object::Ptr> payload = PayloadObject(*verified);
  if (!payload.ok()) return ProblemAnswer(payload.status());
  std::vector<std::string> names;
  for (const ca::AcmeAuthorization& authz : order->authorizations) names.push_back(authz.name);
  Result<ca::CertificateRequest> csr = CheckCsr(**payload, names);
  if (!csr.ok()) return ProblemAnswer(csr.status());

  const std::string actor = AccountActor(requester->account.id);
  Result<ca::IssuedCertificate> issued = Status::Internal("not issued");
  // Twice at most, as a renewal: a concurrent finalize of the same device
  // may complete the pairing or move the lineage's head between our read
  // and our write; the store then refuses ours, and we read again. The
  // order becomes valid in the transaction that stores the certificate, so
  // of two finalizes of one order only one stores anything.
  for (int attempt = 0; attempt < 2; ++attempt) {
    Result<DeviceStanding> standing = Standing(requester->account.pairing_id);
    if (!standing.ok()) {
      issued = standing.status();
      break;
    }
    Status limited = CheckCertificateRate(authority, *standing, certificates_per_day);
    if (!limited.ok()) return ProblemAnswer(limited);
    ca::IssueRequest issue;
    issue.checked_csr = *csr;
    issue.names = names;
    issue.requester = actor;
    issue.acme_order = order_id;
    if (standing->head_id) {
      issue.renews = *standing->head_id;
    } else {
      issue.pairing_id = standing->pairing.id;
    }
    issued = authority.Issue(issue);
    if (issued.ok()) break;
    const ErrorCode code = issued.status().code();
    if (code != ErrorCode::kNotFound && code != ErrorCode::kPermissionDenied) break;
  }
  if (!issued.ok()) {
    const ErrorCode code = issued.status().code();
    if (issued.status().reason() == ca::kAcmeOrderNotReady) {
      return ProblemAnswer(AcmeError(ProblemType::kOrderNotReady,
                                     "the order was finalized meanwhile, or given up; fetch it"));
    }
    if (code == ErrorCode::kNotFound || code == ErrorCode::kPermissionDenied) {
      return ProblemAnswer(
          AcmeError(ProblemType::kUnauthorized,
                    "this device can no longer get certificates: " + issued.status().message()));
    }
    if (issued.status().IsPolicyViolation() || issued.status().IsInvalidArgument()) {
      return ProblemAnswer(AcmeError(ProblemType::kBadCsr, issued.status().message()));
    }
    return ProblemAnswer(issued.status());
  }
  // What the store now holds, without reading it back.
  order->status = ca::AcmeOrderStatus::kValid;
  order->certificate_serial = issued->record.serial_hex;
  AcmeHttpResponse answer = JsonAnswer(200, OrderObject(*order, urls, now));
  answer.headers.emplace_back("Location", urls.Order(order_id));
  return answer;
}

}  // namespace homeca::enroll::acme
