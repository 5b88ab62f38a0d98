// ACME problem documents (RFC 8555 section 6.7, RFC 7807): the one table of
// error types, the HTTP status each is answered with, and the single place
// where a homeca Status becomes a problem.
//
// Code in enroll/acme/ reports errors as ordinary Status values. When the
// ACME type matters (badNonce, badPublicKey, ...), it builds the Status with
// AcmeError(), which records the type in the Status's log detail as
// "acme-problem:<name>[/<status>]" (the detail survives WithContext). ToProblem() reads
// that tag; a Status without one is mapped by its ErrorCode.
//
// Thread-safety: pure functions over constant tables.
#pragma once

#include <string>
#include <string_view>

#include "ca/base/status.h"

namespace homeca::enroll::acme {

enum class ProblemType {
  kAccountDoesNotExist,
  kAlreadyRevoked,
  kBadCsr,
  kBadNonce,
  kBadPublicKey,
  kBadRevocationReason,
  kBadSignatureAlgorithm,
  kCaa,
  kCompound,
  kConnection,
  kDns,
  kExternalAccountRequired,
  kIncorrectResponse,
  kInvalidContact,
  kMalformed,
  kOrderNotReady,
  kRateLimited,
  kRejectedIdentifier,
  kServerInternal,
  kTls,
  kUnauthorized,
  kUnsupportedContact,
  kUnsupportedIdentifier,
  kUserActionRequired,
};

inline constexpr std::string_view kProblemContentType = "application/problem+json";

// acme.sh retries a request only when a badNonce problem's detail holds this
// text (Let's Encrypt's wording), so every badNonce detail starts with it.
inline constexpr std::string_view kBadNonceText = "JWS has an invalid anti-replay nonce";

struct Problem {
  ProblemType type = ProblemType::kServerInternal;
  int status = 500;    // the HTTP status to answer with
  std::string detail;  // safe to show the client
  // Seconds the client should wait (a Retry-After header), from the Status's
  // retry_after_seconds(); 0: no header. Set with rateLimited.
  int retry_after = 0;
};

// "badNonce"; "urn:ietf:params:acme:error:badNonce".
std::string_view ProblemTypeName(ProblemType type);
std::string ProblemTypeUrn(ProblemType type);
// The status RFC 8555 (or, where it is silent, common practice) gives the type.
int ProblemStatus(ProblemType type);

// A failed Status carrying `type`; `message` is shown to the client,
// `log_detail` only logged. The ErrorCode follows the type (unauthorized is
// kPermissionDenied, serverInternal kInternal, most others kInvalidArgument).
// `http_status` overrides the type's status (415 for a wrong Content-Type).
Status AcmeError(ProblemType type, std::string message, std::string log_detail = {},
                 int http_status = 0);

// The problem for a failed Status: its tagged type, else by ErrorCode
// (kInvalidArgument -> malformed, kPolicyViolation -> rejectedIdentifier,
// kPermissionDenied -> unauthorized, kNotFound -> malformed with 404,
// anything else -> serverInternal). The detail is the Status's message; a
// badNonce detail always begins with kBadNonceText. retry_after is the
// Status's retry_after_seconds().
Problem ToProblem(const Status& status);

// The application/problem+json body: {"type", "detail", "status"}, plus
// "algorithms" (the JWS algorithms we accept) for badSignatureAlgorithm.
std::string RenderProblem(const Problem& problem);

}  // namespace homeca::enroll::acme
