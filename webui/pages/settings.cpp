// Settings: the default certificate lifetime, the name policy (fixed at
// init: the root's name constraints carry it), and API tokens.
#include "webui/pages/pages.h"

namespace homeca::webui::pages {
namespace {

Html JoinedOrNone(const std::vector<std::string>& items, Markup none) {
  Html h;
  if (items.empty()) return h << none;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) h << ", ";
    h << "<code>" << Text(items[i]) << "</code>";
  }
  return h;
}

}  // namespace

Html RenderSettingsPage(const PageFrame& frame, const SettingsView& v) {
  Html main;
  main << "<h1>Settings</h1>";
  if (!v.notice.empty()) {
    main << "<p class=\"notice\" data-testid=\"notice\">" << Text(v.notice) << "</p>";
  }
  if (!v.error.empty()) {
    main << "<p class=\"error\" role=\"alert\" data-testid=\"error\">" << Text(v.error) << "</p>";
  }
  if (!v.new_token.empty()) {
    main << "<section class=\"secret\"><p><strong>Your new API token.</strong> Copy it now: "
            "homeca keeps only a hash and cannot show it again.</p><pre id=\"new-token\" "
            "data-testid=\"new-token\">"
         << Text(v.new_token)
         << "</pre><p><button type=\"button\" data-copy=\"new-token\" hidden>Copy</button></p>"
            "</section>";
  }

  main << "<section class=\"card\"><h2>Certificate lifetime</h2><form class=\"stack\" "
          "method=\"post\" action=\"/settings/lifetime\">"
       << CsrfInput(frame.csrf_token)
       << "<label for=\"default-days\">New certificates are valid for (days)</label>"
          "<input type=\"number\" id=\"default-days\" name=\"days\" min=\"1\" max=\""
       << v.max_days << "\" value=\"" << v.default_days
       << "\" required><button type=\"submit\" data-testid=\"save-lifetime\">Save</button>"
          "</form><p class=\"hint\">Devices renew at about two thirds of the lifetime, so a "
          "shorter one means a lost device's certificate dies sooner. Existing certificates "
          "keep theirs; renewals use the new one. Apple devices refuse server certificates "
          "valid for more than "
       << v.max_days << " days.</p></section>";

  main << "<section class=\"card\"><h2>Names</h2><dl class=\"facts\"><dt>Permitted "
          "domains</dt><dd>"
       << JoinedOrNone(v.permitted_domains, "none") << "</dd><dt>Permitted IP ranges</dt><dd>"
       << JoinedOrNone(v.permitted_ip_ranges, "none (certificates carry no IP addresses)")
       << "</dd><dt>Wildcard names</dt><dd>"
       << (v.allow_wildcards ? Markup("allowed") : Markup("not allowed"))
       << "</dd><dt>Names per certificate</dt><dd>" << v.max_names
       << "</dd></dl><p class=\"hint\">These were fixed when the CA was created: the root "
          "certificate's name constraints carry them, and every phone that trusts the root "
          "enforces them. Changing them means a new CA.</p></section>";

  main << RenderAccountSections(frame);
  main << RenderRootKeySection(frame, v);

  main << "<section class=\"card\"><h2>API tokens</h2><p>Programs use these with the JSON "
          "API (<code>Authorization: Bearer …</code>); see <code>docs/api.md</code>. A token "
          "can do everything the admin can, so give each program its own and revoke it when "
          "done.</p><form class=\"stack\" method=\"post\" action=\"/settings/tokens\">"
       << CsrfInput(frame.csrf_token)
       << "<label for=\"token-label\">What is it for?</label><input type=\"text\" "
          "id=\"token-label\" name=\"label\" maxlength=\"100\" required placeholder=\"home "
          "automation\"><button type=\"submit\" data-testid=\"create-token\">Create token</button>"
          "</form>";
  if (!v.tokens.empty()) {
    main << "<div class=\"table-wrap\"><table><thead><tr><th>Description</th><th>Created</th>"
            "<th>State</th><th></th></tr></thead><tbody>";
    for (const ApiTokenRow& t : v.tokens) {
      main << "<tr data-testid=\"token-row\"><td data-testid=\"token-label\">" << Text(t.label)
           << "</td><td>" << LocalTime(t.created_at) << "</td><td>";
      if (t.revoked_at != 0) {
        main << "revoked " << LocalTime(t.revoked_at) << "</td><td></td></tr>";
        continue;
      }
      main << "active</td><td><form class=\"inline\" method=\"post\" action=\"/settings/tokens/"
           << t.id << "/revoke\">" << CsrfInput(frame.csrf_token)
           << "<button type=\"submit\" class=\"danger\" data-testid=\"revoke-token\">Revoke"
              "</button></form></td></tr>";
    }
    main << "</tbody></table></div>";
  }
  main << "</section>";
  return RenderPage(frame, main);
}

}  // namespace homeca::webui::pages
