// API tokens: made in Settings, shown to the admin once, stored only as a
// SHA-256 (ca/store/admin_store.h), presented by programs as
// "Authorization: Bearer hca_<43 base64url characters>".
//
// Thread-safety: as AdminStore (callable from any thread).
#pragma once

#include <cstdint>
#include <string>

#include "ca/base/status.h"
#include "ca/store/admin_store.h"

namespace homeca::webui {

inline constexpr const char* kApiTokenPrefix = "hca_";

struct MintedApiToken {
  std::int64_t id = 0;
  std::string token;  // the only copy: show it once, then drop it
};

// Creates a token described by `label` (1-100 printable characters, trimmed).
Result<MintedApiToken> CreateApiToken(ca::AdminStore& store, const std::string& label,
                                      std::int64_t now, const std::string& actor);

// The active token an Authorization header presents. PermissionDenied with a
// message for the caller when the header is missing, malformed, or names no
// active token.
Result<ca::ApiTokenRecord> AuthenticateBearer(ca::AdminStore& store,
                                              const std::string& authorization);

}  // namespace homeca::webui
