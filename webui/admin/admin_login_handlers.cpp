// Login, logout and the first-run setup. The forms work before a session
// exists, so they are protected by a double-submit cookie: a random value in
// a SameSite=Strict cookie that the form must echo.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>

#include <sstream>

#include "ca/admin_password.h"
#include "ca/base/password_hash.h"
#include "ca/base/unix_time.h"
#include "webui/admin/admin_request.h"
#include "webui/admin/csrf.h"
#include "webui/api/api_json.h"
#include "webui/http/secret_tokens.h"

namespace homeca::webui {
namespace {

// Login CSRF cookie: long enough to type a password, short enough not to linger.
constexpr int kLoginCookieSeconds = 3600;

// The pre-session token: the cookie's value if it has one, else a new one.
std::string LoginCsrfToken(AdminRequest& r) {
  std::string token = r.http.Cookie(kLoginCsrfCookie);
  if (token.size() < 32 || token.size() > 64) {
    token = NewRandomToken();
    r.http.SetCookie(kLoginCsrfCookie, token, kLoginCookieSeconds);
  }
  return token;
}

bool LoginCsrfValid(AdminRequest& r) {
  return CsrfTokenMatches(r.http.Cookie(kLoginCsrfCookie), r.http.Form(kCsrfField));
}

bool PasswordSet(AdminRequest& r) { return !r.web.PasswordStamp().empty(); }

void SendLogin(AdminRequest& r, int status, const std::string& error,
               const std::string& notice = "") {
  pages::LoginView view{LoginCsrfToken(r), error, notice, !PasswordSet(r)};
  r.SendPage(status, pages::RenderLoginPage(view));
}

// A lockout as a script or a client that asked for JSON reads it: the
// same words, and when it ends.
bool WantsJson(AdminRequest& r) {
  return r.http.Header("Accept").find("application/json") != std::string::npos;
}
void SendLockout(AdminRequest& r, const LoginRefusal& refusal, const std::string& prefix = "") {
  r.http.response().set("Retry-After", std::to_string(refusal.retry_after_seconds));
  if (WantsJson(r)) {
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("error", "locked_out");
    o->set("message", prefix + refusal.Message());
    o->set("retry_at", ca::FormatTimeIso(refusal.until));
    o->set("retry_after", refusal.retry_after_seconds);
    std::ostringstream out;
    Poco::JSON::Stringifier::stringify(o, out);
    return r.http.SendJson(429, out.str());
  }
  SendLogin(r, 429, prefix + refusal.Message());
}

// Starts a session and sends the browser to the overview.
void StartSession(AdminRequest& r) {
  SessionStore::Created created = r.web.sessions().Create(r.web.PasswordStamp());
  r.http.SetCookie(kSessionCookie, created.id);
  r.http.SetCookie(kLoginCsrfCookie, "", 0);
  r.http.Redirect(303, "/");
}

// A login, a failed login or a logout is recorded, not decided, by its audit
// entry: the admin keeps the answer (and can still log in to see what is
// wrong with the store), and the daemon's log says which entry is missing.
void Audit(AdminRequest& r, const std::string& action, const std::string& detail) {
  Status written = r.web.authority().audit_log().AppendAudit(
      ca::AuditEntry{0, r.web.clock().Now(), AdminRequest::kActor, action, detail});
  if (!written.ok()) {
    r.web.log().error("web UI: audit entry '%s' not written: %s (%s)", action, written.message(),
                      written.detail());
  }
}

void SendSetup(AdminRequest& r, int status, const std::string& token, const std::string& error) {
  r.SendPage(status, pages::RenderSetupPage({token, LoginCsrfToken(r), error}));
}

void SendSetupInvalid(AdminRequest& r) {
  r.SendMessage(403, "Setup link not valid",
                "This setup link has been used already, or homecad restarted since it was "
                "written to the log. If no password is set yet, restart homecad for a new link; "
                "you can also run 'homeca admin set-password' on the server.",
                "/login", "Go to the login page");
}

}  // namespace

void GetLogin(AdminRequest& r) {
  if (r.http.Query("ended") == "1") {
    SendLogin(r, 200, "", "You are logged out.");
    return;
  }
  SendLogin(r, 200, "");
}

void PostLogin(AdminRequest& r) {
  Status form = r.http.ReadForm();
  if (!form.ok()) {
    SendLogin(r, 400, form.message());
    return;
  }
  if (!LoginCsrfValid(r)) {
    SendLogin(r, 403, "The login form expired. Please enter your password again.");
    return;
  }
  const std::string source = r.http.ClientAddress();
  const std::int64_t now = r.web.clock().Now();
  if (auto refusal = r.web.login_limiter().Check(source, now)) return SendLockout(r, *refusal);
  if (!r.web.login_limiter().TryAcquireCheck()) {
    r.http.response().set("Retry-After", "2");
    SendLogin(r, 503, "The appliance is busy checking other logins. Try again in a moment.");
    return;
  }
  std::string password = r.http.Form("password");
  Result<bool> ok = ca::CheckAdminPassword(r.web.authority().admin(), password);
  r.web.login_limiter().ReleaseCheck();
  Cleanse(password);
  if (!ok.ok()) {
    r.SendFailure(ok.status());
    return;
  }
  if (!*ok) {
    r.web.login_limiter().RecordFailure(source, now);
    Audit(r, "login-failed", "wrong password from " + source);
    if (!PasswordSet(r)) return SendLogin(r, 401, "No admin password is set yet.");
    // Warn before the lockout, and say when it ends once it has begun.
    if (auto refusal = r.web.login_limiter().Check(source, now)) {
      return SendLockout(r, *refusal, "That password is not right. ");
    }
    const std::string warning = r.web.login_limiter().Warning(source, now);
    if (WantsJson(r)) {
      return r.http.SendJson(
          401, ErrorJson("unauthorized",
                         "That password is not right." + (warning.empty() ? "" : " " + warning)));
    }
    SendLogin(r, 401, "That password is not right." + (warning.empty() ? "" : " " + warning));
    return;
  }
  r.web.login_limiter().RecordSuccess(source);
  Audit(r, "login", "logged in from " + source);
  StartSession(r);
}

void PostLogout(AdminRequest& r) {
  r.web.sessions().Remove(r.session_id);
  r.http.SetCookie(kSessionCookie, "", 0);
  Audit(r, "logout", "logged out");
  r.http.Redirect(303, "/login?ended=1");
}

void GetSetup(AdminRequest& r) {
  if (PasswordSet(r)) {
    r.SendMessage(200, "Already set up",
                  "The admin password is set. Log in with it, or reset it with 'homeca admin "
                  "set-password' on the server.",
                  "/login", "Log in");
    return;
  }
  const std::string token = r.http.Query("token");
  if (!r.web.setup().Matches(token)) {
    SendSetupInvalid(r);
    return;
  }
  SendSetup(r, 200, token, "");
}

void PostSetup(AdminRequest& r) {
  Status form = r.http.ReadForm();
  if (!form.ok()) {
    r.SendMessage(HttpStatusFor(form), "That did not work", form.message());
    return;
  }
  const std::string token = r.http.Form("token");
  if (PasswordSet(r) || !r.web.setup().Matches(token)) {
    SendSetupInvalid(r);
    return;
  }
  if (!LoginCsrfValid(r)) {
    SendSetup(r, 403, token, "The form expired. Please enter the password again.");
    return;
  }
  std::string password = r.http.Form("password");
  std::string confirm = r.http.Form("password-confirm");
  const bool same = password == confirm;
  Cleanse(confirm);
  Status acceptable = ca::CheckPasswordAcceptable(password);
  if (!same || !acceptable.ok()) {
    Cleanse(password);
    SendSetup(r, 400, token, !same ? "The two passwords differ." : acceptable.message() + ".");
    return;
  }
  // Spend the token first: of two racing submissions only one sets the password.
  if (!r.web.setup().Consume(token)) {
    Cleanse(password);
    SendSetupInvalid(r);
    return;
  }
  Status set =
      ca::SetAdminPassword(r.web.authority().admin(), password, r.web.clock().Now(), "setup");
  Cleanse(password);
  if (!set.ok()) {
    r.SendFailure(set.WithContext("saving the password (restart homecad for a new setup link)"));
    return;
  }
  r.web.log().notice("first-run setup finished: the admin password is set");
  StartSession(r);
}

}  // namespace homeca::webui
