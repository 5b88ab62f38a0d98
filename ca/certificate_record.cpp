#include "ca/certificate_record.h"

namespace homeca::ca {

CertificateState StateAt(const CertificateRecord& record, std::int64_t now) {
  if (record.revocation.has_value()) return CertificateState::kRevoked;
  if (record.not_after <= now) return CertificateState::kExpired;
  return CertificateState::kValid;
}

const char* ToString(CertificateState state) {
  switch (state) {
    case CertificateState::kValid:
      return "valid";
    case CertificateState::kRevoked:
      return "revoked";
    case CertificateState::kExpired:
      return "expired";
  }
  return "unknown";
}

}  // namespace homeca::ca
