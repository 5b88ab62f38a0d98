// Unix seconds <-> calendar time and ASN1_TIME, without time_t.
//
// Debian bookworm's armhf and i386 still have a 32-bit time_t, which ends on
// 2038-01-19: well inside the lifetime of a root made from 2028 on (and of
// any root made with a long --root-days today). Converting a certificate's
// validity through time_t there wraps it to 1901. These functions work on
// 64-bit seconds with the days-from-civil algorithms (proleptic Gregorian
// calendar, as X.509 uses) and give OpenSSL days plus seconds
// (ASN1_TIME_adj), which it adds in calendar arithmetic, never a time_t.
//
// Thread-safety: pure functions.
#pragma once

#include <openssl/asn1.h>

#include <cstdint>
#include <ctime>
#include <string>

#include "ca/base/openssl_handles.h"

namespace homeca::ca {

// UTC broken-down time (tm_year is years since 1900, tm_mon 0-11, as
// gmtime_r fills it; tm_wday and tm_yday are set too). Years 0 to 9999.
std::tm UtcFromUnix(std::int64_t unix_seconds);
// The inverse; ignores tm_wday, tm_yday and tm_isdst.
std::int64_t UnixFromUtc(const std::tm& utc);

// Sets `time` (UTCTime before 2050, GeneralizedTime from 2050, as RFC 5280
// requires). False if OpenSSL refuses (out of memory, year out of range).
bool SetAsn1Time(ASN1_TIME* time, std::int64_t unix_seconds);
// A new ASN1_TIME; null on failure.
ossl::Asn1Time NewAsn1Time(std::int64_t unix_seconds);
// Unix seconds of an ASN1_TIME; 0 if it cannot be parsed.
std::int64_t UnixFromAsn1Time(const ASN1_TIME* time);

// Formats unix seconds as "2026-11-23 08:49:00 UTC" / "2026-11-23T08:49:00Z".
std::string FormatTime(std::int64_t unix_seconds);
std::string FormatTimeIso(std::int64_t unix_seconds);

}  // namespace homeca::ca
