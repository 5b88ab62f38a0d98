// IdentityRenewer: keeps the certificate the daemon serves current, with the
// names it must carry. The hourly renewal check and a reload
// (SIGHUP) both go through it, so a re-issue happens under one lock and is
// then handed to the listener and to the enrollment service (which binds
// pairing to the certificate's hash) before anyone else can start another.
//
// Thread-safety: every member may be called from any thread.
// Ownership: borrows the Authority, the service and the listener, which must
// outlive it.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "ca/authority.h"
#include "ca/base/status.h"
#include "enroll/enrollment_service.h"
#include "webui/http/https_listener.h"
#include "webui/identity/server_identity.h"

namespace homeca::webui {

class IdentityRenewer {
 public:
  // `current` is what the listener serves now, issued for `names`.
  IdentityRenewer(ca::Authority& authority, enroll::EnrollmentService& enrollment,
                  HttpsListener& listener, std::vector<std::string> names, ServerIdentity current);

  // Renews once two thirds of the lifetime have passed. True if it did.
  Result<bool> RenewIfDue();

  // Makes `names` the certificate's names; re-issues at once if they differ
  // from the served certificate's (or it is due anyway). True if it did. On
  // failure the served certificate and its names stay as they were.
  Result<bool> SetNames(std::vector<std::string> names);

  ServerIdentity current() const;

 private:
  Result<bool> EnsureLocked(const std::vector<std::string>& names);

  ca::Authority& authority_;
  enroll::EnrollmentService& enrollment_;
  HttpsListener& listener_;
  mutable std::mutex mu_;
  std::vector<std::string> names_;  // guarded by mu_
  ServerIdentity current_;          // guarded by mu_
};

}  // namespace homeca::webui
