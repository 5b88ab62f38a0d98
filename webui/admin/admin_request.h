// AdminRequest: what an admin page handler gets: the exchange, the shared
// web context, the path parameters its route captured, and the session when
// the route needs one (the router has already checked it, and the CSRF token
// of a POST). Handlers are plain functions; admin_router.cpp lists them.
//
// Thread-safety: one AdminRequest per request thread.
#pragma once

#include <string>
#include <vector>

#include "webui/admin/session_store.h"
#include "webui/daemon/web_context.h"
#include "webui/http/http_exchange.h"
#include "webui/http/status_http.h"
#include "webui/pages/pages.h"

namespace homeca::webui {

struct AdminRequest {
  HttpExchange& http;
  WebContext& web;
  std::vector<std::string> params;  // the route's {} segments, in order
  std::string session_id;           // the cookie's value; "" when not logged in
  Session session;

  // Audit actor for what the admin does through the pages.
  static constexpr const char* kActor = "admin";

  pages::PageFrame Frame(const std::string& title, const std::string& nav) const {
    return pages::PageFrame{title, nav, session.csrf_token};
  }
  void SendPage(int status, const Html& page) { http.SendHtml(status, page); }
  // An error page with a heading, a message and a link onward.
  void SendMessage(int status, const std::string& heading, const std::string& message,
                   const std::string& link = "/",
                   const std::string& link_text =
                       "Back to the "
                       "overview");
  // Answers `status` with its safe message and the HTTP status that
  // webui/http/status_http.h gives it; logs it (with its detail) when that
  // is a 500.
  void SendFailure(const Status& status);
};

inline constexpr const char* kSessionCookie = "__Host-homeca-session";

// Route handlers, grouped by file.
// admin_login_handlers.cpp
void GetLogin(AdminRequest& r);
void PostLogin(AdminRequest& r);
void GetSetup(AdminRequest& r);
void PostSetup(AdminRequest& r);
void PostLogout(AdminRequest& r);
// admin_device_handlers.cpp
void GetDevices(AdminRequest& r);
void GetAddDevice(AdminRequest& r);
void PostAddDevice(AdminRequest& r);
void PostArmDevice(AdminRequest& r);
void GetPairing(AdminRequest& r);
void GetPairingStatus(AdminRequest& r);
void PostCancelPairing(AdminRequest& r);
void PostNewPairingCode(AdminRequest& r);
void PostRevokeDevice(AdminRequest& r);
void PostDeviceAddress(AdminRequest& r);
// admin_manual_device_handlers.cpp
void GetManualDevice(AdminRequest& r);
void PostManualCsr(AdminRequest& r);
void PostManualKey(AdminRequest& r);
void GetManualIssued(AdminRequest& r);
void GetDeviceChain(AdminRequest& r);
// admin_certificate_handlers.cpp
void GetCertificates(AdminRequest& r);
void GetCertificate(AdminRequest& r);
void PostRevokeCertificate(AdminRequest& r);
// admin_page_handlers.cpp
void GetOverview(AdminRequest& r);
void GetTrust(AdminRequest& r);
void GetAudit(AdminRequest& r);
void GetSettings(AdminRequest& r);
void PostLifetime(AdminRequest& r);
void PostCreateToken(AdminRequest& r);
void PostRevokeToken(AdminRequest& r);
// admin_root_key_handlers.cpp
void PostChangePassword(AdminRequest& r);
void PostBackupDownload(AdminRequest& r);
void PostRootKeyExport(AdminRequest& r);
void PostRootKeyDelete(AdminRequest& r);
// The Settings page with `notice` or `error` (admin_page_handlers.cpp).
void SendSettings(AdminRequest& r, int status, const std::string& notice, const std::string& error);

}  // namespace homeca::webui
