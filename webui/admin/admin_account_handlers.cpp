// Settings, "Admin password" and "Backup": changing the password (proving the
// current one, counted by the login limiter like a login) and downloading an
// encrypted backup of the whole CA. Passwords and passphrases come only in the
// POST body, are never logged, and are wiped after use.
#include "ca/admin_password.h"
#include "ca/backup.h"
#include "ca/base/password_hash.h"
#include "ca/base/unix_time.h"
#include "webui/admin/admin_request.h"
#include "webui/admin/csrf.h"

namespace homeca::webui {
namespace {

void AuditRefusal(AdminRequest& r, const std::string& detail) {
  Status written = r.web.authority().audit_log().AppendAudit(ca::AuditEntry{
      0, r.web.clock().Now(), AdminRequest::kActor, "password-change-refused", detail});
  if (!written.ok()) {
    r.web.log().error("web UI: audit entry 'password-change-refused' not written: %s",
                      written.message());
  }
}

}  // namespace

void PostChangePassword(AdminRequest& r) {
  const std::string source = r.http.ClientAddress();
  const std::int64_t now = r.web.clock().Now();
  // A stolen session must not become a way to guess the password: a wrong
  // current password counts against this address exactly like a failed login.
  if (auto refusal = r.web.login_limiter().Check(source, now)) {
    r.http.response().set("Retry-After", std::to_string(refusal->retry_after_seconds));
    return SendSettings(r, 429, "", refusal->Message());
  }
  std::string current = r.http.Form("current");
  std::string password = r.http.Form("password");
  std::string again = r.http.Form("password2");
  const bool same = password == again;
  Cleanse(again);
  Status acceptable = ca::CheckPasswordAcceptable(password);
  if (!same || !acceptable.ok()) {
    Cleanse(current);
    Cleanse(password);
    return SendSettings(
        r, 400, "",
        (!same ? std::string("The two new passwords differ") : acceptable.message()) +
            "; the password was not changed.");
  }
  if (!r.web.login_limiter().TryAcquireCheck()) {
    Cleanse(current);
    Cleanse(password);
    r.http.response().set("Retry-After", "2");
    return SendSettings(r, 503, "",
                        "The appliance is busy checking logins; the password was not changed. "
                        "Try again in a moment.");
  }
  Result<bool> matches = ca::CheckAdminPassword(r.web.authority().admin(), current);
  r.web.login_limiter().ReleaseCheck();
  Cleanse(current);
  if (!matches.ok() || !*matches) {
    Cleanse(password);
    if (!matches.ok()) return r.SendFailure(matches.status());
    r.web.login_limiter().RecordFailure(source, now);
    AuditRefusal(r, "wrong current password from " + source);
    return SendSettings(r, 403, "",
                        "That is not the current password; the password was not changed.");
  }
  r.web.login_limiter().RecordSuccess(source);
  Status set = ca::SetAdminPassword(r.web.authority().admin(), password, now, AdminRequest::kActor);
  Cleanse(password);
  if (!set.ok()) return r.SendFailure(set);
  // Every session made under the old password ends (a browser left logged in
  // elsewhere is the usual reason to change it); this one gets a fresh session.
  r.web.sessions().RemoveAll();
  SessionStore::Created created = r.web.sessions().Create(r.web.PasswordStamp());
  r.http.SetCookie(kSessionCookie, created.id);
  r.http.Redirect(303, "/settings?saved=password");
}

void PostBackupDownload(AdminRequest& r) {
  std::string passphrase = r.http.Form("passphrase");
  std::string again = r.http.Form("passphrase2");
  const bool same = passphrase == again;
  Cleanse(again);
  if (!same) {
    Cleanse(passphrase);
    return SendSettings(r, 400, "", "The two passphrases differ; nothing was downloaded.");
  }
  ca::Authority& authority = r.web.authority();
  Result<ca::SealedBackup> backup = ca::SealBackup(authority, passphrase);
  Cleanse(passphrase);
  if (!backup.ok() && IsClientError(backup.status())) {
    return SendSettings(r, HttpStatusFor(backup.status()), "",
                        backup.status().message() + "; nothing was downloaded.");
  }
  if (!backup.ok()) return r.SendFailure(backup.status());
  // A copy of every key leaves the box here: no record, no download.
  Status audited =
      ca::AuditBackup(authority, *backup, "downloaded from the web UI", AdminRequest::kActor);
  if (!audited.ok()) return r.SendFailure(audited.WithContext("recording the backup"));
  const std::string day = ca::FormatTimeIso(r.web.clock().Now()).substr(0, 10);
  r.http.response().set("Content-Disposition",
                        "attachment; filename=\"homeca-backup-" + day + ".homeca\"");
  r.http.Send(200, "application/octet-stream", backup->bytes);
}

}  // namespace homeca::webui
