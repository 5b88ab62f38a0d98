// EnrollmentService: routing, start and exchange, and reporting device
// contact. Finish is in enrollment_finish.cpp, renewal in
// enrollment_renewal.cpp, check-in in enrollment_checkin.cpp.
#include "enroll/enrollment_service.h"

#include <algorithm>

#include "enroll/enrollment_service_impl.h"
#include "enroll/protocol/limits.h"
#include "enroll/protocol/transcript.h"

namespace homeca::enroll {
namespace {

using Stage = PairingSession::Stage;

std::string ProverId(const ca::PairingKey& key) { return PairingProverId(key.slot, key.device_id); }

// Tells options.on_device_contact about an answered, authenticated request.
// Its failure is the daemon's to log; the device keeps its answer.
void ReportContact(const EnrollmentOptions& options, const EnrollmentRequest& request,
                   std::int64_t certificate_id, const char* how, EnrollmentResponse& response) {
  if (!options.on_device_contact || request.peer_address.empty() || certificate_id <= 0 ||
      response.http_status != 200) {
    return;
  }
  std::string failure;
  try {
    options.on_device_contact(DeviceContact{certificate_id, request.peer_address, how});
    return;
  } catch (const std::exception& e) {
    failure = e.what();
  } catch (...) {
    failure = "an unknown exception";
  }
  response.log_detail =
      std::string("the device's ") + how + " contact was not recorded: " + failure;
}

}  // namespace

std::string PairingLabel(const ca::PairingRecord& pairing) {
  return "pairing " + std::to_string(pairing.id) + " (" + pairing.key.Describe() + ")";
}

EnrollmentResponse ErrorResponse(const Status& failure) {
  EnrollError error = ErrorOf(failure);
  if (!IsSentByCa(error)) error = EnrollError::kCaInternal;
  EnrollmentResponse response;
  response.http_status = HttpStatus(error);
  response.body = ErrorAnswerJson(error, failure.message());
  if (error == EnrollError::kRateLimited) {
    response.retry_after_seconds = std::max(1, failure.retry_after_seconds());
  }
  if (error == EnrollError::kCaInternal && !failure.detail().empty()) {
    response.log_detail = failure.message() + ": " + failure.detail();
  }
  return response;
}

Status InternalFailure(std::string message, const Status& cause) {
  std::string detail = cause.message();
  if (!cause.detail().empty()) detail += " (" + cause.detail() + ")";
  return Fail(EnrollError::kCaInternal, std::move(message), std::move(detail));
}

EnrollmentService::Impl::Impl(ca::Authority& a, EnrollmentOptions o)
    : authority(a),
      options(std::move(o)),
      sessions(options.session_ttl_seconds, options.max_sessions),
      exchanges(options.max_exchanges_per_minute, kRateWindowSeconds),
      server_sha256(options.server_cert_sha256),
      renew_url(options.renew_url) {}

Bytes EnrollmentService::Impl::ServerCertSha256() {
  std::lock_guard<std::mutex> lock(server_mu);
  return server_sha256;
}

std::string EnrollmentService::Impl::RenewUrl() {
  std::lock_guard<std::mutex> lock(server_mu);
  return renew_url;
}

void EnrollmentService::Impl::Audit(const PairingSession& session, const std::string& action,
                                    const std::string& what) {
  // The answer to the device does not depend on the audit entry.
  Status written = authority.audit_log().AppendAudit(
      ca::AuditEntry{0, authority.clock().Now(), session.actor, action,
                     PairingLabel(session.pairing) + ": " + what});
  if (!written.ok()) ReportStoreFailure(action, written);
}

void EnrollmentService::Impl::MaybeExpirePairings(std::int64_t now) {
  std::int64_t last = last_expiry_sweep.load();
  if (now - last < kExpirySweepSeconds || !last_expiry_sweep.compare_exchange_strong(last, now)) {
    return;
  }
  // Only housekeeping: FindArmedPairing refuses an expired pairing anyway.
  Result<int> expired = authority.pairings().ExpirePairings(now, kServiceActor);
  if (!expired.ok()) ReportStoreFailure("the pairing expiry sweep", expired.status());
}

EnrollmentResponse EnrollmentService::Impl::Start(const std::string& body) {
  Result<StartRequest> parsed = ParseStartRequest(body);
  if (!parsed.ok()) return ErrorResponse(parsed.status());
  const StartRequest& msg = *parsed;
  const Bytes server_hash = ServerCertSha256();
  if (server_hash.size() != 32) {
    return Refuse(EnrollError::kCaInternal, "the CA has no TLS certificate to bind pairing to");
  }
  const std::int64_t now = authority.clock().Now();
  MaybeExpirePairings(now);
  const ca::PairingKey key =
      msg.slot ? ca::PairingKey::Slot(*msg.slot) : ca::PairingKey::Device(msg.device_id);
  Result<ca::PairingRecord> pairing = authority.pairings().FindArmedPairing(key, now);
  if (!pairing.ok()) {
    if (pairing.status().IsNotFound()) {
      return Refuse(EnrollError::kNoPairing, "no pairing is waiting for this " +
                                                 std::string(msg.slot ? "slot" : "device id"));
    }
    return FailInternal("the CA cannot read its pairings", pairing.status());
  }
  auto session = std::make_shared<PairingSession>();
  session->pairing = std::move(*pairing);
  session->actor = ProverId(key);
  session->ids = PairingIds(server_hash, session->actor);
  const Bytes salt = session->pairing.salt;
  // Rows without a KDF string are PBKDF2 with the iterations column.
  Result<PasswordKdf> kdf =
      session->pairing.kdf.empty()
          ? Result<PasswordKdf>(PasswordKdf::Pbkdf2(session->pairing.iterations))
          : ParsePasswordKdf(session->pairing.kdf);
  if (!kdf.ok()) return FailInternal("the CA's pairing record is unreadable", kdf.status());
  if (int wait = sessions.Add(session, now); wait > 0) {
    return ErrorResponse(
        Fail(EnrollError::kRateLimited, "too many pairing sessions are open; try again later")
            .WithRetryAfter(wait));
  }
  return {200, ToJson(StartAnswer{session->id, salt, *kdf}), 0, {}};
}

EnrollmentResponse EnrollmentService::Impl::Exchange(const std::string& body) {
  Result<ExchangeRequest> parsed = ParseExchangeRequest(body);
  if (!parsed.ok()) return ErrorResponse(parsed.status());
  const ExchangeRequest& msg = *parsed;
  const std::int64_t now = authority.clock().Now();
  std::shared_ptr<PairingSession> s;
  switch (sessions.TakeAt(msg.session, Stage::kStarted, now, &s)) {
    case SessionTable::Take::kUnknown:
      return Refuse(EnrollError::kUnknownSession, "unknown or expired session; start again");
    case SessionTable::Take::kOutOfOrder:
      return Refuse(EnrollError::kOutOfOrder, "this session has already exchanged keys");
    case SessionTable::Take::kTaken:
      break;
  }
  // Until the exchange is answered nothing has changed: back to kStarted.
  StepGuard step(sessions, *s, Stage::kStarted);
  if (msg.share_p.size() != kSpakePointSize) {
    return Refuse(EnrollError::kBadPoint, "share_p must be a 65-byte uncompressed P-256 point");
  }
  const VerifierRecord record{SecretBytes(s->pairing.verifier.w0), s->pairing.verifier.l};
  Result<Spake2PlusVerifier> verifier = Spake2PlusVerifier::Create(s->ids, record);
  if (!verifier.ok()) return FailInternal("the CA cannot run the key exchange", verifier.status());

  if (std::optional<int> wait = exchanges.TryAcquire(now)) {
    return ErrorResponse(
        Fail(EnrollError::kRateLimited, "too many key exchanges in the last minute")
            .WithRetryAfter(*wait));
  }
  bool answered = false;
  struct GiveBack {
    RateLimiter& limiter;
    std::int64_t at;
    const bool& answered;
    ~GiveBack() {
      if (!answered) limiter.Release(at);
    }
  } give_back{exchanges, now, answered};

  Result<Spake2PlusVerifier::Response> response = verifier->Respond(msg.share_p);
  if (!response.ok()) {
    if (response.status().IsInvalidArgument()) {
      return Refuse(EnrollError::kBadPoint, "share_p is not a valid P-256 point");
    }
    return FailInternal("the CA cannot run the key exchange", response.status());
  }
  // Counted before shareV and confirmV leave the CA: an exchange answered is
  // a guess spent, whether or not the device ever finishes.
  Result<ca::PairingAttempt> attempt = authority.pairings().RecordPairingAttempt(
      s->pairing.id, options.max_attempts_per_pairing, now, s->actor);
  if (!attempt.ok()) return FailInternal("the CA cannot record the attempt", attempt.status());
  switch (attempt->outcome) {
    case ca::PairingAttempt::Outcome::kBurned:
      step.set_next(Stage::kDone);
      return Refuse(EnrollError::kCodeBurned, "this pairing has had its " +
                                                  std::to_string(attempt->attempts) +
                                                  " attempts and is now unusable");
    case ca::PairingAttempt::Outcome::kNotArmed:
      step.set_next(Stage::kDone);
      if (attempt->state == ca::PairingState::kBurned) {
        return Refuse(EnrollError::kCodeBurned, "this pairing has used up its attempts");
      }
      return Refuse(EnrollError::kNoPairing, "the pairing is no longer waiting");
    case ca::PairingAttempt::Outcome::kCounted:
      break;
  }
  answered = true;
  s->verifier.emplace(std::move(verifier).value());
  step.set_next(Stage::kExchanged);
  return {200, ToJson(ExchangeAnswer{response->share_v, response->confirm_v}), 0, {}};
}

EnrollmentService::EnrollmentService(ca::Authority& authority, EnrollmentOptions options)
    : impl_(std::make_unique<Impl>(authority, std::move(options))) {}

EnrollmentService::~EnrollmentService() = default;

EnrollmentResponse EnrollmentService::Handle(const EnrollmentRequest& request) {
  try {
    if (request.body.size() > kMaxRequestBody) {
      return Refuse(EnrollError::kBadRequest, "the request body is larger than 64 KiB");
    }
    std::string_view endpoint = request.path;
    if (!endpoint.starts_with(kEnrollPath) || endpoint.substr(kEnrollPath.size(), 1) != "/") {
      return Refuse(EnrollError::kUnknownEndpoint, "no such enrollment endpoint");
    }
    endpoint.remove_prefix(kEnrollPath.size() + 1);
    if (endpoint == kStartEndpoint) return impl_->Start(request.body);
    if (endpoint == kExchangeEndpoint) return impl_->Exchange(request.body);
    if (endpoint == kMismatchEndpoint) return impl_->Mismatch(request.body);
    // The three authenticated contacts: each sets `contact` to the id of the
    // certificate the device holds once it has its answer, on success only.
    std::int64_t contact = 0;
    EnrollmentResponse response;
    const char* how = nullptr;
    if (endpoint == kFinishEndpoint) {
      response = impl_->Finish(request.body, &contact);
      how = "pairing";
    } else if (endpoint == kRenewEndpoint) {
      response = HandleRenewal(impl_->authority, request, &contact);
      how = "renewal";
    } else if (endpoint == kCheckInEndpoint) {
      response = HandleCheckIn(impl_->authority, impl_->checkins, request, &contact);
      how = "checkin";
    } else {
      return Refuse(EnrollError::kUnknownEndpoint, "no such enrollment endpoint");
    }
    ReportContact(impl_->options, request, contact, how, response);
    return response;
  } catch (const std::exception& e) {
    // Allocation failure or a bug; any transaction rolled back on the way out.
    return FailInternal("the CA failed; nothing was issued", Status::Internal(e.what()));
  } catch (...) {
    return FailInternal("the CA failed; nothing was issued",
                        Status::Internal("an unknown exception"));
  }
}

void EnrollmentService::SetServerCertificateSha256(Bytes sha256) {
  std::lock_guard<std::mutex> lock(impl_->server_mu);
  impl_->server_sha256 = std::move(sha256);
}

void EnrollmentService::SetRenewUrl(std::string renew_url) {
  std::lock_guard<std::mutex> lock(impl_->server_mu);
  impl_->renew_url = std::move(renew_url);
}

void EnrollmentService::SetMaxExchangesPerMinute(int max) { impl_->exchanges.SetMax(max); }

}  // namespace homeca::enroll
