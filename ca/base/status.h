// Status and Result<T>: the one error type of homeca's libraries.
//
// A Status is cheap on success. On failure it carries a code, a message that
// is safe to show a user ("context: detail" style, never a secret), and an
// optional detail meant for the log only (e.g. the OpenSSL error queue).
// Result<T> holds either a value or a failed Status.
//
// Thread-safety: plain values; safe to copy and move between threads.
#pragma once

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace homeca {

enum class ErrorCode {
  kOk = 0,
  kInvalidArgument,     // malformed input from the caller or the network
  kPolicyViolation,     // well-formed input the CA's policy refuses: a name outside
                        // the policy, a weak key or code, a lifetime too long
  kFailedPrecondition,  // the request is fine but what it acts on is in the wrong
                        // state: a pairing already used or expired, a token
                        // already revoked, a key not exported yet
  kNotFound,
  kAlreadyExists,
  kPermissionDenied,
  kCrypto,  // OpenSSL failed on input we believed valid
  kIo,
  kStore,  // SQLite failed
  kInternal,
};

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string msg, std::string detail = {}) {
    return Status(ErrorCode::kInvalidArgument, std::move(msg), std::move(detail));
  }
  static Status PolicyViolation(std::string msg, std::string detail = {}) {
    return Status(ErrorCode::kPolicyViolation, std::move(msg), std::move(detail));
  }
  static Status FailedPrecondition(std::string msg, std::string detail = {}) {
    return Status(ErrorCode::kFailedPrecondition, std::move(msg), std::move(detail));
  }
  static Status NotFound(std::string msg, std::string detail = {}) {
    return Status(ErrorCode::kNotFound, std::move(msg), std::move(detail));
  }
  static Status AlreadyExists(std::string msg, std::string detail = {}) {
    return Status(ErrorCode::kAlreadyExists, std::move(msg), std::move(detail));
  }
  static Status PermissionDenied(std::string msg, std::string detail = {}) {
    return Status(ErrorCode::kPermissionDenied, std::move(msg), std::move(detail));
  }
  static Status Crypto(std::string msg, std::string detail = {}) {
    return Status(ErrorCode::kCrypto, std::move(msg), std::move(detail));
  }
  static Status Io(std::string msg, std::string detail = {}) {
    return Status(ErrorCode::kIo, std::move(msg), std::move(detail));
  }
  static Status Store(std::string msg, std::string detail = {}) {
    return Status(ErrorCode::kStore, std::move(msg), std::move(detail));
  }
  static Status Internal(std::string msg, std::string detail = {}) {
    return Status(ErrorCode::kInternal, std::move(msg), std::move(detail));
  }

  bool ok() const { return code_ == ErrorCode::kOk; }
  ErrorCode code() const { return code_; }
  bool IsInvalidArgument() const { return code_ == ErrorCode::kInvalidArgument; }
  bool IsPolicyViolation() const { return code_ == ErrorCode::kPolicyViolation; }
  bool IsFailedPrecondition() const { return code_ == ErrorCode::kFailedPrecondition; }
  bool IsNotFound() const { return code_ == ErrorCode::kNotFound; }
  bool IsAlreadyExists() const { return code_ == ErrorCode::kAlreadyExists; }

  // Safe to show to a user.
  const std::string& message() const { return message_; }
  // For the log only; may be empty.
  const std::string& detail() const { return detail_; }

  // A stable, machine-readable word that names the failure more precisely
  // than its code, for programs that act on it rather than show it (the
  // enrollment protocol's error words, e.g. "rate_limited": see
  // enroll/protocol/errors.h); empty when the code says enough.
  const std::string& reason() const { return reason_; }
  // Seconds after which the same request may succeed (a rate limit, a
  // back-off); 0 when nobody said.
  int retry_after_seconds() const { return retry_after_seconds_; }

  // Prefixes the message with "context: ", keeping everything else.
  Status WithContext(std::string_view context) const {
    Status out = *this;
    out.message_ = std::string(context) + ": " + message_;
    return out;
  }
  // The same failure with `reason` (see reason()); an OK status stays OK.
  Status WithReason(std::string reason) const {
    Status out = *this;
    if (!ok()) out.reason_ = std::move(reason);
    return out;
  }
  Status WithRetryAfter(int seconds) const {
    Status out = *this;
    if (!ok()) out.retry_after_seconds_ = seconds;
    return out;
  }

 private:
  Status(ErrorCode code, std::string msg, std::string detail)
      : code_(code), message_(std::move(msg)), detail_(std::move(detail)) {}

  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
  std::string detail_;
  std::string reason_;
  int retry_after_seconds_ = 0;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}        // NOLINT(google-explicit-constructor)
  Result(Status status) : v_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    assert(!std::get<Status>(v_).ok() && "Result built from an OK status has no value");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  Status status() const { return ok() ? Status::Ok() : std::get<Status>(v_); }

  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace homeca

// Early return on failure, for functions that return Status or Result<U>.
#define HOMECA_RETURN_IF_ERROR(expr)                 \
  do {                                               \
    ::homeca::Status homeca_status_ = (expr);        \
    if (!homeca_status_.ok()) return homeca_status_; \
  } while (0)
