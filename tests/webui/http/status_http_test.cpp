// The one mapping from Status to HTTP (webui/http/status_http.h): a policy
// refusal and a wrong state get different answers, and only the CA's own
// failures are 500s.
#include "webui/http/status_http.h"

#include <catch2/catch.hpp>
#include <string>

namespace homeca::webui {
namespace {

TEST_CASE("HTTP status: policy refusals are 400, wrong states 409") {
  const Status policy = Status::PolicyViolation("'www.bank.com' is outside the policy");
  const Status state = Status::FailedPrecondition("pairing 3 is already paired");
  CHECK(HttpStatusFor(policy) == 400);
  CHECK(std::string(ErrorWordFor(policy)) == "policy_violation");
  CHECK(HttpStatusFor(state) == 409);
  CHECK(std::string(ErrorWordFor(state)) == "conflict");
  CHECK(IsClientError(policy));
  CHECK(IsClientError(state));
}

TEST_CASE("HTTP status: every code has one answer") {
  CHECK(HttpStatusFor(Status::Ok()) == 200);
  CHECK(HttpStatusFor(Status::InvalidArgument("x")) == 400);
  CHECK(HttpStatusFor(Status::NotFound("x")) == 404);
  CHECK(HttpStatusFor(Status::AlreadyExists("x")) == 409);
  CHECK(HttpStatusFor(Status::PermissionDenied("x")) == 403);
  for (const Status& own :
       {Status::Store("x"), Status::Io("x"), Status::Crypto("x"), Status::Internal("x")}) {
    CHECK(HttpStatusFor(own) == 500);
    CHECK(std::string(ErrorWordFor(own)) == "internal");
    CHECK_FALSE(IsClientError(own));
  }
}

}  // namespace
}  // namespace homeca::webui
