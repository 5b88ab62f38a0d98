// Internals of EnrollmentService, shared by enrollment_service.cpp (routing,
// start, exchange) and enrollment_finish.cpp (finish). Not a public header.
//
// Thread-safety: as EnrollmentService; every member is safe to use from many
// request threads (the session table and rate limiter lock themselves, the
// server hash has its own mutex, the Authority is thread-safe).
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>

#include "ca/authority.h"
#include "enroll/enrollment_messages.h"
#include "enroll/enrollment_service.h"
#include "enroll/enrollment_sessions.h"

namespace homeca::enroll {

// The fixed parts of the SPAKE2+ inputs (docs/enrollment-protocol.md).
inline constexpr std::string_view kContextPrefix = "homeca-enroll-v1";
inline constexpr std::string_view kVerifierId = kPairingVerifierId;
inline constexpr std::string_view kRequestAadPrefix = "homeca-enroll-v1 request";
inline constexpr std::string_view kResponseAadPrefix = "homeca-enroll-v1 response";
inline constexpr std::int64_t kRateWindowSeconds = 60;
// Expired pairings are marked (and audited) at most this often.
inline constexpr std::int64_t kExpirySweepSeconds = 60;
// The actor of audit entries the service writes on its own behalf.
inline constexpr const char* kServiceActor = "enrollment";

struct EnrollmentService::Impl {
  Impl(ca::Authority& a, EnrollmentOptions o);

  EnrollmentResponse Start(const std::string& body);
  EnrollmentResponse Exchange(const std::string& body);
  EnrollmentResponse Finish(const std::string& body);

  Bytes ServerCertSha256();
  std::string RenewUrl();
  void Audit(const PairingSession& session, const std::string& action, const std::string& what);
  void MaybeExpirePairings(std::int64_t now);

  ca::Authority& authority;
  const EnrollmentOptions options;
  SessionTable sessions;
  RateLimiter exchanges;

  std::mutex server_mu;
  Bytes server_sha256;    // guarded by server_mu
  std::string renew_url;  // guarded by server_mu (options.renew_url until a reload)
  std::atomic<std::int64_t> last_expiry_sweep{0};
};

// Ends a taken session's step on every way out of a handler: the session
// moves to `next`, which a handler changes as the step progresses.
class StepGuard {
 public:
  StepGuard(SessionTable& table, PairingSession& session, PairingSession::Stage next)
      : table_(table), session_(session), next_(next) {}
  ~StepGuard() { table_.Release(session_, next_); }
  StepGuard(const StepGuard&) = delete;
  StepGuard& operator=(const StepGuard&) = delete;
  void set_next(PairingSession::Stage next) { next_ = next; }

 private:
  SessionTable& table_;
  PairingSession& session_;
  PairingSession::Stage next_;
};

inline EnrollmentResponse Fail(ProtocolError error, std::string message) {
  return ErrorResponse(ProtocolFailure{error, std::move(message)});
}

// The CA's own failure: the device reads `message`, the daemon's log also
// `cause` (which may name files or SQL, and stays on the server).
inline EnrollmentResponse FailInternal(std::string message, const Status& cause) {
  EnrollmentResponse response = Fail(ProtocolError::kInternal, message);
  response.log_detail = message + ": " + cause.message();
  if (!cause.detail().empty()) response.log_detail += " (" + cause.detail() + ")";
  return response;
}

// "pairing 12 (slot 07)", as the store writes it in the audit log.
std::string PairingLabel(const ca::PairingRecord& pairing);

// AAD(request) / AAD(response): the prefix followed by the 16-byte session id.
Bytes SealAad(std::string_view prefix, const Bytes& session_id);

// POST /enroll/v1/renew (enrollment_renewal.cpp).
EnrollmentResponse HandleRenewal(ca::Authority& authority, const EnrollmentRequest& request);

}  // namespace homeca::enroll
