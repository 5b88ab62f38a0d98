// The leaf (device) certificate profile. Everything in a leaf comes from here
// and from names the CA already validated; nothing is copied from the CSR
// except its public key.
#pragma once

#include <string>
#include <vector>

#include "ca/base/status.h"
#include "ca/csr.h"
#include "ca/hierarchy.h"
#include "ca/name_policy.h"
#include "ca/x509/certificate.h"
#include "ca/x509/key.h"

namespace homeca::ca {

inline constexpr int kDefaultLeafDays = 90;
// Apple refuses TLS certificates valid for more than 825 days, private roots
// included (support.apple.com/en-us/103769), so no leaf may be longer.
inline constexpr int kMaxLeafDays = 825;
// Backdating covers devices whose clocks run a little slow.
inline constexpr std::int64_t kLeafBackdateSeconds = 5 * 60;

struct LeafSpec {
  std::vector<CheckedName> names;  // from CheckNames
  Validity validity;
  std::string crl_url;  // optional CRL distribution point
};

Result<Certificate> SignLeaf(const CertificateRequest& csr, const LeafSpec& spec,
                             const Certificate& issuer, const PrivateKey& issuer_key);

}  // namespace homeca::ca
