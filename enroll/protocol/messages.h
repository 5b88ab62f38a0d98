// The enrollment protocol's messages (docs/enrollment-protocol.md) as typed
// values, with their JSON both ways: what the device sends and the CA reads
// (requests), what the CA sends and the device reads (answers), and the
// error answer. The CA side (EnrollmentService) and the device side
// (enroll/device/) both use these; only the tests' fake CA writes the wire
// format a second time, as a check.
//
// Reading is strict and never throws. A request that breaks a rule fails
// with bad_request (or unsupported_version), an answer with bad_response
// (errors.h); messages name the offending field but never echo its value.
//
// Thread-safety: pure functions; plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ca/base/encoding.h"
#include "ca/base/status.h"
#include "enroll/pake/password_kdf.h"
#include "enroll/protocol/errors.h"

namespace homeca::enroll {

// The endpoints, below kEnrollPath (limits.h).
inline constexpr std::string_view kStartEndpoint = "start";
inline constexpr std::string_view kExchangeEndpoint = "exchange";
inline constexpr std::string_view kFinishEndpoint = "finish";
inline constexpr std::string_view kRenewEndpoint = "renew";
inline constexpr std::string_view kCheckInEndpoint = "checkin";
inline constexpr std::string_view kMismatchEndpoint = "mismatch";

// --- Requests (device -> CA) ---

struct StartRequest {
  std::optional<int> slot;  // exactly one of slot and device_id
  std::string device_id;
};
struct ExchangeRequest {
  Bytes session;
  Bytes share_p;  // any length when read: checked once the session is known
};
struct FinishRequest {
  Bytes session;
  Bytes confirm_p;
  Bytes sealed_request;
};
// A device whose check of the CA's confirmV failed (the code it was given is
// not the pairing's) says so, so that the admin sees a wrong code was typed.
// It carries the session only: never confirmP, which would let a CA-in-the-
// middle test guesses at the code offline.
struct MismatchRequest {
  Bytes session;
};
// The plaintext of a sealed request, and the renewal body.
struct CsrRequest {
  Bytes csr;  // DER PKCS#10
};
// The check-in body: a JSON object, `{}` today (unknown fields are ignored).
struct CheckInRequest {};

std::string ToJson(const StartRequest& message);  // with "version": kProtocolVersion
std::string ToJson(const ExchangeRequest& message);
std::string ToJson(const FinishRequest& message);
std::string ToJson(const CsrRequest& message);
std::string ToJson(const CheckInRequest& message);
std::string ToJson(const MismatchRequest& message);

Result<StartRequest> ParseStartRequest(std::string_view body);
Result<ExchangeRequest> ParseExchangeRequest(std::string_view body);
Result<FinishRequest> ParseFinishRequest(std::string_view body);
Result<CsrRequest> ParseCsrRequest(std::string_view body);
Result<CheckInRequest> ParseCheckInRequest(std::string_view body);
Result<MismatchRequest> ParseMismatchRequest(std::string_view body);

// --- Answers (CA -> device) ---

struct StartAnswer {
  Bytes session;
  Bytes salt;
  PasswordKdf kdf;
};
struct ExchangeAnswer {
  Bytes share_v;
  Bytes confirm_v;
};
struct FinishAnswer {
  Bytes sealed_response;
};
// The plaintext sealed into the finish answer.
struct PairingResult {
  std::vector<Bytes> chain;  // DER, leaf first
  Bytes root;                // DER
  std::vector<std::string> names;
  // Unix seconds, written as ISO 8601. Not read back: a device takes the
  // expiry from the leaf it verified, not from the answer's text.
  std::int64_t not_after = 0;
  std::string renew_url;
};
struct RenewAnswer {
  std::vector<Bytes> chain;  // DER, leaf first
  std::vector<std::string> names;
  std::int64_t not_after = 0;  // as in PairingResult
};
struct CheckInAnswer {
  std::string address;             // the IP address the CA saw the device connect from
  std::vector<std::string> names;  // the names of the certificate it presented
};

// The KDF goes out as "kdf" and its parameters: "n", "r", "p" for scrypt,
// "iterations" for PBKDF2.
std::string ToJson(const StartAnswer& message);
std::string ToJson(const ExchangeAnswer& message);
std::string ToJson(const FinishAnswer& message);
std::string ToJson(const PairingResult& message);
std::string ToJson(const RenewAnswer& message);
std::string ToJson(const CheckInAnswer& message);

// Each refuses an answer outside the protocol's bounds: field sizes, the
// salt's length, a KDF the device does not know or whose cost is out of
// bounds (a tiny one weakens the code, a huge one exhausts the device), an
// address that is no IP address, names that are not printable.
Result<StartAnswer> ParseStartAnswer(std::string_view body);
Result<ExchangeAnswer> ParseExchangeAnswer(std::string_view body);
Result<FinishAnswer> ParseFinishAnswer(std::string_view body);
Result<PairingResult> ParsePairingResult(std::string_view plaintext);
Result<RenewAnswer> ParseRenewAnswer(std::string_view body);
Result<CheckInAnswer> ParseCheckInAnswer(std::string_view body);

// --- Errors ---

// {"error": the error's word, "message": `message`}.
std::string ErrorAnswerJson(EnrollError error, std::string_view message);
// The failure a non-200 answer describes: the error its body names, with a
// fixed description as message (never the CA's own text, which goes into
// the detail, sanitized) and `retry_after_seconds` with rate_limited;
// bad_response when the body names no error.
Status ParseErrorAnswer(int http_status, std::string_view body, int retry_after_seconds);

}  // namespace homeca::enroll
