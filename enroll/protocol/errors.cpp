#include "enroll/protocol/errors.h"

#include <array>

namespace homeca::enroll {
namespace {

enum class Side {
  kDevice,  // the device's own: never on the wire
  kWire,    // in the protocol's error table
  kCaOnly,  // sent by the CA, but no protocol error (not_found)
};

struct ErrorInfo {
  EnrollError error;
  std::string_view word;
  Side side;
  int http_status;
  ErrorCode code;
  bool permanent;
  std::string_view description;
};

using C = ErrorCode;
constexpr bool kPermanent = true;
constexpr bool kTransient = false;

constexpr std::array kErrors = {
    ErrorInfo{EnrollError::kOk, "ok", Side::kDevice, 200, C::kOk, kTransient, "success"},
    ErrorInfo{EnrollError::kInvalidArgument, "invalid_argument", Side::kDevice, 500,
              C::kInvalidArgument, kPermanent, "invalid argument"},
    ErrorInfo{EnrollError::kInvalidCode, "invalid_code", Side::kDevice, 500, C::kInvalidArgument,
              kPermanent, "the pairing code is not valid (check for a typo); nothing was sent"},
    ErrorInfo{EnrollError::kNetwork, "network", Side::kDevice, 500, C::kIo, kTransient,
              "cannot reach the CA"},
    ErrorInfo{EnrollError::kBadResponse, "bad_response", Side::kDevice, 500, C::kInternal,
              kTransient, "the CA sent a malformed answer"},
    ErrorInfo{EnrollError::kUntrusted, "untrusted", Side::kDevice, 500, C::kPermissionDenied,
              kTransient, "the CA's answer could not be authenticated; nothing was installed"},
    ErrorInfo{EnrollError::kIo, "io", Side::kDevice, 500, C::kIo, kTransient,
              "cannot read or write the certificate files"},
    ErrorInfo{EnrollError::kNotEnrolled, "not_enrolled", Side::kDevice, 500, C::kNotFound,
              kPermanent, "this device has no certificate yet: pair it first"},
    ErrorInfo{EnrollError::kInternal, "device_internal", Side::kDevice, 500, C::kInternal,
              kTransient, "internal error on the device"},
    ErrorInfo{EnrollError::kBadRequest, "bad_request", Side::kWire, 400, C::kInvalidArgument,
              kTransient, "the CA refused a malformed request"},
    ErrorInfo{EnrollError::kUnsupportedVersion, "unsupported_version", Side::kWire, 400,
              C::kInvalidArgument, kPermanent, "the CA does not speak this protocol version"},
    ErrorInfo{EnrollError::kBadPoint, "bad_point", Side::kWire, 400, C::kInvalidArgument,
              kTransient, "the CA refused the key exchange message"},
    ErrorInfo{EnrollError::kBadCsr, "bad_csr", Side::kWire, 400, C::kPolicyViolation, kTransient,
              "the CA refused the certificate request"},
    ErrorInfo{EnrollError::kNoPairing, "no_pairing", Side::kWire, 404, C::kNotFound, kTransient,
              "no pairing is waiting for this code or device (not yet armed, expired, used or "
              "cancelled)"},
    ErrorInfo{EnrollError::kUnknownSession, "unknown_session", Side::kWire, 404, C::kNotFound,
              kTransient, "the pairing session expired; start again"},
    ErrorInfo{EnrollError::kOutOfOrder, "out_of_order", Side::kWire, 409, C::kInternal, kTransient,
              "the CA rejected a message out of order; start again"},
    ErrorInfo{EnrollError::kBadConfirmation, "bad_confirmation", Side::kWire, 403,
              C::kPermissionDenied, kPermanent, "wrong code or intercepted connection"},
    ErrorInfo{EnrollError::kCodeBurned, "code_burned", Side::kWire, 403, C::kPermissionDenied,
              kPermanent, "this pairing code has had too many failed attempts; ask for a new one"},
    ErrorInfo{EnrollError::kNoClientCertificate, "no_client_certificate", Side::kWire, 401,
              C::kPermissionDenied, kPermanent,
              "the CA did not accept this device's certificate for renewal"},
    ErrorInfo{EnrollError::kRevoked, "revoked", Side::kWire, 403, C::kPermissionDenied, kPermanent,
              "this device's certificate was revoked; pair it again"},
    ErrorInfo{EnrollError::kExpired, "expired", Side::kWire, 403, C::kPermissionDenied, kPermanent,
              "this device's certificate has expired; pair it again"},
    ErrorInfo{EnrollError::kUnknownCertificate, "unknown_certificate", Side::kWire, 403,
              C::kPermissionDenied, kPermanent,
              "the CA has no record of this device's certificate; pair it again"},
    ErrorInfo{EnrollError::kRateLimited, "rate_limited", Side::kWire, 429, C::kInternal, kTransient,
              "the CA asks this device to slow down; retry later"},
    ErrorInfo{EnrollError::kCaInternal, "internal", Side::kWire, 500, C::kInternal, kTransient,
              "the CA failed; nothing was issued"},
    ErrorInfo{EnrollError::kCaUnknownError, "unknown_error", Side::kDevice, 500, C::kInternal,
              kTransient, "the CA answered with an error this device does not know"},
    ErrorInfo{EnrollError::kSuperseded, "superseded", Side::kWire, 403, C::kPermissionDenied,
              kPermanent,
              "this certificate was already renewed and only the newest one renews; pair the "
              "device again"},
    ErrorInfo{EnrollError::kLockedOut, "locked_out", Side::kDevice, 500, C::kPermissionDenied,
              kPermanent,
              "too many failed pairing confirmations: this device stopped trying its code until "
              "the lockout is reset on the device"},
    ErrorInfo{EnrollError::kBackingOff, "backing_off", Side::kDevice, 500, C::kInternal, kTransient,
              "a pairing confirmation failed recently: waiting before the next try"},
    ErrorInfo{EnrollError::kUnknownEndpoint, "not_found", Side::kCaOnly, 404, C::kNotFound,
              kTransient, "no such enrollment endpoint"},
};

constexpr std::size_t kInternalIndex = 8;
static_assert(kErrors[kInternalIndex].error == EnrollError::kInternal);

const ErrorInfo& Lookup(EnrollError error) {
  for (const ErrorInfo& info : kErrors) {
    if (info.error == error) return info;
  }
  return kErrors[kInternalIndex];
}

const ErrorInfo* ByWord(std::string_view word) {
  for (const ErrorInfo& info : kErrors) {
    if (info.word == word) return &info;
  }
  return nullptr;
}

Status MakeStatus(ErrorCode code, std::string message, std::string detail) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return Status::InvalidArgument(std::move(message), std::move(detail));
    case ErrorCode::kIo:
      return Status::Io(std::move(message), std::move(detail));
    case ErrorCode::kNotFound:
      return Status::NotFound(std::move(message), std::move(detail));
    case ErrorCode::kPermissionDenied:
      return Status::PermissionDenied(std::move(message), std::move(detail));
    case ErrorCode::kPolicyViolation:
      return Status::PolicyViolation(std::move(message), std::move(detail));
    default:
      return Status::Internal(std::move(message), std::move(detail));
  }
}

}  // namespace

std::string_view ErrorWord(EnrollError error) { return Lookup(error).word; }

std::string_view ErrorDescription(EnrollError error) { return Lookup(error).description; }

int HttpStatus(EnrollError error) { return Lookup(error).http_status; }

bool IsPermanent(EnrollError error) { return Lookup(error).permanent; }

bool IsSentByCa(EnrollError error) { return Lookup(error).side != Side::kDevice; }

EnrollError ErrorFromWire(std::string_view word) {
  const ErrorInfo* info = ByWord(word);
  return info != nullptr && info->side == Side::kWire ? info->error : EnrollError::kCaUnknownError;
}

Status Fail(EnrollError error, std::string message, std::string detail) {
  const ErrorInfo& info = Lookup(error);
  return MakeStatus(info.code, std::move(message), std::move(detail))
      .WithReason(std::string(info.word));
}

Status Fail(EnrollError error, const Status& cause) {
  if (cause.ok()) return Fail(error, "unknown failure");
  return cause.WithReason(std::string(Lookup(error).word));
}

EnrollError ErrorOf(const Status& status) {
  if (status.ok()) return EnrollError::kOk;
  if (const ErrorInfo* info = ByWord(status.reason()); info != nullptr) return info->error;
  switch (status.code()) {
    case ErrorCode::kInvalidArgument:
      return EnrollError::kInvalidArgument;
    case ErrorCode::kIo:
      return EnrollError::kIo;
    default:
      return EnrollError::kInternal;
  }
}

}  // namespace homeca::enroll
