#include "webui/onboarding/onboarding_view.h"

#include "ca/root_export.h"

namespace homeca::webui {

pages::OnboardingView MakeOnboardingView(WebContext& web, const std::string& host_header) {
  const ca::Certificate& root = web.authority().root();
  pages::OnboardingView view;
  view.ca_name = root.SubjectCommonName();
  view.fingerprint = ca::RootFingerprint(root);
  view.root_not_after = root.NotAfter();
  view.page_url = web.OnboardingUrlFor(host_header);
  view.admin_url = web.urls().admin_base;
  return view;
}

}  // namespace homeca::webui
