// The ACME server's rate limits: what stops a looping or hostile client (a
// cron job renewing in a loop, `certbot --force-renewal` in a script, a
// leaked account key) from making certificates and orders without end. Each
// certificate is a signature, a row kept for good and a CRL entry if it is
// revoked; each order is rows.
//
// - Certificates per device: the renewals of the device's lineage in any
//   rolling 24 hours stay under a limit (homecad's acme.certificates_per_day,
//   AcmeServiceOptions). The pairing's first certificate is never limited
//   and not counted. Checked at newOrder, so a client fails before rows are
//   made, and again at finalize, since several orders may be ready at once.
// - Ready orders per account: at most kMaxReadyOrdersPerAccount orders that
//   are ready and unexpired; finalizing one, or its expiry, frees a slot.
//
// A refusal is rateLimited (HTTP 429) with a Retry-After: the seconds until
// the oldest certificate (order) leaves the window (expires), at least 1;
// its detail says in plain words how many, the limit and when to retry.
//
// Internal to AcmeService (acme_orders.cpp, acme_finalize.cpp).
// Thread-safety: stateless; the store is thread-safe.
#pragma once

#include <cstdint>

#include "ca/authority.h"
#include "enroll/acme/acme_service_impl.h"

namespace homeca::enroll::acme {

inline constexpr int kMaxReadyOrdersPerAccount = 20;

// `limit` within 1..kMaxAcmeCertificatesPerDay.
int ClampCertificatesPerDay(int limit);

// newOrder: OK, or rateLimited when the device had `certificates_per_day`
// renewals in the last 24 hours or the account holds its most ready orders.
Status CheckOrderRate(ca::Authority& authority, const DeviceStanding& standing,
                      std::int64_t account_id, int certificates_per_day);

// finalize: OK, or rateLimited when the device had `certificates_per_day`
// renewals in the last 24 hours.
Status CheckCertificateRate(ca::Authority& authority, const DeviceStanding& standing,
                            int certificates_per_day);

}  // namespace homeca::enroll::acme
