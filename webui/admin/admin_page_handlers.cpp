// Overview, Trust, Audit log and Settings (lifetime and API tokens).
#include "ca/leaf_profile.h"
#include "ca/root_export.h"
#include "ca/root_key_offline.h"
#include "webui/admin/admin_request.h"
#include "webui/admin/admin_views.h"
#include "webui/admin/first_run_checklist.h"
#include "webui/api/api_token_auth.h"
#include "webui/onboarding/onboarding_view.h"

namespace homeca::webui {
namespace {

constexpr const char* kNewTokenKey = "new-token";

}  // namespace

void SendSettings(AdminRequest& r, int status, const std::string& notice,
                  const std::string& error) {
  ca::Authority& ca = r.web.authority();
  pages::SettingsView view;
  view.default_days = ca.default_leaf_days();
  view.max_days = ca::kMaxLeafDays;
  view.permitted_domains = ca.policy().permitted_domains;
  for (const ca::IpRange& range : ca.policy().permitted_ip_ranges) {
    view.permitted_ip_ranges.push_back(range.ToString());
  }
  view.allow_wildcards = ca.policy().allow_wildcards;
  view.max_names = static_cast<int>(ca.policy().max_names);
  Result<std::vector<ca::ApiTokenRecord>> tokens = ca.admin().ListApiTokens();
  if (!tokens.ok()) return r.SendFailure(tokens.status());
  for (const ca::ApiTokenRecord& t : *tokens) {
    view.tokens.push_back({t.id, t.label, t.created_at, t.created_by, t.revoked_at.value_or(0)});
  }
  Result<ca::RootKeyState> root_key = ca::GetRootKeyState(ca);
  if (!root_key.ok()) return r.SendFailure(root_key.status());
  view.root_key_location = ca::DescribeRootKeyLocation(*root_key);
  view.root_key_on_box = root_key->on_box;
  view.root_key_encrypted_on_box = root_key->encrypted_on_box;
  view.root_key_exported_at = root_key->exported_at;
  view.new_token = r.web.sessions().Take(r.session_id, kNewTokenKey).value_or("");
  view.notice = notice;
  view.error = error;
  r.SendPage(status, pages::RenderSettingsPage(r.Frame("Settings", "settings"), view));
  Cleanse(view.new_token);
}

void GetOverview(AdminRequest& r) {
  Result<pages::OverviewView> view = LoadOverview(r.web.authority());
  if (!view.ok()) return r.SendFailure(view.status());
  if (r.web.urls().http_port != 0) {
    view->crl_url = r.web.OnboardingUrlFor(r.http.HostHeader()) + "crl.der";
  }
  const pages::NameMethods names = LoadNameMethods(r.web);
  ChecklistFacts facts;
  facts.admin_base = r.web.urls().admin_base;
  facts.admin_host = UrlHost(facts.admin_base);
  facts.request_host = UrlHost("https://" + r.http.HostHeader());
  facts.device_count = view->device_count;
  facts.mdns_on = names.mdns_on;
  facts.export_dir = names.export_dir;
  facts.export_error = names.export_error;
  view->checklist = FirstRunChecklist(facts);
  r.SendPage(200, pages::RenderOverviewPage(r.Frame("Overview", "overview"), *view));
}

void GetTrust(AdminRequest& r) {
  pages::OnboardingView view =
      MakeOnboardingView(r.web, r.http.HostHeader(), r.http.Header("User-Agent"));
  Html main;
  main << "<h1>Trust</h1><p>What every phone and computer in the house needs once. The same "
          "page is open to everyone, without a password, at <a href=\""
       << Text(view.page_url) << "\">" << Text(view.page_url) << "</a>.</p>"
       << pages::RenderOnboardingBody(view);
  r.SendPage(200, pages::RenderPage(r.Frame("Trust", "trust"), main));
}

void GetAudit(AdminRequest& r) {
  pages::AuditView view;
  view.page = ParsePage(r.http.Query("page"));
  // One more than a page tells whether there is a next one.
  Result<std::vector<ca::AuditEntry>> entries =
      r.web.authority().audit_log().ListAudit(kAuditPerPage + 1, (view.page - 1) * kAuditPerPage);
  if (!entries.ok()) return r.SendFailure(entries.status());
  view.has_next = static_cast<int>(entries->size()) > kAuditPerPage;
  if (view.has_next) entries->pop_back();
  for (const ca::AuditEntry& e : *entries) view.rows.push_back({e.at, e.actor, e.action, e.detail});
  r.SendPage(200, pages::RenderAuditPage(r.Frame("Audit log", "audit"), view));
}

void GetSettings(AdminRequest& r) {
  const std::string saved = r.http.Query("saved");
  SendSettings(r, 200,
               saved == "lifetime"        ? "Default lifetime saved."
               : saved == "token-revoked" ? "API token revoked."
               : saved == "password"
                   ? "Password changed. Every other browser logged in as admin was logged out."
               : saved == "root-key-offline"
                   ? "The root key was deleted from this box. It is offline now: keep the "
                     "downloaded file and its passphrase safe."
                   : "",
               "");
}

void PostLifetime(AdminRequest& r) {
  const std::string text = r.http.Form("days");
  int days = 0;
  if (!text.empty() && text.size() <= 4 &&
      text.find_first_not_of("0123456789") == std::string::npos) {
    days = std::stoi(text);
  }
  Status set = r.web.authority().SetDefaultLeafDays(days, AdminRequest::kActor);
  if (IsClientError(set)) return SendSettings(r, HttpStatusFor(set), "", set.message() + ".");
  if (!set.ok()) return r.SendFailure(set);
  r.http.Redirect(303, "/settings?saved=lifetime");
}

void PostCreateToken(AdminRequest& r) {
  Result<MintedApiToken> minted = CreateApiToken(r.web.authority().admin(), r.http.Form("label"),
                                                 r.web.clock().Now(), AdminRequest::kActor);
  if (!minted.ok() && IsClientError(minted.status())) {
    return SendSettings(r, HttpStatusFor(minted.status()), "", minted.status().message() + ".");
  }
  if (!minted.ok()) return r.SendFailure(minted.status());
  // Shown once, on the page the redirect leads to, then wiped.
  r.web.sessions().Stash(r.session_id, kNewTokenKey, minted->token);
  Cleanse(minted->token);
  r.http.Redirect(303, "/settings");
}

void PostRevokeToken(AdminRequest& r) {
  Status revoked = r.web.authority().admin().RevokeApiToken(
      ParseId(r.params[0]), r.web.clock().Now(), AdminRequest::kActor);
  if (IsClientError(revoked))
    return SendSettings(r, HttpStatusFor(revoked), "", revoked.message() + ".");
  if (!revoked.ok()) return r.SendFailure(revoked);
  r.http.Redirect(303, "/settings?saved=token-revoked");
}

}  // namespace homeca::webui
