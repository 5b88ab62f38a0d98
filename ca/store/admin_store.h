// What the appliance keeps for its administration: CA settings (key/value,
// ca/settings_keys.h; the admin password hash is one, ca/admin_password.h)
// and the web UI's API tokens (only a hash of each, ca/admin_records.h).
//
// Contract for every implementation: writes are durable when they return OK
// and change nothing when they fail; the audited ones write the setting or
// token and its audit entry in one transaction. Thread-safe; several
// processes may open the same store. Errors as each method says; Store when
// the database itself fails.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ca/admin_records.h"
#include "ca/audit_entry.h"
#include "ca/base/encoding.h"
#include "ca/base/status.h"

namespace homeca::ca {

class AdminStore {
 public:
  virtual ~AdminStore() = default;

  // nullopt when the setting was never set.
  virtual Result<std::optional<std::string>> GetSetting(const std::string& key) = 0;
  // InvalidArgument for an empty key.
  virtual Status SetSetting(const std::string& key, const std::string& value) = 0;
  // Sets a setting and appends its audit entry in one transaction.
  virtual Status SetSettingAudited(const std::string& key, const std::string& value,
                                   const AuditEntry& audit) = 0;

  // Stores a token's hash with its audit entry; returns its id.
  virtual Result<std::int64_t> CreateApiToken(const NewApiToken& token) = 0;
  // Newest first, revoked ones included.
  virtual Result<std::vector<ApiTokenRecord>> ListApiTokens() = 0;
  // The unrevoked token whose SHA-256 is `token_sha256`, or NotFound.
  virtual Result<ApiTokenRecord> FindActiveApiToken(const Bytes& token_sha256) = 0;
  // NotFound for an unknown id; FailedPrecondition when it is already revoked.
  virtual Status RevokeApiToken(std::int64_t id, std::int64_t now, const std::string& actor) = 0;
};

}  // namespace homeca::ca
