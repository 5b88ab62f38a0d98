// WebContext: what the web UI's handlers share for the daemon's lifetime:
// the CA, the admin sessions, the login limiter, the first-run setup token,
// the discovery source, and the URLs the listeners ended up on.
//
// Ownership: borrows the Authority, the DiscoverySource and the logger, which
// outlive the listeners; owns the rest. Thread-safety: every member may be
// used from any request thread.
#pragma once

#include <Poco/Logger.h>

#include <mutex>
#include <string>

#include "ca/authority.h"
#include "webui/admin/login_rate_limiter.h"
#include "webui/admin/session_store.h"
#include "webui/admin/setup_token.h"
#include "webui/daemon/discovery_source.h"

namespace homeca::webui::names {
class NameDirectory;  // webui/names/name_directory.h
}

namespace homeca::webui {

struct WebUrls {
  std::string admin_base;        // "https://ca.home.arpa" (no trailing slash): admin and devices
  unsigned short http_port = 0;  // the onboarding listener's port, 0 when it is off
};

class WebContext {
 public:
  WebContext(ca::Authority& authority, DiscoverySource& discovery, Poco::Logger& log,
             SessionLimits session_limits = {}, LoginLimits login_limits = {});

  ca::Authority& authority() { return authority_; }
  const ca::Clock& clock() const { return authority_.clock(); }
  SessionStore& sessions() { return sessions_; }
  LoginRateLimiter& login_limiter() { return login_limiter_; }
  SetupToken& setup() { return setup_; }
  DiscoverySource& discovery() { return discovery_; }
  // Where devices are, published; null when homecad runs without it (tests
  // of the pages alone). Set once at start, before the listeners.
  names::NameDirectory* names() { return names_; }
  void SetNames(names::NameDirectory* names) { names_ = names; }
  Poco::Logger& log() { return log_; }

  // Set once the listeners know their ports; read by every request.
  void SetUrls(WebUrls urls);
  WebUrls urls() const;
  // The onboarding page's URL for a client that reached us as `host_header`
  // (so a QR code works from wherever the admin is looking), falling back to
  // the admin base's host when the header is missing or not a plain host.
  std::string OnboardingUrlFor(const std::string& host_header) const;

  // Identifies the current admin password record ("" when none is set);
  // sessions made under another password are no longer valid.
  std::string PasswordStamp();

 private:
  ca::Authority& authority_;
  DiscoverySource& discovery_;
  names::NameDirectory* names_ = nullptr;
  Poco::Logger& log_;
  SessionStore sessions_;
  LoginRateLimiter login_limiter_;
  SetupToken setup_;
  mutable std::mutex urls_mu_;
  WebUrls urls_;
};

// The host part of a Host header ("nas.local:8080" -> "nas.local",
// "[fd00::1]:80" -> "[fd00::1]"); "" when it is not a plausible host name or
// address (letters, digits, '.', '-', ':' in brackets).
std::string HostOf(const std::string& host_header);

// The host of an http(s) URL, lower case ("https://NAS.local:8443/x" ->
// "nas.local"); "" as HostOf.
std::string UrlHost(const std::string& url);

}  // namespace homeca::webui
