// "Refused by policy" and "wrong state" are distinct codes (ca/base/status.h):
// a request the CA's rules refuse is kPolicyViolation whatever the CA's state,
// and a well-formed request on something in the wrong state is
// kFailedPrecondition. The web UI answers the first with 400 and the second
// with 409 (webui/http/status_http.h), so a client can tell "change what you
// ask" from "the thing moved on".
#include <catch2/catch.hpp>

#include "ca/authority.h"
#include "ca/root_key_offline.h"
#include "tests/ca/ca_fixture.h"
#include "tests/support/csr_factory.h"
#include "tests/support/process.h"

namespace homeca::ca {
namespace {

TEST_CASE("a name outside the policy is a policy refusal, not a state") {
  testing::TempDir dir;
  auto ca = testing::NewAuthority(dir / "ca");
  auto key = testing::MakeEcKey();
  Result<IssuedCertificate> issued = ca->Issue({testing::MakeCsrPem(key.get()), {"www.bank.com"}});
  REQUIRE_FALSE(issued.ok());
  CHECK(issued.status().IsPolicyViolation());
  CHECK_FALSE(issued.status().IsFailedPrecondition());
}

TEST_CASE("deleting a root key that was never exported is a wrong state, not a policy") {
  testing::TempDir dir;
  auto ca = testing::NewAuthority(dir / "ca");
  Status deleted = DeleteRootKey(*ca, "cli");
  REQUIRE_FALSE(deleted.ok());
  CHECK(deleted.IsFailedPrecondition());
  CHECK_FALSE(deleted.IsPolicyViolation());
  CHECK(std::filesystem::exists(ca->data_dir().root_key()));  // nothing changed
}

TEST_CASE("revoking an API token twice is a wrong state, not a policy") {
  testing::TempDir dir;
  auto ca = testing::NewAuthority(dir / "ca");
  NewApiToken token;
  token.label = "ci";
  token.token_sha256 = Bytes(32, 0x42);
  token.created_at = 1'800'000'000;
  token.created_by = "admin";
  Result<std::int64_t> id = ca->admin().CreateApiToken(token);
  REQUIRE(id.ok());
  REQUIRE(ca->admin().RevokeApiToken(*id, 1'800'000'001, "admin").ok());
  Status again = ca->admin().RevokeApiToken(*id, 1'800'000'002, "admin");
  CHECK(again.IsFailedPrecondition());
  CHECK_FALSE(again.IsPolicyViolation());
}

}  // namespace
}  // namespace homeca::ca
