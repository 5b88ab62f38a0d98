#include "enroll/acme/problem.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <array>
#include <cstdlib>
#include <sstream>

#include "enroll/acme/jws.h"

namespace homeca::enroll::acme {
namespace {

struct TypeInfo {
  ProblemType type;
  std::string_view name;
  int status;
  ErrorCode code;
};

// RFC 8555 section 6.7. Statuses the RFC fixes: orderNotReady 403 (7.4),
// unauthorized 403 (6.4, 7.3); rateLimited is 429 by its nature; the rest of
// the client's mistakes are 400 as Let's Encrypt answers them.
constexpr std::array<TypeInfo, 24> kTypes = {{
    {ProblemType::kAccountDoesNotExist, "accountDoesNotExist", 400, ErrorCode::kNotFound},
    {ProblemType::kAlreadyRevoked, "alreadyRevoked", 400, ErrorCode::kAlreadyExists},
    {ProblemType::kBadCsr, "badCSR", 400, ErrorCode::kInvalidArgument},
    {ProblemType::kBadNonce, "badNonce", 400, ErrorCode::kInvalidArgument},
    {ProblemType::kBadPublicKey, "badPublicKey", 400, ErrorCode::kInvalidArgument},
    {ProblemType::kBadRevocationReason, "badRevocationReason", 400, ErrorCode::kInvalidArgument},
    {ProblemType::kBadSignatureAlgorithm, "badSignatureAlgorithm", 400,
     ErrorCode::kInvalidArgument},
    {ProblemType::kCaa, "caa", 403, ErrorCode::kPolicyViolation},
    {ProblemType::kCompound, "compound", 400, ErrorCode::kInvalidArgument},
    {ProblemType::kConnection, "connection", 400, ErrorCode::kInvalidArgument},
    {ProblemType::kDns, "dns", 400, ErrorCode::kInvalidArgument},
    {ProblemType::kExternalAccountRequired, "externalAccountRequired", 400,
     ErrorCode::kPermissionDenied},
    {ProblemType::kIncorrectResponse, "incorrectResponse", 400, ErrorCode::kInvalidArgument},
    {ProblemType::kInvalidContact, "invalidContact", 400, ErrorCode::kInvalidArgument},
    {ProblemType::kMalformed, "malformed", 400, ErrorCode::kInvalidArgument},
    {ProblemType::kOrderNotReady, "orderNotReady", 403, ErrorCode::kPolicyViolation},
    {ProblemType::kRateLimited, "rateLimited", 429, ErrorCode::kPolicyViolation},
    {ProblemType::kRejectedIdentifier, "rejectedIdentifier", 400, ErrorCode::kPolicyViolation},
    {ProblemType::kServerInternal, "serverInternal", 500, ErrorCode::kInternal},
    {ProblemType::kTls, "tls", 400, ErrorCode::kInvalidArgument},
    {ProblemType::kUnauthorized, "unauthorized", 403, ErrorCode::kPermissionDenied},
    {ProblemType::kUnsupportedContact, "unsupportedContact", 400, ErrorCode::kInvalidArgument},
    {ProblemType::kUnsupportedIdentifier, "unsupportedIdentifier", 400,
     ErrorCode::kPolicyViolation},
    {ProblemType::kUserActionRequired, "userActionRequired", 403, ErrorCode::kPermissionDenied},
}};

constexpr std::string_view kTag = "acme-problem:";

const TypeInfo& Info(ProblemType type) {
  for (const TypeInfo& info : kTypes) {
    if (info.type == type) return info;
  }
  return Info(ProblemType::kServerInternal);  // unreachable: the table is complete
}

// The type and status a detail's tag names, if it has one.
bool ReadTag(const std::string& detail, Problem* out) {
  if (detail.compare(0, kTag.size(), kTag) != 0) return false;
  std::string_view rest = std::string_view(detail).substr(kTag.size());
  rest = rest.substr(0, rest.find(';'));
  std::string_view name = rest.substr(0, rest.find('/'));
  for (const TypeInfo& info : kTypes) {
    if (info.name != name) continue;
    out->type = info.type;
    out->status = info.status;
    if (name.size() < rest.size()) {
      const int status = std::atoi(std::string(rest.substr(name.size() + 1)).c_str());
      if (status >= 400 && status <= 599) out->status = status;
    }
    return true;
  }
  return false;
}

}  // namespace

std::string_view ProblemTypeName(ProblemType type) { return Info(type).name; }

std::string ProblemTypeUrn(ProblemType type) {
  return "urn:ietf:params:acme:error:" + std::string(Info(type).name);
}

int ProblemStatus(ProblemType type) { return Info(type).status; }

Status AcmeError(ProblemType type, std::string message, std::string log_detail, int http_status) {
  const TypeInfo& info = Info(type);
  std::string detail = std::string(kTag) + std::string(info.name);
  if (http_status != 0) detail += "/" + std::to_string(http_status);
  if (!log_detail.empty()) detail += "; " + log_detail;
  switch (info.code) {
    case ErrorCode::kNotFound:
      return Status::NotFound(std::move(message), std::move(detail));
    case ErrorCode::kAlreadyExists:
      return Status::AlreadyExists(std::move(message), std::move(detail));
    case ErrorCode::kPermissionDenied:
      return Status::PermissionDenied(std::move(message), std::move(detail));
    case ErrorCode::kPolicyViolation:
      return Status::PolicyViolation(std::move(message), std::move(detail));
    case ErrorCode::kInternal:
      return Status::Internal(std::move(message), std::move(detail));
    default:
      return Status::InvalidArgument(std::move(message), std::move(detail));
  }
}

Problem ToProblem(const Status& status) {
  Problem problem;
  problem.detail = status.message();
  problem.retry_after = status.retry_after_seconds();
  if (!ReadTag(status.detail(), &problem)) {
    switch (status.code()) {
      case ErrorCode::kInvalidArgument:
        problem.type = ProblemType::kMalformed;
        break;
      case ErrorCode::kPolicyViolation:
        problem.type = ProblemType::kRejectedIdentifier;
        break;
      case ErrorCode::kPermissionDenied:
        problem.type = ProblemType::kUnauthorized;
        break;
      case ErrorCode::kNotFound:
        problem.type = ProblemType::kMalformed;
        break;
      default:
        problem.type = ProblemType::kServerInternal;
        break;
    }
    problem.status = status.code() == ErrorCode::kNotFound ? 404 : ProblemStatus(problem.type);
  }
  if (problem.type == ProblemType::kBadNonce &&
      problem.detail.find(kBadNonceText) == std::string::npos) {
    problem.detail = std::string(kBadNonceText) +
                     (problem.detail.empty() ? std::string() : ": " + problem.detail);
  }
  return problem;
}

std::string RenderProblem(const Problem& problem) {
  Poco::JSON::Object body;
  body.set("type", ProblemTypeUrn(problem.type));
  body.set("detail", problem.detail);
  body.set("status", problem.status);
  if (problem.type == ProblemType::kBadSignatureAlgorithm) {
    Poco::JSON::Array algorithms;
    for (std::string_view alg : kJwsAlgorithms) algorithms.add(std::string(alg));
    body.set("algorithms", algorithms);
  }
  std::ostringstream out;
  body.stringify(out);
  return out.str();
}

}  // namespace homeca::enroll::acme
