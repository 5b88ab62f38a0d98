// The data of the onboarding content (the plain-HTTP page and the admin's
// Trust page) from the CA, the URL the client used and its User-Agent
// (whose platform's card comes first).
#pragma once

#include <string>

#include "webui/daemon/web_context.h"
#include "webui/pages/pages.h"

namespace homeca::webui {

pages::OnboardingView MakeOnboardingView(WebContext& web, const std::string& host_header,
                                         const std::string& user_agent);

}  // namespace homeca::webui
