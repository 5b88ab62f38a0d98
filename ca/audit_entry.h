// One line of the CA's append-only audit log (ca/store/audit_log.h): who did
// what, when. Every write the CA makes carries one.
//
// Thread-safety: plain value.
#pragma once

#include <cstdint>
#include <string>

namespace homeca::ca {

struct AuditEntry {
  std::int64_t id = 0;  // assigned by the store
  std::int64_t at = 0;  // unix seconds
  std::string actor;    // "cli", "admin", "device:<id>", "homecad"
  std::string action;   // "init", "issue", "revoke", "crl", "backup", "restore", ...
  std::string detail;   // human-readable; never a secret
};

}  // namespace homeca::ca
