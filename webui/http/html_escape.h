// The one HTML escaping helper. Every string that did not come from our own
// template literals (device names, CSR subjects, audit details, query
// parameters, mDNS data) reaches a page through EscapeHtml, by way of the Html
// builder in webui/http/html.h.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace homeca::webui {

// Escapes & < > " ' so the result is inert both as element text and inside a
// quoted attribute value. NUL becomes U+FFFD.
std::string EscapeHtml(std::string_view text);

// Percent-encodes everything but RFC 3986 unreserved characters, for a value
// placed in a URL's query or path (the result still goes through EscapeHtml).
std::string UrlEncode(std::string_view text);

}  // namespace homeca::webui
