// Time conversions that must not depend on time_t, which is 32 bits on
// Debian's armhf: dates past 2038-01-19 round-trip, ASN1_TIME switches from
// UTCTime to GeneralizedTime in 2050, and a root valid past 2038 reads back
// its real expiry (checked against `openssl x509 -enddate`).
#include "ca/base/unix_time.h"

#include <catch2/catch.hpp>

#include "ca/authority.h"
#include "tests/support/process.h"

namespace homeca::ca {
namespace {

std::string Asn1Text(const ASN1_TIME* time) {
  ossl::Bio bio(BIO_new(BIO_s_mem()));
  REQUIRE(ASN1_TIME_print(bio.get(), time) == 1);
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(len));
}

TEST_CASE("calendar conversions round-trip far from 1970 and past 2038") {
  struct Case {
    std::int64_t unix_seconds;
    int year, month, day, hour, minute, second, weekday;
  };
  const Case cases[] = {
      {0, 1970, 1, 1, 0, 0, 0, 4},
      {951782400, 2000, 2, 29, 0, 0, 0, 2},
      {2147483647, 2038, 1, 19, 3, 14, 7, 2},  // the last second of a 32-bit time_t
      {2147483648, 2038, 1, 19, 3, 14, 8, 2},
      {2524607999, 2049, 12, 31, 23, 59, 59, 5},
      {4107542400, 2100, 3, 1, 0, 0, 0, 1},  // 2100 is not a leap year
      {253402300799, 9999, 12, 31, 23, 59, 59, 5},
      {-86400, 1969, 12, 31, 0, 0, 0, 3},
  };
  for (const Case& c : cases) {
    INFO(c.unix_seconds);
    const std::tm tm = UtcFromUnix(c.unix_seconds);
    CHECK(tm.tm_year + 1900 == c.year);
    CHECK(tm.tm_mon + 1 == c.month);
    CHECK(tm.tm_mday == c.day);
    CHECK(tm.tm_hour == c.hour);
    CHECK(tm.tm_min == c.minute);
    CHECK(tm.tm_sec == c.second);
    CHECK(tm.tm_wday == c.weekday);
    CHECK(UnixFromUtc(tm) == c.unix_seconds);
  }
  CHECK(FormatTime(2147483648) == "2038-01-19 03:14:08 UTC");
}

TEST_CASE("ASN1_TIME from 64-bit seconds: UTCTime before 2050, GeneralizedTime after") {
  ossl::Asn1Time before_2038 = NewAsn1Time(2147483647);
  ossl::Asn1Time after_2038 = NewAsn1Time(2147483648 + 86400LL * 365 * 8);
  ossl::Asn1Time in_2050 = NewAsn1Time(2524608000);
  REQUIRE(before_2038);
  REQUIRE(after_2038);
  REQUIRE(in_2050);
  CHECK(Asn1Text(before_2038.get()) == "Jan 19 03:14:07 2038 GMT");
  CHECK(Asn1Text(after_2038.get()) == "Jan 17 03:14:08 2046 GMT");
  CHECK(ASN1_STRING_type(after_2038.get()) == V_ASN1_UTCTIME);
  CHECK(ASN1_STRING_type(in_2050.get()) == V_ASN1_GENERALIZEDTIME);
  CHECK(UnixFromAsn1Time(after_2038.get()) == 2147483648 + 86400LL * 365 * 8);
  CHECK(UnixFromAsn1Time(in_2050.get()) == 2524608000);
}

TEST_CASE("a root valid past 2038 carries and reports its real expiry") {
  testing::TempDir dir;
  InitOptions options;
  options.root_days = 20 * 365;  // from today: well past 2038
  options.intermediate_days = 5 * 365;
  auto authority = Authority::Init(dir / "ca", options);
  REQUIRE(authority.ok());
  const Certificate& root = (*authority)->root();
  // The root is backdated by an hour (authority_init.cpp).
  const std::int64_t expected = root.NotBefore() + 3600 + std::int64_t{20} * 365 * 86400;
  CHECK(root.NotAfter() == expected);
  CHECK(root.NotAfter() > 2147483647);
  testing::ProcessResult enddate =
      testing::Run({"openssl", "x509", "-noout", "-enddate", "-dateopt", "iso_8601", "-in",
                    (dir / "ca" / "root.pem").string()});
  REQUIRE(enddate.exit_code == 0);
  // "notAfter=2046-11-18 12:00:00Z": the year openssl reads is ours.
  CHECK(enddate.out.substr(9, 4) == FormatTime(expected).substr(0, 4));
  CHECK(std::stoi(enddate.out.substr(9, 4)) >= 2038);
}

}  // namespace
}  // namespace homeca::ca
