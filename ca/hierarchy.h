// The CA hierarchy's two profiles: the long-lived root (used only to sign
// intermediates) and the online intermediate (pathlen 0) that signs leaves.
// Both carry the same critical nameConstraints, built from the NamePolicy,
// and extendedKeyUsage serverAuth, clientAuth, so even a leaked intermediate
// key cannot vouch for a public name, a mailbox, a URI, or anything but TLS
// (docs/ca.md).
#pragma once

#include <cstdint>
#include <string>

#include "ca/base/status.h"
#include "ca/name_policy.h"
#include "ca/x509/certificate.h"
#include "ca/x509/key.h"

namespace homeca::ca {

struct CaSubject {
  std::string organization;  // required: every subject below starts with it
  std::string common_name;   // iOS will not list a root without one
};

struct Validity {
  std::int64_t not_before = 0;
  std::int64_t not_after = 0;
};

// The root and the intermediate start an hour in the past, whether made at
// init or renewed, so a device whose clock runs a little slow trusts them at
// once (leaves have their own, kLeafBackdateSeconds).
inline constexpr std::int64_t kCaBackdateSeconds = 60 * 60;

Result<Certificate> CreateRootCertificate(const PrivateKey& root_key, const CaSubject& subject,
                                          const Validity& validity, const NamePolicy& policy);

Result<Certificate> CreateIntermediateCertificate(const PrivateKey& intermediate_key,
                                                  const CaSubject& subject,
                                                  const Validity& validity,
                                                  const NamePolicy& policy, const Certificate& root,
                                                  const PrivateKey& root_key);

// True when `ca`'s nameConstraints hold a directoryName subtree, as CA
// certificates made before 2026-12 do: Go's crypto/x509 refuses every chain
// through such a certificate, so homecad warns about it at start.
bool HasDirectoryNameConstraint(const Certificate& ca);

}  // namespace homeca::ca
