// The CRL is republished daily, not only on revocation (issue 11, defect 7):
// a CA on a fake clock, its CRL read back from the data directory.
#include "ca/crl_freshness.h"

#include <catch2/catch.hpp>
#include <ctime>
#include <filesystem>

#include "ca/authority.h"
#include "tests/support/process.h"

namespace homeca::ca {
namespace {

using testing::TempDir;

TEST_CASE("a CRL is due a day after it was published, or at half its validity") {
  CHECK_FALSE(CrlRepublishDue({1, 1000, 1000 + 7 * 86400}, 1000));
  CHECK_FALSE(CrlRepublishDue({1, 1000, 1000 + 7 * 86400}, 1000 + 86399));
  CHECK(CrlRepublishDue({1, 1000, 1000 + 7 * 86400}, 1000 + 86400));
  // A short-lived CRL (someone else's profile): half its life comes first.
  CHECK_FALSE(CrlRepublishDue({1, 0, 7200}, 3599));
  CHECK(CrlRepublishDue({1, 0, 7200}, 3600));
  CHECK(CrlRepublishDue({1, 0, 0}, 1));  // no nextUpdate at all
}

TEST_CASE("homecad's check republishes an old CRL and leaves a fresh one alone") {
  TempDir dir;
  const std::int64_t t0 = std::time(nullptr);
  FakeClock clock(t0);
  auto created = Authority::Init(dir / "ca", InitOptions{}, clock);
  REQUIRE(created.ok());
  Authority& ca = **created;
  Result<CrlDates> first = ReadPublishedCrl(ca.data_dir());
  REQUIRE(first.ok());
  CHECK(first->this_update == t0);
  CHECK(first->next_update == t0 + kCrlValiditySeconds);

  clock.Advance(3600);
  Result<bool> early = RepublishCrlIfDue(ca, "test");
  REQUIRE(early.ok());
  CHECK_FALSE(*early);
  CHECK(ReadPublishedCrl(ca.data_dir())->number == first->number);

  clock.Advance(kCrlRepublishSeconds);
  Result<bool> due = RepublishCrlIfDue(ca, "test");
  REQUIRE(due.ok());
  CHECK(*due);
  Result<CrlDates> second = ReadPublishedCrl(ca.data_dir());
  REQUIRE(second.ok());
  CHECK(second->number > first->number);
  CHECK(second->this_update == t0 + 3600 + kCrlRepublishSeconds);
  CHECK(second->next_update == second->this_update + kCrlValiditySeconds);

  SECTION("a missing or damaged CRL is replaced") {
    std::filesystem::remove(ca.data_dir().crl_der());
    CHECK_FALSE(ReadPublishedCrl(ca.data_dir()).ok());
    Result<bool> missing = RepublishCrlIfDue(ca, "test");
    REQUIRE(missing.ok());
    CHECK(*missing);
    CHECK(ReadPublishedCrl(ca.data_dir()).ok());
  }
  SECTION("bytes that are not a CRL are refused") {
    CHECK_FALSE(ParseCrlDates(Bytes{0x30, 0x03, 0x02, 0x01, 0x01}).ok());
    CHECK_FALSE(ParseCrlDates(Bytes{}).ok());
  }
}

}  // namespace
}  // namespace homeca::ca
