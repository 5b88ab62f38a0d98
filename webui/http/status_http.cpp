#include "webui/http/status_http.h"

namespace homeca::webui {
namespace {

struct HttpAnswer {
  int status;
  const char* word;
};

HttpAnswer AnswerFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk:
      return {200, "ok"};
    case ErrorCode::kInvalidArgument:
      return {400, "invalid_argument"};
    case ErrorCode::kPolicyViolation:
      return {400, "policy_violation"};
    case ErrorCode::kFailedPrecondition:
    case ErrorCode::kAlreadyExists:
      return {409, "conflict"};
    case ErrorCode::kNotFound:
      return {404, "not_found"};
    case ErrorCode::kPermissionDenied:
      return {403, "forbidden"};
    case ErrorCode::kCrypto:
    case ErrorCode::kIo:
    case ErrorCode::kStore:
    case ErrorCode::kInternal:
      break;
  }
  return {500, "internal"};
}

}  // namespace

int HttpStatusFor(const Status& status) { return AnswerFor(status.code()).status; }

const char* ErrorWordFor(const Status& status) { return AnswerFor(status.code()).word; }

}  // namespace homeca::webui
