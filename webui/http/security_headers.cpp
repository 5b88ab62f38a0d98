#include "webui/http/security_headers.h"

namespace homeca::webui {
namespace {

void SetCommon(Poco::Net::HTTPServerResponse& response) {
  response.set("Content-Security-Policy", kContentSecurityPolicy);
  response.set("X-Content-Type-Options", "nosniff");
  response.set("Referrer-Policy", "no-referrer");
  response.set("X-Frame-Options", "DENY");
  response.set("Cross-Origin-Opener-Policy", "same-origin");
}

}  // namespace

void SetAdminSecurityHeaders(Poco::Net::HTTPServerResponse& response) {
  SetCommon(response);
  // One year; no includeSubDomains: other *.home.arpa hosts are not ours.
  response.set("Strict-Transport-Security", "max-age=31536000");
  response.set("Cache-Control", "no-store");
}

void SetOnboardingSecurityHeaders(Poco::Net::HTTPServerResponse& response) {
  SetCommon(response);
  response.set("Cache-Control", "no-cache");
}

}  // namespace homeca::webui
