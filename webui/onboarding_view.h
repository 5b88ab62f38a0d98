// The data of the onboarding content (the plain-HTTP page and the admin's
// Trust page) from the CA and the URL the client used.
#pragma once

#include <string>

#include "webui/pages/pages.h"
#include "webui/web_context.h"

namespace homeca::webui {

pages::OnboardingView MakeOnboardingView(WebContext& web, const std::string& host_header);

}  // namespace homeca::webui
