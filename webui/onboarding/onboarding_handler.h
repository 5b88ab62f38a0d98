// OnboardingHandler: the public, read-only part of the web UI: the
// onboarding page, its QR code, the root certificate in each platform's
// format, and the static assets. The plain-HTTP listener serves only this
// (anything else is redirected to HTTPS or refused: nothing on HTTP changes
// state); the HTTPS router mounts the same handler for these paths.
//
// Ownership follows Poco (one handler per request; borrows the WebContext).
#pragma once

#include <Poco/Net/HTTPRequestHandler.h>

#include <string_view>

#include "webui/daemon/web_context.h"

namespace homeca::webui {

// True for the paths OnboardingHandler serves: "/", "/qr.svg",
// "/homeca-root.{mobileconfig,crt,cer,pem}" and "/assets/...".
bool IsOnboardingPath(std::string_view path);

class OnboardingHandler : public Poco::Net::HTTPRequestHandler {
 public:
  // `over_https`: served on the admin listener (HSTS, and "/" is not ours there).
  OnboardingHandler(WebContext& web, bool over_https) : web_(web), over_https_(over_https) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override;

 private:
  WebContext& web_;
  bool over_https_;
};

// The plain-HTTP listener's answer for everything else: a permanent redirect
// to the same path on the admin's HTTPS address for GET and HEAD, 405 for
// any other method (so a form posted over HTTP changes nothing).
class HttpsRedirectHandler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit HttpsRedirectHandler(WebContext& web) : web_(web) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override;

 private:
  WebContext& web_;
};

}  // namespace homeca::webui
