// EnrollmentService: POST /enroll/v1/checkin. An enrolled device tells the CA
// where it is now, typically because its addresses changed. The TLS client
// certificate is the credential, checked exactly as renewal checks it
// (client_certificate.cpp), and it must be the head of its lineage: a copy
// of a certificate the device has since renewed cannot say where the device
// is. The answer is the address the CA saw and the certificate's names;
// nothing is issued, and an answered check-in is not audited (devices may
// check in often), while refusals are, as renewal's are.
#include <algorithm>

#include "enroll/enrollment_service_impl.h"

namespace homeca::enroll {
namespace {

// A device checks in when its addresses change (debounced) and when it
// starts: rarely. Five seconds between answered check-ins of one certificate
// is far more than an honest device needs and keeps a broken or hostile one
// (it needs a valid device key) from making the CA record contacts in a
// tight loop. The refusal is not audited: that would only move the flood
// into the audit log.
constexpr std::int64_t kMinCheckInIntervalSeconds = 5;
constexpr std::int64_t kMinMovedCheckInIntervalSeconds = 1;

}  // namespace

int CheckInLimiter::TryCheckIn(std::int64_t certificate_id, const std::string& address,
                               std::int64_t now) {
  std::lock_guard<std::mutex> lock(mu_);
  if (auto it = last_.find(certificate_id); it != last_.end()) {
    const std::int64_t interval = it->second.address == address ? kMinCheckInIntervalSeconds
                                                                : kMinMovedCheckInIntervalSeconds;
    const std::int64_t wait = it->second.at + interval - now;
    if (wait > 0) return static_cast<int>(wait);
  }
  last_[certificate_id] = Last{now, address};
  if (last_.size() >= prune_at_) {
    std::erase_if(last_, [&](const auto& entry) {
      return now - entry.second.at >= kMinCheckInIntervalSeconds;
    });
    // Pruning again only once the map has doubled keeps the cost per
    // check-in constant however many devices check in at once.
    prune_at_ = std::max<std::size_t>(1024, 2 * last_.size());
  }
  return 0;
}

EnrollmentResponse HandleCheckIn(ca::Authority& authority, CheckInLimiter& limiter,
                                 const EnrollmentRequest& request, std::int64_t* contact) {
  const std::int64_t now = authority.clock().Now();
  Result<PresentedCertificate> checked =
      CheckClientCertificate(authority, request, kCheckInUse, now);
  if (!checked.ok()) return ErrorResponse(checked.status());
  const PresentedCertificate& presented = *checked;
  if (Result<CheckInRequest> body = ParseCheckInRequest(request.body); !body.ok()) {
    return ErrorResponse(body.status());
  }
  // The window only matters to renewal's rate count; any value will do.
  Result<ca::LineageStanding> standing =
      authority.certificates().GetLineageStanding(presented.record.id, now);
  if (!standing.ok()) return FailInternal("the CA cannot read its records", standing.status());
  if (Status ended = RefuseEndedLineage(authority, kCheckInUse, presented.serial, *standing);
      !ended.ok()) {
    return ErrorResponse(ended);
  }
  if (standing->head_id != presented.record.id) {
    AuditRefusal(authority, kCheckInUse, presented.serial,
                 "already renewed" + (standing->successor_serial.empty()
                                          ? std::string()
                                          : " as " + standing->successor_serial));
    return Refuse(EnrollError::kSuperseded,
                  "this certificate was already renewed; check in with the newest certificate");
  }
  if (int wait = limiter.TryCheckIn(presented.record.id, request.peer_address, now); wait > 0) {
    return ErrorResponse(
        Fail(EnrollError::kRateLimited, "this device checked in moments ago; try again later")
            .WithRetryAfter(wait));
  }
  *contact = presented.record.id;
  return {200, ToJson(CheckInAnswer{request.peer_address, presented.record.names}), 0, {}};
}

}  // namespace homeca::enroll
