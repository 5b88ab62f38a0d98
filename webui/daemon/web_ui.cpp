#include "webui/daemon/web_ui.h"

#include "webui/http/router.h"

namespace homeca::webui {

std::string AdminBaseUrl(const DaemonConfig& config, const std::string& first_name,
                         unsigned short https_port) {
  std::string base;
  if (!config.public_url.empty()) {
    base = config.public_url;
  } else if (config.dev) {
    const std::string host = config.bind_address == "0.0.0.0" ? "127.0.0.1" : config.bind_address;
    base = "https://" + host + ":" + std::to_string(https_port);
  } else {
    base = "https://" + first_name + (https_port == 443 ? "" : ":" + std::to_string(https_port));
  }
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base;
}

WebUi::WebUi(ca::Authority& authority, enroll::EnrollmentService& enrollment, Poco::Logger& log,
             DiscoverySource* discovery, enroll::acme::AcmeService* acme)
    : log_(log),
      context_(
          std::make_unique<WebContext>(authority, discovery ? *discovery : no_discovery_, log)),
      router_(new Router(enrollment, *context_, acme)) {}

WebUi::~WebUi() { Stop(); }

void WebUi::Start(const DaemonConfig& config, const std::string& first_name,
                  unsigned short https_port) {
  onboarding_ =
      std::make_unique<HttpOnboardingListener>(*context_, config.bind_address, config.http_port);
  onboarding_->Start();
  const std::string admin_base = AdminBaseUrl(config, first_name, https_port);
  context_->SetUrls({admin_base, onboarding_->port()});
  log_.information("homecad onboarding at http://" + config.bind_address + ":" +
                   std::to_string(onboarding_->port()) + "/");
  log_.information("admin pages at " + admin_base + "/");
  if (context_->PasswordStamp().empty()) {
    // The one secret homecad ever logs, on purpose: whoever reads the
    // daemon's log installed it, and this is how they set the password.
    log_.notice("first-run setup: " + admin_base + "/setup?token=" + context_->setup().Issue());
  }
}

void WebUi::Stop() {
  if (onboarding_) onboarding_->Stop();
}

}  // namespace homeca::webui
