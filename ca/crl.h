// Building the v2 CRL the intermediate publishes for the leaves it issued.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ca/base/status.h"
#include "ca/certificate_record.h"
#include "ca/x509/certificate.h"
#include "ca/x509/key.h"

namespace homeca::ca {

// Clients cache a CRL until nextUpdate; a week keeps a revoked device out
// quickly enough for a home while letting the CA be offline for days.
inline constexpr std::int64_t kCrlValiditySeconds = 7 * 24 * 3600;

struct Crl {
  Bytes der;
  std::string pem;
  std::int64_t number = 0;
  std::int64_t this_update = 0;
  std::int64_t next_update = 0;
};

// A v2 CRL (RFC 5280 section 5) with CRL number and AKI, one entry per
// revoked serial with its reason code, signed by `issuer_key`.
Result<Crl> BuildCrl(const Certificate& issuer, const PrivateKey& issuer_key,
                     std::int64_t crl_number, std::int64_t this_update,
                     const std::vector<RevokedSerial>& revoked);

}  // namespace homeca::ca
