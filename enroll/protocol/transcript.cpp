#include "enroll/protocol/transcript.h"

#include "enroll/pake/password_kdf.h"

namespace homeca::enroll {
namespace {

Bytes Concat(std::string_view prefix, const Bytes& tail) {
  Bytes out = ToBytes(prefix);
  out.insert(out.end(), tail.begin(), tail.end());
  return out;
}

}  // namespace

Spake2PlusIds PairingIds(const Bytes& server_cert_sha256, std::string_view id_prover) {
  return Spake2PlusIds{Concat(kContextPrefix, server_cert_sha256), ToBytes(id_prover),
                       ToBytes(kPairingVerifierId)};
}

Bytes RequestAad(const Bytes& session_id) { return Concat(kRequestAadPrefix, session_id); }

Bytes ResponseAad(const Bytes& session_id) { return Concat(kResponseAadPrefix, session_id); }

}  // namespace homeca::enroll
