#include "webui/onboarding/user_agent_platform.h"

namespace homeca::webui {
namespace {

bool Has(std::string_view text, std::string_view token) {
  return text.find(token) != std::string_view::npos;
}

Platform DetectOs(std::string_view ua) {
  // Order matters: Android's UA says "Linux", ChromeOS's says "X11", an
  // iPhone's says "like Mac OS X".
  if (Has(ua, "iPhone") || Has(ua, "iPad") || Has(ua, "iPod")) return Platform::kIos;
  if (Has(ua, "Android")) return Platform::kAndroid;
  if (Has(ua, "CrOS")) return Platform::kChromeOs;
  if (Has(ua, "Windows")) return Platform::kWindows;
  if (Has(ua, "Macintosh") || Has(ua, "Mac OS X")) return Platform::kMacos;
  if (Has(ua, "Linux") || Has(ua, "X11")) return Platform::kLinux;
  return Platform::kUnknown;
}

}  // namespace

VisitorPlatform DetectPlatform(std::string_view user_agent) {
  VisitorPlatform p;
  p.os = DetectOs(user_agent);
  p.desktop_firefox = Has(user_agent, "Firefox/") && !p.mobile() && p.os != Platform::kUnknown;
  return p;
}

const char* PlatformId(Platform os) {
  switch (os) {
    case Platform::kIos:
      return "ios";
    case Platform::kAndroid:
      return "android";
    case Platform::kWindows:
      return "windows";
    case Platform::kMacos:
      return "macos";
    case Platform::kLinux:
      return "linux";
    case Platform::kChromeOs:
      return "chromeos";
    case Platform::kUnknown:
      break;
  }
  return "unknown";
}

}  // namespace homeca::webui
