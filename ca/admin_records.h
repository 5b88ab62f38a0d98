// What the store keeps for the web UI and its JSON API: API tokens (only a
// hash of each) and devices (a paired pairing with its current certificate).
//
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "ca/base/encoding.h"
#include "ca/pairing_record.h"

namespace homeca::ca {

struct CertificateRecord;  // ca/certificate_record.h

// An API token as stored: never the token itself, only its SHA-256.
struct ApiTokenRecord {
  std::int64_t id = 0;
  std::string label;  // the admin's description, 1-100 characters
  std::int64_t created_at = 0;
  std::string created_by;
  std::optional<std::int64_t> revoked_at;
  bool active() const { return !revoked_at.has_value(); }
};

struct NewApiToken {
  std::string label;
  Bytes token_sha256;  // 32 bytes
  std::int64_t created_at = 0;
  std::string created_by;
};

}  // namespace homeca::ca
