#include "ca/admin_password.h"

#include "ca/base/password_hash.h"
#include "ca/settings_keys.h"

namespace homeca::ca {

Status SetAdminPassword(AdminStore& store, std::string_view password, std::int64_t now,
                        const std::string& actor) {
  HOMECA_RETURN_IF_ERROR(CheckPasswordAcceptable(password));
  Result<std::string> record = HashPassword(password);
  if (!record.ok()) return record.status();
  return store.SetSettingAudited(
      settings::kAdminPassword, *record,
      AuditEntry{0, now, actor, "admin-password", "the admin password was set"});
}

Result<std::optional<std::string>> AdminPasswordRecord(AdminStore& store) {
  return store.GetSetting(settings::kAdminPassword);
}

Result<bool> CheckAdminPassword(AdminStore& store, std::string_view password) {
  Result<std::optional<std::string>> record = AdminPasswordRecord(store);
  if (!record.ok()) return record.status();
  if (!record->has_value()) return false;
  return VerifyPassword(password, **record);
}

}  // namespace homeca::ca
