// What the CA keeps about each certificate it issued: the record, its
// revocation, its state as a user sees it, and the filter a list is read
// with. The store (ca/store/certificate_store.h) holds them; the Authority
// makes them.
//
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ca/base/encoding.h"

namespace homeca::ca {

// RFC 5280 section 5.3.1 CRLReason values we accept.
enum class RevocationReason : int {
  kUnspecified = 0,
  kKeyCompromise = 1,
  kAffiliationChanged = 3,
  kSuperseded = 4,
  kCessationOfOperation = 5,
};

struct Revocation {
  RevocationReason reason = RevocationReason::kUnspecified;
  std::int64_t revoked_at = 0;  // unix seconds
};

struct CertificateRecord {
  std::int64_t id = 0;     // assigned by the store
  std::string serial_hex;  // lower-case hex of the serial, no leading zeros stripped
  std::string subject_cn;
  std::vector<std::string> names;  // SAN entries as issued (DNS names and IP addresses)
  std::int64_t not_before = 0;     // unix seconds
  std::int64_t not_after = 0;      // unix seconds
  std::string requester;           // who asked: "cli:root", "device:<id>", ...
  std::string key_type;            // "EC P-256", "RSA 2048", ...
  std::string fingerprint_sha256;  // lower-case hex of SHA-256(DER)
  Bytes der;
  std::int64_t issued_at = 0;            // unix seconds
  std::optional<Revocation> revocation;  // set when revoked
};

// Status as a user sees it; "expired" is derived from not_after and `now`.
enum class CertificateState { kValid, kRevoked, kExpired };
CertificateState StateAt(const CertificateRecord& record, std::int64_t now);
const char* ToString(CertificateState state);

struct CertificateFilter {
  std::optional<CertificateState> state;  // evaluated at `now`
  std::string name_contains;              // substring of any SAN entry or the CN; "" = all
  std::int64_t now = 0;
  int limit = 100;  // 1..1000
  int offset = 0;
};

struct RevokedSerial {
  std::string serial_hex;
  Revocation revocation;
};

}  // namespace homeca::ca
