// The independent judge: `openssl verify` run as a real process against what
// homeca issued.
#pragma once

#include <string>

#include "ca/authority.h"
#include "tests/support/process.h"

namespace homeca::testing {

// Runs `openssl verify -x509_strict -purpose sslserver -CAfile root
// -untrusted intermediate leaf` (plus -crl_check with the CA's CRL when
// `check_crl`). Returns the process result; exit 0 means OK.
ProcessResult JudgeLeaf(const ca::Authority& authority, const std::string& leaf_pem,
                        bool check_crl = false);

}  // namespace homeca::testing
