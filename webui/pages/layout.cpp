// The frame around every page: document head (viewport for phones, our one
// stylesheet and script), the navigation and the logout form.
#include <ctime>

#include "ca/base/unix_time.h"
#include "webui/pages/pages.h"

namespace homeca::webui::pages {
namespace {

struct NavEntry {
  const char* key;
  Markup href;
  Markup label;
};

constexpr NavEntry kNav[] = {
    {"overview", "/", "Overview"},
    {"devices", "/devices", "Devices"},
    {"add", "/devices/add", "Add a device"},
    {"certificates", "/certificates", "Certificates"},
    {"trust", "/trust", "Trust"},
    {"audit", "/audit", "Audit log"},
    {"settings", "/settings", "Settings"},
};

}  // namespace

Html CsrfInput(const std::string& token) {
  Html h;
  h << "<input type=\"hidden\" name=\"csrf\" value=\"" << Text(token) << "\">";
  return h;
}

Html RenderPage(const PageFrame& frame, const Html& main) {
  Html h;
  h << "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
       "<meta name=\"referrer\" content=\"no-referrer\">"
       "<title>"
    << Text(frame.title) << " · homeca</title>"
    << "<link rel=\"stylesheet\" href=\"/assets/app.css\">"
       "<script src=\"/assets/app.js\" defer></script></head><body>"
       "<header class=\"top\"><a class=\"brand\" href=\"/\">homeca</a>";
  if (!frame.csrf_token.empty()) {
    h << "<nav aria-label=\"main\">";
    for (const NavEntry& entry : kNav) {
      h << "<a href=\"" << entry.href << "\" data-testid=\"nav-" << Text(entry.key) << "\""
        << (frame.nav == entry.key ? Markup(" class=\"active\" aria-current=\"page\"") : Markup(""))
        << ">" << entry.label << "</a>";
    }
    h << "</nav><form method=\"post\" action=\"/logout\">" << CsrfInput(frame.csrf_token)
      << "<button type=\"submit\" data-testid=\"logout\">Log out</button></form>";
  }
  h << "</header><main>" << main << "</main></body></html>\n";
  return h;
}

Html RenderMessage(const PageFrame& frame, const std::string& heading, const std::string& message,
                   const std::string& link, const std::string& link_text) {
  Html main;
  main << "<h1>" << Text(heading) << "</h1><p data-testid=\"message\">" << Text(message) << "</p>";
  if (!link.empty()) {
    main << "<p><a href=\"" << Text(link) << "\">" << Text(link_text) << "</a></p>";
  }
  return RenderPage(frame, main);
}

Html LocalTime(std::int64_t unix_seconds) {
  Html h;
  h << "<time datetime=\"" << Text(ca::FormatTimeIso(unix_seconds)) << "\" data-local-time>"
    << Text(FormatDate(unix_seconds)) << "</time>";
  return h;
}

std::string FormatDate(std::int64_t unix_seconds) {
  // Not gmtime_r: time_t is 32 bits on armhf, and roots outlive 2038.
  const std::tm tm = ca::UtcFromUnix(unix_seconds);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%d %H:%M UTC", &tm);
  return buffer;
}

}  // namespace homeca::webui::pages
