// A SPAKE2+ verifier record that no pairing code matches, and the pairing row around it, for
// pairings that are completed by other means than a code: an ACME account's binding
// (enroll/acme/acme_pairing.h) or the admin's own hand in the web UI or CLI
// (enroll/manual_device.h). The pairings table needs one for a row to be
// armed; nothing ever runs SPAKE2+ against it, because such pairings sit
// under device ids the enrollment protocol cannot name (they hold a ':').
//
// Thread-safety: stateless.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ca/base/status.h"
#include "ca/pairing_record.h"

namespace homeca::enroll {

// A random w0 and the public point of a key thrown away at once.
Result<ca::PairingVerifier> UnmatchableVerifier();

// An armed pairing for `key` and `names` (already checked) with such a
// verifier, made `now` by `actor`, waiting `ttl_seconds`: what
// PairingStore::CreatePairing stores for a pairing no code completes.
Result<ca::NewPairing> PairingWithoutCode(ca::PairingKey key, std::vector<std::string> names,
                                          std::int64_t now, std::int64_t ttl_seconds,
                                          const std::string& actor);

}  // namespace homeca::enroll
