// Internals of EnrollmentService, shared by enrollment_service.cpp (routing,
// start, exchange), enrollment_finish.cpp (finish), enrollment_renewal.cpp
// (renew), enrollment_checkin.cpp (check-in) and client_certificate.cpp
// (what renew and check-in check of the TLS client certificate). Not a
// public header.
//
// Thread-safety: as EnrollmentService; every member is safe to use from many
// request threads (the session table and rate limiter lock themselves, the
// server hash has its own mutex, the Authority is thread-safe).
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "ca/authority.h"
#include "ca/lineage_record.h"
#include "enroll/enrollment_service.h"
#include "enroll/enrollment_sessions.h"
#include "enroll/protocol/errors.h"
#include "enroll/protocol/messages.h"
#include "enroll/store_failure.h"

namespace homeca::enroll {

inline constexpr std::int64_t kRateWindowSeconds = 60;
// Expired pairings are marked (and audited) at most this often.
inline constexpr std::int64_t kExpirySweepSeconds = 60;
// The actor of audit entries the service writes on its own behalf.
inline constexpr const char* kServiceActor = "enrollment";

// The per-certificate minimum interval between check-ins
// (enrollment_checkin.cpp): a map from certificate id to the time of its last
// answered check-in, pruned of entries older than the interval whenever it
// has grown. Only certificates that passed every check get an entry, so it
// holds at most one per valid device certificate.
class CheckInLimiter {
 public:
  // 0 and the check-in is counted at `now`, or the seconds to wait. A
  // check-in from another address than the certificate's last one waits
  // only a second: a device that renumbers moments after it checked in
  // must be heard at once, or its names point at the old address.
  int TryCheckIn(std::int64_t certificate_id, const std::string& address, std::int64_t now);

 private:
  struct Last {
    std::int64_t at = 0;
    std::string address;
  };
  std::mutex mu_;
  std::unordered_map<std::int64_t, Last> last_;  // guarded by mu_
  std::size_t prune_at_ = 1024;                  // guarded by mu_
};

struct EnrollmentService::Impl {
  Impl(ca::Authority& a, EnrollmentOptions o);

  EnrollmentResponse Start(const std::string& body);
  EnrollmentResponse Exchange(const std::string& body);
  // On success, *contact is the id of the certificate issued.
  EnrollmentResponse Finish(const std::string& body, std::int64_t* contact);
  // The device says the CA's confirmation did not match its code.
  EnrollmentResponse Mismatch(const std::string& body);
  // Counts the session's attempt as a wrong code (for the admin's page).
  void RecordWrongCode(const PairingSession& session, const std::string& what);

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
  CheckInLimiter checkins;
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

// The answer to a refused request: `failure` is a Status whose reason() is
// the protocol's error word (enroll/protocol/errors.h: Fail). A failure that
// names no error the CA sends is the CA's own ("internal"); its detail goes
// to the daemon's log (EnrollmentResponse::log_detail), never to the device.
EnrollmentResponse ErrorResponse(const Status& failure);

inline EnrollmentResponse Refuse(EnrollError error, std::string message) {
  return ErrorResponse(Fail(error, std::move(message)));
}

// The CA's own failure: the device reads `message`, the daemon's log also
// `cause` (which may name files or SQL, and stays on the server).
Status InternalFailure(std::string message, const Status& cause);
inline EnrollmentResponse FailInternal(std::string message, const Status& cause) {
  return ErrorResponse(InternalFailure(std::move(message), cause));
}

// "pairing 12 (slot 07)", as the store writes it in the audit log.
std::string PairingLabel(const ca::PairingRecord& pairing);

// What uses the TLS client certificate as its credential, for messages and
// the audit log: refusals are audited as `refused_action` by
// `actor_prefix` + the certificate's serial.
struct CredentialUse {
  std::string_view endpoint;        // "renewal", "check-in": for messages
  std::string_view actor_prefix;    // "renewal:"
  std::string_view refused_action;  // "renew-refused"
};
inline constexpr CredentialUse kRenewalUse{"renewal", "renewal:", "renew-refused"};
inline constexpr CredentialUse kCheckInUse{"check-in", "checkin:", "checkin-refused"};

void AuditRefusal(ca::Authority& authority, const CredentialUse& use, const std::string& serial,
                  const std::string& why);

// The client certificate that passed CheckClientCertificate.
struct PresentedCertificate {
  ca::CertificateRecord record;
  std::string serial;  // hex, as the store writes it
};

// The checks renewal and check-in share (client_certificate.cpp): a client
// certificate signed by our intermediate, on record with exactly these
// bytes, not revoked and not expired at `now`; or the refusal to answer
// with (audited when the certificate is ours).
Result<PresentedCertificate> CheckClientCertificate(ca::Authority& authority,
                                                    const EnrollmentRequest& request,
                                                    const CredentialUse& use, std::int64_t now);

// The refusal for a certificate whose lineage was ended (its device was
// revoked), audited; OK while the lineage lives.
Status RefuseEndedLineage(ca::Authority& authority, const CredentialUse& use,
                          const std::string& serial, const ca::LineageStanding& standing);

// POST /enroll/v1/renew (enrollment_renewal.cpp). On success, *contact is the
// id of the certificate the device now holds (issued, or the retry answer).
EnrollmentResponse HandleRenewal(ca::Authority& authority, const EnrollmentRequest& request,
                                 std::int64_t* contact);
// POST /enroll/v1/checkin (enrollment_checkin.cpp). On success, *contact is
// the id of the presented certificate.
EnrollmentResponse HandleCheckIn(ca::Authority& authority, CheckInLimiter& limiter,
                                 const EnrollmentRequest& request, std::int64_t* contact);

}  // namespace homeca::enroll
