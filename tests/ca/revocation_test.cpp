// Revocation and the v2 CRL, judged by `openssl crl` and `openssl verify -crl_check`.
#include <catch2/catch.hpp>

#include "ca/authority.h"
#include "tests/ca/ca_fixture.h"
#include "tests/ca/verify_judge.h"
#include "tests/support/csr_factory.h"

namespace homeca::ca {
namespace {

TEST_CASE("revoking publishes a CRL that openssl honours") {
  testing::TempDir dir;
  auto created = testing::NewAuthority(dir / "ca");
  Authority& ca = *created;
  auto key = testing::MakeEcKey();
  auto kept = ca.Issue({testing::MakeCsrPem(key.get()), {"tv"}});
  auto lost = ca.Issue({testing::MakeCsrPem(key.get()), {"phone"}});
  REQUIRE(kept.ok());
  REQUIRE(lost.ok());
  CHECK(testing::JudgeLeaf(ca, lost->leaf.Pem(), /*check_crl=*/true).exit_code == 0);

  // Serials are accepted the way people copy them: upper case, with colons.
  std::string typed = lost->record.serial_hex;
  for (char& c : typed) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  typed.insert(2, ":");
  REQUIRE(ca.Revoke(typed, RevocationReason::kKeyCompromise, "test").ok());

  auto verdict = testing::JudgeLeaf(ca, lost->leaf.Pem(), true);
  CHECK(verdict.exit_code != 0);
  CHECK_THAT(verdict.out + verdict.err, Catch::Contains("certificate revoked"));
  CHECK(testing::JudgeLeaf(ca, kept->leaf.Pem(), true).exit_code == 0);

  auto text =
      testing::Run({"openssl", "crl", "-noout", "-text", "-in", ca.data_dir().crl_pem().string()});
  REQUIRE(text.exit_code == 0);
  CHECK_THAT(text.out, Catch::Contains("Version 2"));
  CHECK_THAT(text.out, Catch::Contains("X509v3 CRL Number"));
  CHECK_THAT(text.out, Catch::Contains("Next Update"));
  CHECK_THAT(text.out, Catch::Contains("Key Compromise"));
  std::string upper = lost->record.serial_hex;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  CHECK_THAT(text.out, Catch::Contains(upper));

  auto record = ca.certificates().FindBySerial(lost->record.serial_hex);
  REQUIRE(record.ok());
  REQUIRE(record->revocation.has_value());
  CHECK(record->revocation->reason == RevocationReason::kKeyCompromise);
  CHECK(StateAt(*record, std::time(nullptr)) == CertificateState::kRevoked);
}

TEST_CASE("revocation errors are clear and change nothing") {
  testing::TempDir dir;
  auto created = testing::NewAuthority(dir / "ca");
  Authority& ca = *created;
  auto key = testing::MakeEcKey();
  auto issued = ca.Issue({testing::MakeCsrPem(key.get()), {"nas"}});
  REQUIRE(issued.ok());
  CHECK(ca.Revoke("not-hex", RevocationReason::kUnspecified, "t").IsInvalidArgument());
  CHECK(ca.Revoke("0123456789abcdef", RevocationReason::kUnspecified, "t").IsNotFound());
  REQUIRE(ca.Revoke(issued->record.serial_hex, RevocationReason::kSuperseded, "t").ok());
  CHECK(ca.Revoke(issued->record.serial_hex, RevocationReason::kSuperseded, "t").IsAlreadyExists());
  CHECK_FALSE(ParseRevocationReason("because").ok());
}

TEST_CASE("CRL numbers only go up") {
  testing::TempDir dir;
  auto created = testing::NewAuthority(dir / "ca");
  auto first = created->PublishCrl("t");
  auto second = created->PublishCrl("t");
  REQUIRE(first.ok());
  REQUIRE(second.ok());
  CHECK(second->number == first->number + 1);
  CHECK(second->next_update - second->this_update == kCrlValiditySeconds);
  created.reset();
  auto reopened = Authority::Open(dir / "ca");
  REQUIRE(reopened.ok());
  auto third = (*reopened)->PublishCrl("t");
  REQUIRE(third.ok());
  CHECK(third->number == second->number + 1);
}

}  // namespace
}  // namespace homeca::ca
