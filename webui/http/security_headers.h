// The HTTP response headers that make the browser enforce our policy: a
// strict Content-Security-Policy (our own script and stylesheet only, no
// inline code, no framing), no MIME sniffing, no Referer (setup links carry
// a token), and on HTTPS, HSTS.
//
// Thread-safety: stateless.
#pragma once

#include <Poco/Net/HTTPServerResponse.h>

namespace homeca::webui {

inline constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'self'";

// Admin pages and the API over HTTPS; nothing is cached.
void SetAdminSecurityHeaders(Poco::Net::HTTPServerResponse& response);
// The plain-HTTP onboarding site (no HSTS: it must stay reachable over HTTP
// for devices that do not trust the root yet).
void SetOnboardingSecurityHeaders(Poco::Net::HTTPServerResponse& response);

}  // namespace homeca::webui
