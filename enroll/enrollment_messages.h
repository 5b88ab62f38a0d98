// The enrollment protocol's messages (docs/enrollment-protocol.md) as typed
// values: strict parsing of request bodies from the LAN, and the JSON the CA
// sends back. Internal to the enrollment service; Poco::JSON stays in the .cpp.
//
// Every parse function returns std::nullopt on success (with `*out` filled)
// or the protocol error to answer with; it never throws. Messages name the
// offending field but never echo its value.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ca/base/encoding.h"
#include "enroll/enrollment_service.h"
#include "enroll/pake/password_kdf.h"

namespace homeca::enroll {

inline constexpr std::size_t kMaxBodySize = 64 * 1024;
inline constexpr std::size_t kSessionIdSize = 16;

// The stable `error` values of the protocol's error table.
enum class ProtocolError {
  kBadRequest,
  kUnsupportedVersion,
  kBadPoint,
  kBadCsr,
  kNoPairing,
  kUnknownSession,
  kOutOfOrder,
  kBadConfirmation,
  kCodeBurned,
  kNoClientCertificate,
  kRevoked,
  kExpired,
  kUnknownCertificate,
  kRateLimited,
  kInternal,
  // Renewal from a certificate that already has a successor (or whose device
  // was revoked and its lineage ended): only the head of a lineage renews.
  kSuperseded,
  // Not in the protocol's table: a path under /enroll/v1/ that is no
  // endpoint. Answered as the daemon answers unknown paths (404 not_found).
  kUnknownEndpoint,
};

struct ProtocolFailure {
  ProtocolError error = ProtocolError::kInternal;
  std::string message;          // for people; never a secret
  int retry_after_seconds = 0;  // with kRateLimited
};

const char* ErrorName(ProtocolError error);  // "bad_request", ...
int HttpStatus(ProtocolError error);         // 400, ...
EnrollmentResponse ErrorResponse(const ProtocolFailure& failure);

struct StartMessage {
  std::optional<int> slot;  // exactly one of slot and device_id
  std::string device_id;
};
struct ExchangeMessage {
  Bytes session;
  Bytes share_p;  // any length: checked once the session is known
};
struct FinishMessage {
  Bytes session;
  Bytes confirm_p;
  Bytes sealed_request;
};
// The plaintext of a sealed request, and the renewal body.
struct CsrMessage {
  Bytes csr;  // DER PKCS#10
};

std::optional<ProtocolFailure> ParseStart(std::string_view body, StartMessage* out);
std::optional<ProtocolFailure> ParseExchange(std::string_view body, ExchangeMessage* out);
std::optional<ProtocolFailure> ParseFinish(std::string_view body, FinishMessage* out);
std::optional<ProtocolFailure> ParseCsrMessage(std::string_view body, CsrMessage* out);
// The check-in body: a JSON object, `{}` today (unknown fields are ignored).
std::optional<ProtocolFailure> ParseCheckIn(std::string_view body);

// What a successful pairing or renewal hands back.
struct IssuedChain {
  std::vector<Bytes> chain;  // DER, leaf first
  std::vector<std::string> names;
  std::int64_t not_after = 0;  // unix seconds
};

// The KDF goes out as "kdf" and its parameters: "n", "r", "p" for scrypt,
// "iterations" for PBKDF2 (docs/enrollment-protocol.md).
std::string StartResponseJson(const Bytes& session, const Bytes& salt, const PasswordKdf& kdf);
std::string ExchangeResponseJson(const Bytes& share_v, const Bytes& confirm_v);
std::string FinishResponseJson(const Bytes& sealed_response);
// The plaintext sealed into the finish response.
std::string PairingResultJson(const IssuedChain& issued, const Bytes& root,
                              const std::string& renew_url);
std::string RenewResponseJson(const IssuedChain& issued);
// {"address": the peer address as the CA saw it, "names": the certificate's}.
std::string CheckInResponseJson(const std::string& address, const std::vector<std::string>& names);

}  // namespace homeca::enroll
