#include "enroll/device/device_error.h"

#include <array>

namespace homeca::enroll {
namespace {

struct ErrorInfo {
  DeviceError error;
  std::string_view name;
  std::string_view description;
  bool from_wire;  // one of the protocol's `error` strings
};

constexpr std::array kErrors = {
    ErrorInfo{DeviceError::kOk, "ok", "success", false},
    ErrorInfo{DeviceError::kInvalidArgument, "invalid_argument", "invalid argument", false},
    ErrorInfo{DeviceError::kInvalidCode, "invalid_code",
              "the pairing code is not valid (check for a typo); nothing was sent", false},
    ErrorInfo{DeviceError::kNetwork, "network", "cannot reach the CA", false},
    ErrorInfo{DeviceError::kBadResponse, "bad_response", "the CA sent a malformed answer", false},
    ErrorInfo{DeviceError::kUntrusted, "untrusted",
              "the CA's answer could not be authenticated; nothing was installed", false},
    ErrorInfo{DeviceError::kIo, "io", "cannot read or write the certificate files", false},
    ErrorInfo{DeviceError::kNotEnrolled, "not_enrolled",
              "this device has no certificate yet: pair it first", false},
    ErrorInfo{DeviceError::kInternal, "device_internal", "internal error on the device", false},
    ErrorInfo{DeviceError::kBadRequest, "bad_request", "the CA refused a malformed request", true},
    ErrorInfo{DeviceError::kUnsupportedVersion, "unsupported_version",
              "the CA does not speak this protocol version", true},
    ErrorInfo{DeviceError::kBadPoint, "bad_point", "the CA refused the key exchange message", true},
    ErrorInfo{DeviceError::kBadCsr, "bad_csr", "the CA refused the certificate request", true},
    ErrorInfo{DeviceError::kNoPairing, "no_pairing",
              "no pairing is waiting for this code or device (not yet armed, expired, used or "
              "cancelled)",
              true},
    ErrorInfo{DeviceError::kUnknownSession, "unknown_session",
              "the pairing session expired; start again", true},
    ErrorInfo{DeviceError::kOutOfOrder, "out_of_order",
              "the CA rejected a message out of order; start again", true},
    ErrorInfo{DeviceError::kBadConfirmation, "bad_confirmation",
              "wrong code or intercepted connection", true},
    ErrorInfo{DeviceError::kCodeBurned, "code_burned",
              "this pairing code has had too many failed attempts; ask for a new one", true},
    ErrorInfo{DeviceError::kNoClientCertificate, "no_client_certificate",
              "the CA did not accept this device's certificate for renewal", true},
    ErrorInfo{DeviceError::kRevoked, "revoked",
              "this device's certificate was revoked; pair it again", true},
    ErrorInfo{DeviceError::kExpired, "expired",
              "this device's certificate has expired; pair it again", true},
    ErrorInfo{DeviceError::kUnknownCertificate, "unknown_certificate",
              "the CA has no record of this device's certificate; pair it again", true},
    ErrorInfo{DeviceError::kRateLimited, "rate_limited",
              "the CA asks this device to slow down; retry later", true},
    ErrorInfo{DeviceError::kCaInternal, "internal", "the CA failed; nothing was issued", true},
    ErrorInfo{DeviceError::kCaUnknownError, "unknown_error",
              "the CA answered with an error this device does not know", false},
    ErrorInfo{DeviceError::kSuperseded, "superseded",
              "this certificate was already renewed and only the newest one renews; pair the "
              "device again",
              true},
    ErrorInfo{DeviceError::kLockedOut, "locked_out",
              "too many failed pairing confirmations: this device stopped trying its code until "
              "the lockout is reset on the device",
              false},
    ErrorInfo{DeviceError::kBackingOff, "backing_off",
              "a pairing confirmation failed recently: waiting before the next try", false},
};

constexpr std::size_t kInternalIndex = 8;
static_assert(kErrors[kInternalIndex].error == DeviceError::kInternal);

const ErrorInfo& Lookup(DeviceError error) {
  for (const ErrorInfo& info : kErrors) {
    if (info.error == error) return info;
  }
  return kErrors[kInternalIndex];
}

ErrorCode StatusCodeFor(DeviceError error) {
  switch (error) {
    case DeviceError::kInvalidArgument:
    case DeviceError::kInvalidCode:
      return ErrorCode::kInvalidArgument;
    case DeviceError::kIo:
    case DeviceError::kNetwork:
      return ErrorCode::kIo;
    case DeviceError::kNotEnrolled:
    case DeviceError::kNoPairing:
    case DeviceError::kUnknownSession:
      return ErrorCode::kNotFound;
    case DeviceError::kUntrusted:
    case DeviceError::kBadConfirmation:
    case DeviceError::kLockedOut:
    case DeviceError::kCodeBurned:
    case DeviceError::kNoClientCertificate:
    case DeviceError::kRevoked:
    case DeviceError::kExpired:
    case DeviceError::kUnknownCertificate:
    case DeviceError::kSuperseded:
      return ErrorCode::kPermissionDenied;
    case DeviceError::kBadCsr:
      return ErrorCode::kPolicyViolation;
    default:
      return ErrorCode::kInternal;
  }
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

std::string_view DeviceErrorName(DeviceError error) { return Lookup(error).name; }

std::string_view DeviceErrorDescription(DeviceError error) { return Lookup(error).description; }

DeviceError DeviceErrorFromWire(std::string_view error) {
  for (const ErrorInfo& info : kErrors) {
    if (info.from_wire && info.name == error) return info.error;
  }
  return DeviceError::kCaUnknownError;
}

bool IsPermanent(DeviceError error) {
  switch (error) {
    case DeviceError::kInvalidArgument:
    case DeviceError::kInvalidCode:
    case DeviceError::kNotEnrolled:
    case DeviceError::kUnsupportedVersion:
    case DeviceError::kBadConfirmation:
    case DeviceError::kCodeBurned:
    case DeviceError::kNoClientCertificate:
    case DeviceError::kRevoked:
    case DeviceError::kExpired:
    case DeviceError::kUnknownCertificate:
    case DeviceError::kSuperseded:
    case DeviceError::kLockedOut:
      return true;
    default:
      return false;
  }
}

DeviceFailure Fail(DeviceError error, std::string message, std::string detail) {
  return DeviceFailure{error,
                       MakeStatus(StatusCodeFor(error), std::move(message), std::move(detail)), 0};
}

DeviceFailure Fail(DeviceError error, const Status& status) {
  return DeviceFailure{error, status, 0};
}

}  // namespace homeca::enroll
