// The data of the onboarding content (the plain-HTTP page and the admin's
// Trust page) from the CA and the URL the client used.
#pragma once

#include <string>

#include "webui/daemon/web_context.h"
#include "webui/pages/pages.h"

namespace homeca::webui {

pages::OnboardingView MakeOnboardingView(WebContext& web, const std::string& host_header);

}  // namespace homeca::webui
