#include "webui/daemon/web_context.h"

#include <algorithm>
#include <cctype>

#include "ca/admin_password.h"
#include "webui/http/secret_tokens.h"

namespace homeca::webui {

WebContext::WebContext(ca::Authority& authority, DiscoverySource& discovery, Poco::Logger& log,
                       SessionLimits session_limits, LoginLimits login_limits)
    : authority_(authority),
      discovery_(discovery),
      log_(log),
      sessions_(authority.clock(), session_limits),
      login_limiter_(login_limits) {}

void WebContext::SetUrls(WebUrls urls) {
  std::lock_guard<std::mutex> lock(urls_mu_);
  urls_ = std::move(urls);
}

WebUrls WebContext::urls() const {
  std::lock_guard<std::mutex> lock(urls_mu_);
  return urls_;
}

std::string HostOf(const std::string& host_header) {
  if (host_header.empty() || host_header.size() > 255) return "";
  std::string host = host_header;
  if (host.front() == '[') {
    const std::size_t close = host.find(']');
    if (close == std::string::npos) return "";
    host = host.substr(0, close + 1);
    for (std::size_t i = 1; i + 1 < host.size(); ++i) {
      const char c = host[i];
      if (!std::isxdigit(static_cast<unsigned char>(c)) && c != ':' && c != '.') return "";
    }
    return host;
  }
  host = host.substr(0, host.find(':'));
  if (host.empty()) return "";
  for (char c : host) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-') return "";
  }
  return host;
}

std::string UrlHost(const std::string& url) {
  std::size_t start = url.find("://");
  start = start == std::string::npos ? 0 : start + 3;
  std::string host = HostOf(url.substr(start, url.find_first_of("/?#", start) - start));
  std::transform(host.begin(), host.end(), host.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return host;
}

std::string WebContext::OnboardingUrlFor(const std::string& host_header) const {
  const WebUrls u = urls();
  std::string host = HostOf(host_header);
  if (host.empty()) {
    // https://name[:port] -> name
    std::string base = u.admin_base.substr(u.admin_base.find("://") + 3);
    host = HostOf(base);
  }
  const std::string port = u.http_port == 80 ? "" : ":" + std::to_string(u.http_port);
  return "http://" + host + port + "/";
}

std::string WebContext::PasswordStamp() {
  Result<std::optional<std::string>> record = ca::AdminPasswordRecord(authority_.admin());
  if (!record.ok() || !record->has_value()) return "";
  return Sha256Hex(**record).substr(0, 32);
}

}  // namespace homeca::webui
