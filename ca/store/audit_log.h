// The CA's append-only audit log: what was done, by whom, when. Writes that
// change the CA's state put their entry in their own transaction (through
// the other store interfaces); AppendAudit is for events that change nothing
// stored (a login, a refused renewal, a backup taken).
//
// Contract for every implementation: an appended entry is durable when
// AppendAudit returns OK; entries are never changed or removed. Thread-safe.
// Store when the database fails: the caller decides whether the event it
// records may stand without its entry (see docs/architecture.md, "The
// store").
#pragma once

#include <vector>

#include "ca/audit_entry.h"
#include "ca/base/status.h"

namespace homeca::ca {

class AuditLog {
 public:
  virtual ~AuditLog() = default;

  virtual Status AppendAudit(const AuditEntry& entry) = 0;
  // Newest first.
  virtual Result<std::vector<AuditEntry>> ListAudit(int limit, int offset) = 0;
};

}  // namespace homeca::ca
