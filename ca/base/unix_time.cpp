#include "ca/base/unix_time.h"

namespace homeca::ca {
namespace {

constexpr std::int64_t kSecondsPerDay = 86400;

// Floor division, so that times before 1970 land on the right day.
std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

// Days since 1970-01-01 of a proleptic Gregorian date (month 1-12).
// Howard Hinnant, "chrono-Compatible Low-Level Date Algorithms", days_from_civil.
std::int64_t DaysFromCivil(std::int64_t year, int month, int day) {
  year -= month <= 2 ? 1 : 0;
  const std::int64_t era = FloorDiv(year, 400);
  const std::int64_t year_of_era = year - era * 400;  // [0, 399]
  const std::int64_t day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const std::int64_t day_of_era =
      year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;  // [0, 146096]
  return era * 146097 + day_of_era - 719468;
}

}  // namespace

std::tm UtcFromUnix(std::int64_t unix_seconds) {
  const std::int64_t days = FloorDiv(unix_seconds, kSecondsPerDay);
  const std::int64_t second_of_day = unix_seconds - days * kSecondsPerDay;
  // civil_from_days, the inverse of DaysFromCivil.
  const std::int64_t z = days + 719468;
  const std::int64_t era = FloorDiv(z, 146097);
  const std::int64_t day_of_era = z - era * 146097;
  const std::int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const std::int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const std::int64_t mp = (5 * day_of_year + 2) / 153;
  const int day = static_cast<int>(day_of_year - (153 * mp + 2) / 5 + 1);
  const int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  const std::int64_t year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);

  std::tm tm{};
  tm.tm_year = static_cast<int>(year - 1900);
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = static_cast<int>(second_of_day / 3600);
  tm.tm_min = static_cast<int>(second_of_day / 60 % 60);
  tm.tm_sec = static_cast<int>(second_of_day % 60);
  const std::int64_t weekday = days + 4;  // 1970-01-01 was a Thursday (4)
  tm.tm_wday = static_cast<int>(weekday - FloorDiv(weekday, 7) * 7);
  tm.tm_yday = static_cast<int>(days - DaysFromCivil(year, 1, 1));
  return tm;
}

std::int64_t UnixFromUtc(const std::tm& utc) {
  const std::int64_t days =
      DaysFromCivil(std::int64_t{utc.tm_year} + 1900, utc.tm_mon + 1, utc.tm_mday);
  return days * kSecondsPerDay + std::int64_t{utc.tm_hour} * 3600 + utc.tm_min * 60 + utc.tm_sec;
}

bool SetAsn1Time(ASN1_TIME* time, std::int64_t unix_seconds) {
  const std::int64_t days = FloorDiv(unix_seconds, kSecondsPerDay);
  const long seconds = static_cast<long>(unix_seconds - days * kSecondsPerDay);
  return ASN1_TIME_adj(time, 0, static_cast<int>(days), seconds) != nullptr;
}

ossl::Asn1Time NewAsn1Time(std::int64_t unix_seconds) {
  const std::int64_t days = FloorDiv(unix_seconds, kSecondsPerDay);
  const long seconds = static_cast<long>(unix_seconds - days * kSecondsPerDay);
  return ossl::Asn1Time(ASN1_TIME_adj(nullptr, 0, static_cast<int>(days), seconds));
}

std::int64_t UnixFromAsn1Time(const ASN1_TIME* time) {
  std::tm tm{};
  // With a non-null time, OpenSSL parses the string into `tm` itself; no
  // time_t is involved.
  if (time == nullptr || ASN1_TIME_to_tm(time, &tm) != 1) return 0;
  return UnixFromUtc(tm);
}

namespace {

std::string FormatWith(std::int64_t unix_seconds, const char* format) {
  // Not gmtime_r: time_t is 32 bits on armhf (see above).
  const std::tm tm = UtcFromUnix(unix_seconds);
  char buf[64];
  std::size_t n = std::strftime(buf, sizeof buf, format, &tm);
  return std::string(buf, n);
}

}  // namespace

std::string FormatTime(std::int64_t unix_seconds) {
  return FormatWith(unix_seconds, "%Y-%m-%d %H:%M:%S UTC");
}
std::string FormatTimeIso(std::int64_t unix_seconds) {
  return FormatWith(unix_seconds, "%Y-%m-%dT%H:%M:%SZ");
}

}  // namespace homeca::ca
