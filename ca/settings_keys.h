// Names of the CA settings kept in the store's settings table, shared by
// Authority::Init (which writes them) and Authority::Open (which reads them).
#pragma once

namespace homeca::ca::settings {

inline constexpr const char* kOrganization = "ca.organization";
inline constexpr const char* kPermittedDomains = "policy.permitted_domains";     // comma-separated
inline constexpr const char* kPermittedIpRanges = "policy.permitted_ip_ranges";  // comma-separated
inline constexpr const char* kAllowWildcards = "policy.allow_wildcards";         // "0" / "1"
inline constexpr const char* kMaxNames = "policy.max_names";
inline constexpr const char* kDefaultLeafDays = "issue.default_days";
inline constexpr const char* kCrlUrl = "crl.url";
// The web UI's admin password as an encoded scrypt hash (ca/password_hash.h).
inline constexpr const char* kAdminPassword = "admin.password";

}  // namespace homeca::ca::settings
