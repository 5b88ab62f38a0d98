// Which platform a visitor of the onboarding page is on, guessed from the
// User-Agent header, so the page can put that platform's download first.
// A guess only: a wrong or missing header leaves the page showing every
// platform, one tap away each. iPadOS 13 and later claim to be a Mac (same
// profile, and the macOS card says so).
//
// Thread-safety: pure functions over text.
#pragma once

#include <string_view>

namespace homeca::webui {

enum class Platform { kUnknown, kIos, kAndroid, kWindows, kMacos, kLinux, kChromeOs };

struct VisitorPlatform {
  Platform os = Platform::kUnknown;
  // Firefox on a desktop, which keeps its own list of authorities there (on
  // iOS it is Safari's engine; on Android it is Android's own kind of app).
  bool desktop_firefox = false;
  bool mobile() const { return os == Platform::kIos || os == Platform::kAndroid; }
};

VisitorPlatform DetectPlatform(std::string_view user_agent);

// "ios", "android", "windows", "macos", "linux", "chromeos", "unknown": the
// page's ids for its cards.
const char* PlatformId(Platform os);

}  // namespace homeca::webui
