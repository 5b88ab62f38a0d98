#include "enroll/device/endpoint_url.h"

#include <Poco/Exception.h>
#include <Poco/URI.h>

namespace homeca::enroll {
namespace {

// A URL longer than this is not an address someone meant.
constexpr std::size_t kMaxUrlLength = 2048;

Status Bad(std::string_view why) { return Status::InvalidArgument("CA URL: " + std::string(why)); }

Result<Endpoint> FromUri(const Poco::URI& uri, bool default_path) {
  if (uri.getScheme() != "https") {
    return Bad("must start with https:// (the enrollment protocol runs over TLS only)");
  }
  if (!uri.getUserInfo().empty() || !uri.getRawQuery().empty() || !uri.getFragment().empty()) {
    return Bad("must not contain user info, a query or a fragment");
  }
  if (uri.getHost().empty()) return Bad("has no host");
  Endpoint endpoint;
  endpoint.host = uri.getHost();
  endpoint.port = uri.getPort();
  endpoint.path = uri.getPath();
  while (!endpoint.path.empty() && endpoint.path.back() == '/') endpoint.path.pop_back();
  if (endpoint.path.empty() && default_path) endpoint.path = kDefaultEnrollPath;
  if (endpoint.path.empty()) return Bad("has no path");
  return endpoint;
}

Result<Poco::URI> ParseUri(const std::string& text) {
  try {
    return Poco::URI(text);
  } catch (const Poco::Exception&) {
    return Bad("is not a valid URL");
  }
}

}  // namespace

std::string Endpoint::Url() const {
  const bool ipv6 = host.find(':') != std::string::npos;
  return "https://" + (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port) + path;
}

Result<Endpoint> ParseCaUrl(std::string_view text) {
  if (text.empty()) return Bad("is empty");
  if (text.size() > kMaxUrlLength) return Bad("is too long");
  const bool has_scheme = text.find("://") != std::string_view::npos;
  if (has_scheme) {
    Result<Poco::URI> uri = ParseUri(std::string(text));
    if (!uri.ok()) return uri.status();
    return FromUri(*uri, true);
  }
  // A bare host[:port]: the CA's own defaults, port 8443 and /enroll/v1.
  if (text.find_first_of("/?#@") != std::string_view::npos) {
    return Bad("give a host name, host:port or a full https:// URL");
  }
  Result<Poco::URI> uri = ParseUri("https://" + std::string(text));
  if (!uri.ok()) return uri.status();
  Result<Endpoint> endpoint = FromUri(*uri, true);
  const std::size_t bracket = text.rfind(']');
  const bool has_port =
      text.find(':', bracket == std::string_view::npos ? 0 : bracket) != std::string_view::npos;
  if (endpoint.ok() && !has_port) endpoint->port = kDefaultEnrollPort;
  return endpoint;
}

Result<Endpoint> ParseHttpsUrl(std::string_view text) {
  if (text.empty() || text.size() > kMaxUrlLength) return Bad("is empty or too long");
  Result<Poco::URI> uri = ParseUri(std::string(text));
  if (!uri.ok()) return uri.status();
  return FromUri(*uri, false);
}

}  // namespace homeca::enroll
