#include "webui/daemon/web_ui.h"

#include <algorithm>

#include "webui/http/router.h"

namespace homeca::webui {

std::string AdminBaseUrl(const DaemonConfig& config, const std::string& first_name,
                         unsigned short https_port) {
  // Also with --dev: an address (127.0.0.1) is never in homecad's
  // certificate, since the root's constraints exclude every IP, so a link
  // by address always meets a certificate warning.
  std::string base = config.PublicUrl(first_name, https_port);
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base;
}

std::string OnboardingBaseUrl(const DaemonConfig& config, const std::string& admin_host,
                              unsigned short http_port) {
  // Listening on every address, the one a person can type is the name; a
  // specific address (--dev's 127.0.0.1, a --bind) is reachable as it is.
  const bool any = config.bind_address == "0.0.0.0" || config.bind_address == "::";
  const std::string host = any && !admin_host.empty() ? admin_host : config.bind_address;
  return "http://" + host + (http_port == 80 ? "" : ":" + std::to_string(http_port));
}

std::string AdminAddressAdvice(const DaemonConfig& config, const std::vector<std::string>& names,
                               const std::string& admin_base) {
  const std::string host = UrlHost(admin_base);
  if (std::find(names.begin(), names.end(), host) == names.end()) {
    std::string listed;
    for (const std::string& n : names) listed += (listed.empty() ? "" : ", ") + n;
    return "public_url names " + host + ", which homecad's certificate does not (" + listed +
           "): browsers will warn there. Add it to server_names, or leave public_url unset";
  }
  if (host.ends_with(".local")) {
    // Only a loopback listener (--dev's default) is out of .local's reach.
    const std::string& bind = config.bind_address;
    if (!bind.starts_with("127.") && bind != "::1") return "";
    return "homecad listens on " + bind + " only, while " + host +
           " resolves over mDNS to this machine's network address: to open the admin pages, "
           "map it to " +
           config.bind_address + " (a hosts-file line '" + config.bind_address + " " + host +
           "'), or run with --bind set to that address";
  }
  if (host.ends_with(".home.arpa")) {
    return host +
           " resolves only once the router sends home.arpa names to this box (the "
           "Devices page, \"How names reach your devices\"), or from a computer with a "
           "hosts-file line '<this box's address> " +
           host +
           "'. The box's address itself is not in its certificate (the root's constraints "
           "exclude addresses), so https://<address>/ always warns. Names under .local would "
           "resolve with no setup, but this CA was created without them (homeca init --no-local)";
  }
  return "";
}

WebUi::WebUi(ca::Authority& authority, enroll::EnrollmentService& enrollment, Poco::Logger& log,
             DiscoverySource* discovery, enroll::acme::AcmeService* acme)
    : log_(log),
      context_(
          std::make_unique<WebContext>(authority, discovery ? *discovery : no_discovery_, log)),
      router_(new Router(enrollment, *context_, acme)) {}

WebUi::~WebUi() { Stop(); }

void WebUi::Start(const DaemonConfig& config, const std::vector<std::string>& names,
                  unsigned short https_port) {
  onboarding_ =
      std::make_unique<HttpOnboardingListener>(*context_, config.bind_address, config.http_port);
  onboarding_->Start();
  const std::string admin_base = AdminBaseUrl(config, names.front(), https_port);
  context_->SetUrls({admin_base, onboarding_->port()});
  log_.information("homecad onboarding at " +
                   OnboardingBaseUrl(config, UrlHost(admin_base), onboarding_->port()) + "/");
  log_.information("admin pages at " + admin_base + "/");
  if (std::string advice = AdminAddressAdvice(config, names, admin_base); !advice.empty()) {
    log_.warning("admin address: " + advice);
  }
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
