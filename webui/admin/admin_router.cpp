#include "webui/admin/admin_router.h"

#include <Poco/Exception.h>

#include <exception>
#include <string_view>

#include "webui/admin/admin_request.h"
#include "webui/admin/csrf.h"
#include "webui/http/route_match.h"
#include "webui/http/security_headers.h"

namespace homeca::webui {
namespace {

enum class Access {
  kPublic,   // login, setup
  kAnyone,   // public, with the admin's navigation when a session comes along
  kSession,  // an HTML page or form behind the login
  kJson,     // a JSON endpoint for our script behind the login (401, not a redirect)
};

struct Route {
  const char* method;   // "GET" (HEAD too) or "POST"
  const char* pattern;  // "{}" matches one path segment
  Access access;
  void (*handler)(AdminRequest&);
};

constexpr Route kRoutes[] = {
    {"GET", "/login", Access::kPublic, GetLogin},
    {"POST", "/login", Access::kPublic, PostLogin},
    {"GET", "/setup", Access::kPublic, GetSetup},
    {"POST", "/setup", Access::kPublic, PostSetup},
    {"POST", "/logout", Access::kSession, PostLogout},
    {"GET", "/", Access::kSession, GetOverview},
    {"GET", "/devices", Access::kSession, GetDevices},
    {"GET", "/devices/add", Access::kSession, GetAddDevice},
    {"POST", "/devices/add", Access::kSession, PostAddDevice},
    {"POST", "/devices/arm", Access::kSession, PostArmDevice},
    {"POST", "/devices/{}/revoke", Access::kSession, PostRevokeDevice},
    {"POST", "/devices/{}/address", Access::kSession, PostDeviceAddress},
    {"GET", "/devices/manual", Access::kSession, GetManualDevice},
    {"POST", "/devices/manual/csr", Access::kSession, PostManualCsr},
    {"POST", "/devices/manual/key", Access::kSession, PostManualKey},
    {"GET", "/devices/{}/issued", Access::kSession, GetManualIssued},
    {"GET", "/devices/{}/chain.pem", Access::kSession, GetDeviceChain},
    {"GET", "/pairings/{}", Access::kSession, GetPairing},
    {"GET", "/pairings/{}/status", Access::kJson, GetPairingStatus},
    {"POST", "/pairings/{}/cancel", Access::kSession, PostCancelPairing},
    {"POST", "/pairings/{}/new-code", Access::kSession, PostNewPairingCode},
    {"GET", "/certificates", Access::kSession, GetCertificates},
    {"GET", "/certificates/{}", Access::kSession, GetCertificate},
    {"POST", "/certificates/{}/revoke", Access::kSession, PostRevokeCertificate},
    // Public: the login page links here for the family, who have no password,
    // and HSTS sends browsers that know the admin host to HTTPS anyway.
    {"GET", "/trust", Access::kAnyone, GetTrust},
    {"GET", "/audit", Access::kSession, GetAudit},
    {"GET", "/settings", Access::kSession, GetSettings},
    {"POST", "/settings/lifetime", Access::kSession, PostLifetime},
    {"POST", "/settings/tokens", Access::kSession, PostCreateToken},
    {"POST", "/settings/tokens/{}/revoke", Access::kSession, PostRevokeToken},
    {"POST", "/settings/password", Access::kSession, PostChangePassword},
    {"POST", "/settings/backup", Access::kSession, PostBackupDownload},
    {"POST", "/settings/root-key/export", Access::kSession, PostRootKeyExport},
    {"POST", "/settings/root-key/delete", Access::kSession, PostRootKeyDelete},
};

// Attaches the admin's session to `r` when the cookie holds a live one. A
// session from before the password last changed is ended, not attached.
bool AttachLiveSession(AdminRequest& r) {
  const std::string cookie = r.http.Cookie(kSessionCookie);
  std::optional<Session> session = r.web.sessions().Find(cookie);
  if (!session) return false;
  if (session->password_stamp != r.web.PasswordStamp()) {
    r.web.sessions().Remove(cookie);
    return false;
  }
  r.session_id = cookie;
  r.session = *session;
  return true;
}

// Checks the session cookie, and for a POST the form and its CSRF token.
// Answers the request itself and returns false when the handler must not run.
bool Authorize(AdminRequest& r, Access access) {
  if (!AttachLiveSession(r)) {
    if (access == Access::kJson) {
      r.http.SendJson(401, R"({"error":"unauthorized","message":"log in again"})");
    } else if (r.http.IsGet()) {
      r.http.Redirect(303, "/login");
    } else {
      r.SendMessage(403, "Not logged in",
                    "Your session has ended, so nothing was changed. Log in and try again.",
                    "/login", "Log in");
    }
    return false;
  }
  if (!r.http.IsPost()) return true;
  Status form = r.http.ReadForm();
  if (!form.ok()) {
    r.SendMessage(HttpStatusFor(form), "That did not work",
                  form.message() + "; nothing was changed.");
    return false;
  }
  if (!CsrfTokenMatches(r.session.csrf_token, r.http.Form(kCsrfField))) {
    r.SendMessage(403, "Form expired",
                  "This form did not come from your current session (it may be from an older "
                  "page or another site), so nothing was changed. Go back, reload the page and "
                  "try again.");
    return false;
  }
  return true;
}

void Dispatch(AdminRequest& r) {
  if (!r.http.valid()) {
    r.SendMessage(400, "Bad request", "The address is malformed.");
    return;
  }
  const bool get = r.http.IsGet();
  const bool post = r.http.IsPost();
  std::string allow;
  for (const Route& route : kRoutes) {
    if (!MatchRoute(route.pattern, r.http.path(), r.params)) continue;
    const bool is_get = std::string_view(route.method) == "GET";
    if ((is_get && !get) || (!is_get && !post)) {
      allow += (allow.empty() ? "" : ", ") + std::string(is_get ? "GET, HEAD" : route.method);
      continue;
    }
    if (route.access == Access::kAnyone) {
      AttachLiveSession(r);  // a public page shows the admin's navigation when logged in
    } else if (route.access != Access::kPublic && !Authorize(r, route.access)) {
      return;
    }
    route.handler(r);
    return;
  }
  if (!allow.empty()) {
    r.http.response().set("Allow", allow);
    r.SendMessage(405, "Not allowed", "This address does not take that kind of request.");
    return;
  }
  r.SendMessage(404, "Not found", "There is no page at this address.");
}

}  // namespace

void AdminRequest::SendMessage(int status, const std::string& heading, const std::string& message,
                               const std::string& link, const std::string& link_text) {
  SendPage(status, pages::RenderMessage(Frame(heading, ""), heading, message, link, link_text));
}

void AdminRequest::SendFailure(const Status& status) {
  if (IsClientError(status)) {
    return SendMessage(HttpStatusFor(status), "That did not work", status.message());
  }
  web.log().error("web UI: %s%s", status.message(),
                  status.detail().empty() ? std::string() : " (" + status.detail() + ")");
  SendMessage(HttpStatusFor(status), "Something went wrong", status.message());
}

void AdminHandler::handleRequest(Poco::Net::HTTPServerRequest& request,
                                 Poco::Net::HTTPServerResponse& response) {
  SetAdminSecurityHeaders(response);
  HttpExchange http(request, response);
  AdminRequest r{http, web_, {}, {}, {}};
  try {
    Dispatch(r);
  } catch (const Poco::Exception& e) {
    web_.log().error("web UI: %s %s failed: %s", request.getMethod(), http.path(), e.displayText());
    if (!response.sent()) r.SendMessage(500, "Something went wrong", "The request failed.");
  } catch (const std::exception& e) {
    web_.log().error("web UI: %s %s failed: %s", request.getMethod(), http.path(),
                     std::string(e.what()));
    if (!response.sent()) r.SendMessage(500, "Something went wrong", "The request failed.");
  }
}

}  // namespace homeca::webui
