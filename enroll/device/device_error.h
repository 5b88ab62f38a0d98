// DeviceError and DeviceResult<T>: how the device side of the enrollment
// protocol reports failure. A plain Status says what went wrong for a person;
// a device also needs to act on *which* protocol error it was (retry later on
// rate_limited, keep asking on no_pairing, tell the user "wrong code" on
// bad_confirmation), so every failure carries a DeviceError next to its Status.
//
// The numeric values are the C API's error codes (include/homeca_enroll.h)
// and must never change.
//
// Thread-safety: plain values. Ownership: none.
#pragma once

#include <string_view>
#include <utility>
#include <variant>

#include "ca/base/status.h"

namespace homeca::enroll {

enum class DeviceError {
  kOk = 0,
  // Local failures: nothing, or nothing useful, reached the CA.
  kInvalidArgument = 1,  // a bad URL, path, device id or option
  kInvalidCode = 2,      // malformed, mistyped (check digit) or trivial code; never sent
  kNetwork = 3,          // could not connect, timeout, TLS handshake failed
  kBadResponse = 4,      // the CA's answer is malformed or outside the protocol's bounds
  kUntrusted = 5,        // sealed answer failed authentication, or the chain does not verify
  kIo = 6,               // reading or writing the key/certificate files failed
  kNotEnrolled = 7,      // renewal or status without an installed certificate
  kInternal = 8,         // a local bug or crypto failure
  // The protocol's error codes, as the CA sent them (docs/enrollment-protocol.md).
  kBadRequest = 20,
  kUnsupportedVersion = 21,
  kBadPoint = 22,
  kBadCsr = 23,
  kNoPairing = 24,
  kUnknownSession = 25,
  kOutOfOrder = 26,
  kBadConfirmation = 27,
  kCodeBurned = 28,
  kNoClientCertificate = 29,
  kRevoked = 30,
  kExpired = 31,
  kUnknownCertificate = 32,
  kRateLimited = 33,
  kCaInternal = 34,
  kCaUnknownError = 35,  // an error code this device does not know (a newer CA)
  kSuperseded = 36,      // this certificate was already renewed; only the newest renews
  // Local again (appended: values never change). A device with its own code
  // stops after too many failed key confirmations (pairing_lockout.h).
  kLockedOut = 37,   // 5 failed confirmations: reset locally to pair again
  kBackingOff = 38,  // the last confirmation failed recently; retry after retry_after_seconds
};

// The protocol's `error` string for the CA-sent codes ("bad_confirmation"),
// a short snake_case name for the local ones ("invalid_code").
std::string_view DeviceErrorName(DeviceError error);
// A fixed sentence describing the error, safe to show (never the CA's text).
std::string_view DeviceErrorDescription(DeviceError error);
// kCaUnknownError for an error string the protocol does not define.
DeviceError DeviceErrorFromWire(std::string_view error);

// True for errors that will not go away by retrying the same request later
// (the certificate is revoked, expired, unknown; the code is burned...).
bool IsPermanent(DeviceError error);

struct DeviceFailure {
  DeviceError error = DeviceError::kInternal;
  Status status;                // message safe to show; detail for the log
  int retry_after_seconds = 0;  // with kRateLimited when the CA said so; with kBackingOff
};

// A failure with `message` (safe to show) and `detail` (for the log only).
DeviceFailure Fail(DeviceError error, std::string message, std::string detail = {});
// Wraps a Status from lower layers, keeping its message and detail.
DeviceFailure Fail(DeviceError error, const Status& status);

template <typename T>
class [[nodiscard]] DeviceResult {
 public:
  DeviceResult(T value) : v_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  DeviceResult(DeviceFailure failure) : v_(std::move(failure)) {}  // NOLINT

  bool ok() const { return std::holds_alternative<T>(v_); }
  DeviceError error() const { return ok() ? DeviceError::kOk : failure().error; }
  // Only when !ok().
  const DeviceFailure& failure() const { return std::get<DeviceFailure>(v_); }
  Status status() const { return ok() ? Status::Ok() : failure().status; }

  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, DeviceFailure> v_;
};

// For functions with no value to return.
struct Done {};

}  // namespace homeca::enroll
