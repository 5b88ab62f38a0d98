// Re-certifying the online intermediate with the root key (`homeca
// intermediate renew`): the intermediate keeps its key and name, so every
// certificate and CRL it already signed still verifies, and it gets a fresh
// validity period (capped at the root's). The root key is the one on the box
// or, once taken offline (ca/root_key_offline.h), the exported file.
// homecad serves the new chain after a restart.
#pragma once

#include <string>

#include "ca/authority.h"
#include "ca/base/status.h"
#include "ca/x509/certificate.h"
#include "ca/x509/key.h"

namespace homeca::ca {

// Checks `root_key` is the root's, signs a new intermediate certificate valid
// for `days` (1 to the root's remaining lifetime), writes intermediate.pem
// atomically and audits it.
Result<Certificate> RenewIntermediate(Authority& authority, const PrivateKey& root_key, int days,
                                      const std::string& actor);

}  // namespace homeca::ca
