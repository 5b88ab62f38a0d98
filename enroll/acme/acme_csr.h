// The identifiers a finalize CSR asks for (RFC 8555 section 7.4): its DNS
// subjectAltNames and its subject commonName, lower-cased, without repeats.
// Anything else it asks for (an IP address, an e-mail address) comes back as
// "<kind>:<value>", so it can never equal an order's DNS names. The CA never
// copies names from a CSR: this only checks that the CSR asks for exactly
// what the order holds.
//
// Thread-safety: pure function.
#pragma once

#include <string>
#include <vector>

#include "ca/base/encoding.h"
#include "ca/base/status.h"

namespace homeca::enroll::acme {

// badCSR when the DER does not parse.
Result<std::vector<std::string>> CsrIdentifiers(const Bytes& der);

}  // namespace homeca::enroll::acme
