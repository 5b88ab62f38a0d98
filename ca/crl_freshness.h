// Keeping the published CRL fresh. Relying parties cache a CRL until its
// nextUpdate (RFC 5280 section 5.1.2.5) and treat one past it as stale, so
// the CA republishes long before that: when the current CRL is a day old, or
// past half its validity, whichever comes first. homecad checks hourly and at
// start; a revocation republishes at once (Authority::Revoke).
//
// Thread-safety: RepublishCrlIfDue may run concurrently with Revoke; the
// Authority serializes publications.
#pragma once

#include <cstdint>
#include <string>

#include "ca/authority.h"
#include "ca/base/encoding.h"
#include "ca/base/status.h"

namespace homeca::ca {

inline constexpr std::int64_t kCrlRepublishSeconds = 24 * 3600;

struct CrlDates {
  std::int64_t number = 0;  // the cRLNumber extension, 0 if absent
  std::int64_t this_update = 0;
  std::int64_t next_update = 0;  // 0 if absent
};

// The dates of a DER CRL.
Result<CrlDates> ParseCrlDates(const Bytes& der);
// The dates of the CRL currently published in `dir` (crl.der).
Result<CrlDates> ReadPublishedCrl(const DataDir& dir);

// True when a CRL with `dates` should be replaced at `now`.
bool CrlRepublishDue(const CrlDates& dates, std::int64_t now);

// Publishes a new CRL when the current one is due (or missing or unreadable).
// Returns whether it published.
Result<bool> RepublishCrlIfDue(Authority& authority, const std::string& actor);

}  // namespace homeca::ca
