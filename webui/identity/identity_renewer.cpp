#include "webui/identity/identity_renewer.h"

#include <Poco/Exception.h>

namespace homeca::webui {

IdentityRenewer::IdentityRenewer(ca::Authority& authority, enroll::EnrollmentService& enrollment,
                                 HttpsListener& listener, std::vector<std::string> names,
                                 ServerIdentity current)
    : authority_(authority),
      enrollment_(enrollment),
      listener_(listener),
      names_(std::move(names)),
      current_(std::move(current)) {}

Result<bool> IdentityRenewer::RenewIfDue() {
  std::lock_guard<std::mutex> lock(mu_);
  if (!NeedsRenewal(current_, authority_.clock().Now())) return false;
  return EnsureLocked(names_);
}

Result<bool> IdentityRenewer::SetNames(std::vector<std::string> names) {
  std::lock_guard<std::mutex> lock(mu_);
  Result<bool> changed = EnsureLocked(names);
  if (changed.ok()) names_ = std::move(names);
  return changed;
}

ServerIdentity IdentityRenewer::current() const {
  std::lock_guard<std::mutex> lock(mu_);
  return current_;
}

Result<bool> IdentityRenewer::EnsureLocked(const std::vector<std::string>& names) {
  // Loads the certificate on disk, issuing a new one if the names differ or
  // it is due; an unchanged hash means there is nothing to swap.
  auto ensured = EnsureServerIdentity(authority_, names);
  if (!ensured.ok()) return ensured.status();
  if (ensured->leaf_sha256 == current_.leaf_sha256) return false;
  // Pairing binds the TLS certificate's hash: tell the service before the
  // listener presents the new certificate.
  enrollment_.SetServerCertificateSha256(ensured->leaf_sha256);
  try {
    listener_.Swap(*ensured);
  } catch (const Poco::Exception& e) {
    // The swap stopped the old server before failing to start the new one
    // (the port was taken in between): go back to what was served.
    enrollment_.SetServerCertificateSha256(current_.leaf_sha256);
    std::string restored = "the old one is served again";
    try {
      listener_.Swap(current_);
    } catch (const Poco::Exception& again) {
      restored = "nothing is served: " + again.displayText();
    }
    return Status::Io("cannot serve the new certificate: " + e.displayText() + "; " + restored);
  }
  current_ = std::move(ensured).value();
  return true;
}

}  // namespace homeca::webui
