// WebUi: the web UI's part of homecad, put together in one place so the
// daemon's main stays short: the shared WebContext, the HTTPS router (which
// also serves enrollment), the plain-HTTP onboarding listener, and the
// first-run setup link.
//
// Ownership: borrows the Authority, the EnrollmentService and the logger,
// which must outlive it. Thread-safety: call from the daemon's main thread.
#pragma once

#include <Poco/Logger.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>

#include <memory>
#include <string>
#include <vector>

#include "ca/authority.h"
#include "enroll/acme/acme_service.h"
#include "enroll/enrollment_service.h"
#include "webui/daemon/daemon_config.h"
#include "webui/daemon/discovery_source.h"
#include "webui/daemon/web_context.h"
#include "webui/http/http_onboarding_listener.h"

namespace homeca::webui {

class WebUi {
 public:
  // `discovery`: nullptr until mDNS exists (the pages then say it is off).
  // `acme`: the ACME server to mount under /acme/, if any; borrowed.
  WebUi(ca::Authority& authority, enroll::EnrollmentService& enrollment, Poco::Logger& log,
        DiscoverySource* discovery = nullptr, enroll::acme::AcmeService* acme = nullptr);
  ~WebUi();

  // The factory for the HTTPS listener.
  Poco::Net::HTTPRequestHandlerFactory::Ptr https_router() const { return router_; }

  // Once the HTTPS listener is up on `https_port`: starts the onboarding
  // listener (throws Poco::Exception when it cannot listen), records the
  // URLs and logs them, and logs the first-run setup link when no admin
  // password is set.
  // `names`: the names in homecad's certificate, the first one the links use.
  void Start(const DaemonConfig& config, const std::vector<std::string>& names,
             unsigned short https_port);
  void Stop();

  WebContext& context() { return *context_; }

 private:
  NoDiscovery no_discovery_;
  Poco::Logger& log_;
  std::unique_ptr<WebContext> context_;
  Poco::Net::HTTPRequestHandlerFactory::Ptr router_;
  std::unique_ptr<HttpOnboardingListener> onboarding_;
};

// Where the admin (and devices) reach the HTTPS side, with no trailing
// slash: public_url when configured, else https://<first server name>[:port]
// (with --dev too). Every link homecad prints or shows starts with it: the
// setup link, the onboarding page's admin link, the renew URL, the ACME
// directory. The first name is <host>.local when the CA permits .local.
std::string AdminBaseUrl(const DaemonConfig& config, const std::string& first_name,
                         unsigned short https_port);

// Where the onboarding page is, as homecad logs it, with no trailing slash:
// http://<admin_host>[:port] when listening on every address (0.0.0.0 is no
// address to open), else http://<bind address>[:port].
std::string OnboardingBaseUrl(const DaemonConfig& config, const std::string& admin_host,
                              unsigned short http_port);

// What the admin must know for `admin_base` to open without a warning, in
// plain words; "" when nothing: a public_url its certificate does not name,
// a .local name that --dev's loopback listener cannot be reached at, or a
// home.arpa name that needs the router (a CA made without .local).
std::string AdminAddressAdvice(const DaemonConfig& config, const std::vector<std::string>& names,
                               const std::string& admin_base);

}  // namespace homeca::webui
