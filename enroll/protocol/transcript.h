// The fixed labels of the pairing transcript (docs/enrollment-protocol.md):
// the SPAKE2+ context and identities, and the associated data of the two
// sealed messages. Both sides build their inputs here, so they cannot drift.
//
// Thread-safety: pure functions.
#pragma once

#include <string_view>

#include "ca/base/encoding.h"
#include "enroll/pake/spake2plus.h"

namespace homeca::enroll {

inline constexpr std::string_view kContextPrefix = "homeca-enroll-v1";
inline constexpr std::string_view kRequestAadPrefix = "homeca-enroll-v1 request";
inline constexpr std::string_view kResponseAadPrefix = "homeca-enroll-v1 response";

// Context = "homeca-enroll-v1" || SHA-256(DER of the CA's TLS leaf);
// idProver as PairingProverId gives it; idVerifier = "homeca".
Spake2PlusIds PairingIds(const Bytes& server_cert_sha256, std::string_view id_prover);

// AAD(request) / AAD(response): the prefix followed by the 16-byte session id.
Bytes RequestAad(const Bytes& session_id);
Bytes ResponseAad(const Bytes& session_id);

}  // namespace homeca::enroll
