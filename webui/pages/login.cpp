// The login form and the first-run setup form. Both work before there is a
// session, so their CSRF token is the double-submit cookie's value.
#include "webui/pages/pages.h"

namespace homeca::webui::pages {
namespace {

Html ErrorBox(const std::string& error) {
  Html h;
  if (!error.empty()) {
    h << "<p class=\"error\" role=\"alert\" data-testid=\"error\">" << Text(error) << "</p>";
  }
  return h;
}

}  // namespace

Html RenderLoginPage(const LoginView& view) {
  Html main;
  main << "<h1>Log in</h1>" << ErrorBox(view.error);
  if (!view.notice.empty()) {
    main << "<p class=\"notice\" data-testid=\"notice\">" << Text(view.notice) << "</p>";
  }
  if (view.no_password_yet) {
    main << "<p class=\"secret\">No admin password is set yet. Open the one-time setup link "
            "that homecad wrote to its log (<code>journalctl -u homeca</code>), or run "
            "<code>homeca admin set-password</code> on the server.</p>";
  }
  main << "<form class=\"stack card\" method=\"post\" action=\"/login\">"
       << CsrfInput(view.csrf_token)
       << "<label for=\"password\">Admin password</label>"
          "<input type=\"password\" id=\"password\" name=\"password\" "
          "autocomplete=\"current-password\" required autofocus>"
          "<button type=\"submit\" data-testid=\"login-submit\">Log in</button></form>"
          "<p class=\"hint\">Forgot it? Run <code>homeca admin set-password</code> on the "
          "server. Not the administrator? The <a href=\"/trust\">Trust page</a> needs no "
          "password: it has the root certificate for your phones and computers.</p>";
  return RenderPage(PageFrame{"Log in", "", ""}, main);
}

Html RenderSetupPage(const SetupView& view) {
  Html main;
  main << "<h1>Welcome to homeca</h1>"
          "<p>Choose the admin password for this appliance's web pages. You need it to add "
          "devices, revoke certificates and read the audit log. At least 8 characters; a "
          "few unrelated words make a good one.</p>"
       << ErrorBox(view.error) << "<form class=\"stack card\" method=\"post\" action=\"/setup\">"
       << CsrfInput(view.csrf_token) << "<input type=\"hidden\" name=\"token\" value=\""
       << Text(view.setup_token)
       << "\"><label for=\"password\">New password</label>"
          "<input type=\"password\" id=\"password\" name=\"password\" "
          "autocomplete=\"new-password\" minlength=\"8\" required autofocus>"
          "<label for=\"password-confirm\">Repeat it</label>"
          "<input type=\"password\" id=\"password-confirm\" name=\"password-confirm\" "
          "autocomplete=\"new-password\" minlength=\"8\" required>"
          "<button type=\"submit\" data-testid=\"setup-submit\">Set password</button></form>"
          "<p class=\"hint\">This link works once. Later you can reset the password with "
          "<code>homeca admin set-password</code> on the server.</p>";
  return RenderPage(PageFrame{"First-run setup", "", ""}, main);
}

}  // namespace homeca::webui::pages
