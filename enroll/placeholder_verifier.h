// A SPAKE2+ verifier record that no pairing code matches, for pairings that
// are completed by other means than a code: an ACME account's binding
// (enroll/acme/acme_pairing.h) or the admin's own hand in the web UI or CLI
// (enroll/manual_device.h). The pairings table needs one for a row to be
// armed; nothing ever runs SPAKE2+ against it, because such pairings sit
// under device ids the enrollment protocol cannot name (they hold a ':').
//
// Thread-safety: stateless.
#pragma once

#include "ca/base/status.h"
#include "ca/pairing_record.h"

namespace homeca::enroll {

// A random w0 and the public point of a key thrown away at once.
Result<ca::PairingVerifier> UnmatchableVerifier();

}  // namespace homeca::enroll
