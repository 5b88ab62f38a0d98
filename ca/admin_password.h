// The web UI's admin password, stored as an scrypt record (ca/password_hash.h)
// in the store's settings. Set by the first-run setup page or by
// `homeca admin set-password`; checked by homecad's login.
//
// Thread-safety: as AdminStore (callable from any thread).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ca/base/status.h"
#include "ca/store/admin_store.h"

namespace homeca::ca {

// Hashes and stores `password` with an audit entry ("admin-password").
// InvalidArgument for a password CheckPasswordAcceptable refuses.
Status SetAdminPassword(AdminStore& store, std::string_view password, std::int64_t now,
                        const std::string& actor);

// The stored record, or nullopt before the first password is set.
Result<std::optional<std::string>> AdminPasswordRecord(AdminStore& store);

// True when a password is set and `password` matches it.
Result<bool> CheckAdminPassword(AdminStore& store, std::string_view password);

}  // namespace homeca::ca
