// EnrollmentService: POST /enroll/v1/finish. Key confirmation, the sealed
// CSR, issuance (which marks the pairing paired in the same transaction) and
// the sealed answer with chain, root and names.
#include <string>

#include "ca/csr.h"
#include "enroll/enrollment_service_impl.h"
#include "enroll/pake/seal.h"
#include "enroll/protocol/transcript.h"

namespace homeca::enroll {
namespace {

using Stage = PairingSession::Stage;

struct SessionKeys {
  SealKey device_to_ca;
  SealKey ca_to_device;
};

Result<SessionKeys> DeriveKeys(const Spake2PlusVerifier& verifier) {
  Result<SecretBytes> shared = verifier.SharedKey();
  if (!shared.ok()) return shared.status();
  Result<SealKey> in = SealKey::Derive(shared->span(), kSealInfoDeviceToCa);
  if (!in.ok()) return in.status();
  Result<SealKey> out = SealKey::Derive(shared->span(), kSealInfoCaToDevice);
  if (!out.ok()) return out.status();
  return SessionKeys{*in, *out};
}

PairingResult ResultOf(const ca::IssuedCertificate& issued, const Bytes& root,
                       std::string renew_url) {
  PairingResult out;
  for (const ca::Certificate& cert : issued.chain) out.chain.push_back(cert.der());
  out.root = root;
  out.names = issued.record.names;
  out.not_after = issued.record.not_after;
  out.renew_url = std::move(renew_url);
  return out;
}

}  // namespace

EnrollmentResponse EnrollmentService::Impl::Finish(const std::string& body, std::int64_t* contact) {
  Result<FinishRequest> parsed_request = ParseFinishRequest(body);
  if (!parsed_request.ok()) return ErrorResponse(parsed_request.status());
  const FinishRequest& msg = *parsed_request;
  const std::int64_t now = authority.clock().Now();
  std::shared_ptr<PairingSession> s;
  switch (sessions.TakeAt(msg.session, Stage::kExchanged, now, &s)) {
    case SessionTable::Take::kUnknown:
      return Refuse(EnrollError::kUnknownSession, "unknown or expired session; start again");
    case SessionTable::Take::kOutOfOrder:
      return Refuse(
          EnrollError::kOutOfOrder,
          "this session is not waiting for finish (no exchange yet, or already finished)");
    case SessionTable::Take::kTaken:
      break;
  }
  // From the confirmation check on, the session's keys are spent whatever
  // happens: one try per exchange, and one sealed message each way.
  StepGuard step(sessions, *s, Stage::kDone);
  if (!s->verifier->Finish(msg.confirm_p).ok()) {
    RecordWrongCode(*s, "key confirmation failed (wrong code, or an intercepted connection)");
    return Refuse(EnrollError::kBadConfirmation,
                  "key confirmation failed: the pairing code is wrong, or the connection was "
                  "intercepted");
  }
  Result<SessionKeys> keys = DeriveKeys(*s->verifier);
  if (!keys.ok()) return FailInternal("the CA cannot derive the session keys", keys.status());
  Result<Bytes> plaintext = keys->device_to_ca.Open(msg.sealed_request, RequestAad(s->id));
  if (!plaintext.ok()) {
    Audit(*s, "pairing-finish-failed", "the sealed request did not open");
    return Refuse(EnrollError::kBadRequest, "the sealed request cannot be opened");
  }
  Result<CsrRequest> csr_msg = ParseCsrRequest(ToString(*plaintext));
  if (!csr_msg.ok()) {
    Audit(*s, "pairing-finish-failed", "the sealed request is malformed");
    return ErrorResponse(csr_msg.status());
  }
  // Checked here, before issuing, so that every CSR problem reads as bad_csr
  // and anything Issue refuses after it is the CA's own failure.
  Result<ca::CertificateRequest> parsed = ca::CertificateRequest::Parse(ToString(csr_msg->csr));
  if (!parsed.ok()) {
    Audit(*s, "pairing-finish-failed", "CSR refused: " + parsed.status().message());
    return Refuse(EnrollError::kBadCsr, parsed.status().message());
  }
  ca::IssueRequest request;
  request.checked_csr = *parsed;
  request.names = s->pairing.names;
  request.requester = "pairing:" + std::to_string(s->pairing.id);
  request.pairing_id = s->pairing.id;
  Result<ca::IssuedCertificate> issued = authority.Issue(request);
  if (!issued.ok()) {
    // NotFound: the pairing was used, burned, cancelled or expired since the
    // exchange (e.g. by a concurrent finish); nothing was stored.
    if (issued.status().IsNotFound()) {
      return Refuse(EnrollError::kNoPairing, "the pairing is no longer waiting");
    }
    Audit(*s, "pairing-finish-failed", "issuance failed: " + issued.status().message());
    return FailInternal("the CA failed; nothing was issued", issued.status());
  }
  // A pairing that replaced a device revoked its certificates with this
  // issuance (the store did, in the same transaction): relying parties
  // learn it from a fresh CRL now, not at the next daily one.
  if (Result<ca::PairingSummary> done = authority.pairings().GetPairing(s->pairing.id, now);
      done.ok() && done->replaces > 0) {
    Result<ca::Crl> crl = authority.PublishCrl(s->actor);
    if (!crl.ok()) ReportStoreFailure("the CRL after a replaced device", crl.status());
  }
  const std::string result = ToJson(ResultOf(*issued, authority.root().der(), RenewUrl()));
  Result<Bytes> sealed = keys->ca_to_device.Seal(ToBytes(result), ResponseAad(s->id));
  if (!sealed.ok()) {
    // Stored and marked paired, but the device never sees it: the admin has
    // to pair again. AES-GCM encryption failing means OpenSSL is broken.
    Audit(*s, "pairing-finish-failed",
          "certificate " + issued->record.serial_hex + " issued but the answer cannot be sealed");
    return FailInternal("the CA failed to seal its answer", sealed.status());
  }
  *contact = issued->record.id;
  return {200, ToJson(FinishAnswer{*sealed}), 0, {}};
}

void EnrollmentService::Impl::RecordWrongCode(const PairingSession& session,
                                              const std::string& what) {
  // The answer to the device does not depend on this record.
  Status recorded = authority.pairings().RecordPairingFailure(
      session.pairing.id, authority.clock().Now(), session.actor, what);
  if (!recorded.ok() && !recorded.IsFailedPrecondition()) {
    ReportStoreFailure("recording a wrong pairing code", recorded);
  }
}

EnrollmentResponse EnrollmentService::Impl::Mismatch(const std::string& body) {
  Result<MismatchRequest> parsed = ParseMismatchRequest(body);
  if (!parsed.ok()) return ErrorResponse(parsed.status());
  std::shared_ptr<PairingSession> s;
  // Only a session that exchanged keys and has not finished: one report per
  // counted attempt, and the session is spent by it.
  switch (sessions.TakeAt(parsed->session, Stage::kExchanged, authority.clock().Now(), &s)) {
    case SessionTable::Take::kUnknown:
      return Refuse(EnrollError::kUnknownSession, "unknown or expired session");
    case SessionTable::Take::kOutOfOrder:
      return Refuse(EnrollError::kOutOfOrder, "this session is not waiting for finish");
    case SessionTable::Take::kTaken:
      break;
  }
  StepGuard step(sessions, *s, Stage::kDone);
  RecordWrongCode(*s, "the device's code did not match (a wrong code typed on the device)");
  return {200, "{}", 0, {}};
}

}  // namespace homeca::enroll
