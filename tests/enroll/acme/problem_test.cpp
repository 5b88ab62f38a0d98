#include "enroll/acme/problem.h"

#include <Poco/JSON/Parser.h>

#include <catch2/catch.hpp>

namespace acme = homeca::enroll::acme;
using acme::ProblemType;

namespace {

Poco::JSON::Object::Ptr Render(const acme::Problem& problem) {
  return Poco::JSON::Parser()
      .parse(acme::RenderProblem(problem))
      .extract<Poco::JSON::Object::Ptr>();
}

}  // namespace

TEST_CASE("problem: the RFC 8555 types render with type, detail and status") {
  const acme::Problem problem =
      acme::ToProblem(acme::AcmeError(ProblemType::kRejectedIdentifier, "not this name"));
  auto body = Render(problem);
  CHECK(body->getValue<std::string>("type") == "urn:ietf:params:acme:error:rejectedIdentifier");
  CHECK(body->getValue<std::string>("detail") == "not this name");
  CHECK(body->getValue<int>("status") == 400);
  CHECK_FALSE(body->has("algorithms"));

  struct Expect {
    ProblemType type;
    const char* name;
    int status;
  };
  for (const Expect& e :
       {Expect{ProblemType::kBadNonce, "badNonce", 400},
        Expect{ProblemType::kMalformed, "malformed", 400},
        Expect{ProblemType::kUnauthorized, "unauthorized", 403},
        Expect{ProblemType::kBadSignatureAlgorithm, "badSignatureAlgorithm", 400},
        Expect{ProblemType::kBadPublicKey, "badPublicKey", 400},
        Expect{ProblemType::kExternalAccountRequired, "externalAccountRequired", 400},
        Expect{ProblemType::kAccountDoesNotExist, "accountDoesNotExist", 400},
        Expect{ProblemType::kOrderNotReady, "orderNotReady", 403},
        Expect{ProblemType::kBadCsr, "badCSR", 400},
        Expect{ProblemType::kAlreadyRevoked, "alreadyRevoked", 400},
        Expect{ProblemType::kBadRevocationReason, "badRevocationReason", 400},
        Expect{ProblemType::kServerInternal, "serverInternal", 500},
        Expect{ProblemType::kUnsupportedIdentifier, "unsupportedIdentifier", 400},
        Expect{ProblemType::kRateLimited, "rateLimited", 429}}) {
    INFO(e.name);
    CHECK(acme::ProblemTypeName(e.type) == e.name);
    const acme::Problem p = acme::ToProblem(acme::AcmeError(e.type, "x"));
    CHECK(p.type == e.type);
    CHECK(p.status == e.status);
  }
}

TEST_CASE("problem: badNonce always carries the text acme.sh retries on") {
  for (const homeca::Status& status :
       {acme::AcmeError(ProblemType::kBadNonce, "replayed"),
        acme::AcmeError(ProblemType::kBadNonce, ""),
        acme::AcmeError(ProblemType::kBadNonce, "x").WithContext("newOrder")}) {
    const acme::Problem problem = acme::ToProblem(status);
    CHECK(problem.type == ProblemType::kBadNonce);
    CHECK(problem.detail.find("JWS has an invalid anti-replay nonce") != std::string::npos);
    CHECK(acme::RenderProblem(problem).find("JWS has an invalid anti-replay nonce") !=
          std::string::npos);
  }
}

TEST_CASE("problem: a Status without a type maps by its code, the tag survives context") {
  CHECK(acme::ToProblem(homeca::Status::InvalidArgument("bad")).type == ProblemType::kMalformed);
  CHECK(acme::ToProblem(homeca::Status::PolicyViolation("no")).type ==
        ProblemType::kRejectedIdentifier);
  CHECK(acme::ToProblem(homeca::Status::PermissionDenied("no")).status == 403);
  const acme::Problem not_found = acme::ToProblem(homeca::Status::NotFound("no such order"));
  CHECK(not_found.type == ProblemType::kMalformed);
  CHECK(not_found.status == 404);
  const acme::Problem store = acme::ToProblem(homeca::Status::Store("store: busy", "SQLITE_BUSY"));
  CHECK(store.type == ProblemType::kServerInternal);
  CHECK(store.status == 500);
  CHECK(store.detail.find("SQLITE") == std::string::npos);  // the log detail stays in the log

  const homeca::Status tagged =
      acme::AcmeError(ProblemType::kBadPublicKey, "weak", "log only").WithContext("newAccount");
  const acme::Problem problem = acme::ToProblem(tagged);
  CHECK(problem.type == ProblemType::kBadPublicKey);
  CHECK(problem.detail == "newAccount: weak");
  CHECK(tagged.detail().find("log only") != std::string::npos);

  const acme::Problem media =
      acme::ToProblem(acme::AcmeError(ProblemType::kMalformed, "wrong Content-Type", {}, 415));
  CHECK(media.status == 415);
  CHECK(Render(media)->getValue<int>("status") == 415);
}
