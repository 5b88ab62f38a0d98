// The onboarding page's platform guess over real User-Agent strings, as the
// browsers send them (2024-2025 releases).
#include "webui/onboarding/user_agent_platform.h"

#include <catch2/catch.hpp>

namespace homeca::webui {
namespace {

struct Case {
  const char* what;
  const char* ua;
  Platform os;
  bool firefox;
};

TEST_CASE("DetectPlatform: real user agents") {
  const Case cases[] = {
      {"Safari, iPhone",
       "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
       "Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
       Platform::kIos, false},
      {"Chrome, iPhone",
       "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
       "Gecko) CriOS/126.0.6478.54 Mobile/15E148 Safari/604.1",
       Platform::kIos, false},
      {"Firefox, iPhone (Safari's engine, the system's store)",
       "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
       "Gecko) FxiOS/127.0 Mobile/15E148 Safari/605.1.15",
       Platform::kIos, false},
      {"Safari, iPad on iPadOS 12",
       "Mozilla/5.0 (iPad; CPU OS 12_5_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
       "Version/12.1.2 Mobile/15E148 Safari/604.1",
       Platform::kIos, false},
      {"Chrome, Android phone",
       "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
       "Chrome/126.0.0.0 Mobile Safari/537.36",
       Platform::kAndroid, false},
      {"Samsung Internet",
       "Mozilla/5.0 (Linux; Android 14; SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) "
       "SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36",
       Platform::kAndroid, false},
      {"Firefox, Android (not a desktop Firefox)",
       "Mozilla/5.0 (Android 14; Mobile; rv:127.0) Gecko/127.0 Firefox/127.0", Platform::kAndroid,
       false},
      {"Edge, Windows 11",
       "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
       "Chrome/126.0.0.0 Safari/537.36 Edg/126.0.2592.68",
       Platform::kWindows, false},
      {"Firefox, Windows",
       "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0",
       Platform::kWindows, true},
      {"Safari, macOS (also iPadOS 13+, which claims to be a Mac)",
       "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
       "Version/17.5 Safari/605.1.15",
       Platform::kMacos, false},
      {"Firefox, macOS",
       "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:127.0) Gecko/20100101 Firefox/127.0",
       Platform::kMacos, true},
      {"Chrome, Linux",
       "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 "
       "Safari/537.36",
       Platform::kLinux, false},
      {"headless Chromium, Linux (the browser tests)",
       "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
       "HeadlessChrome/126.0.6478.126 Safari/537.36",
       Platform::kLinux, false},
      {"Firefox, Ubuntu",
       "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0",
       Platform::kLinux, true},
      {"Chrome, ChromeOS",
       "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) "
       "Chrome/126.0.0.0 Safari/537.36",
       Platform::kChromeOs, false},
      {"curl", "curl/7.88.1", Platform::kUnknown, false},
      {"no header", "", Platform::kUnknown, false},
      {"a Firefox token alone says nothing of the platform", "Firefox/127.0", Platform::kUnknown,
       false},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    const VisitorPlatform p = DetectPlatform(c.ua);
    CHECK(PlatformId(p.os) == std::string(PlatformId(c.os)));
    CHECK(p.desktop_firefox == c.firefox);
    CHECK(p.mobile() == (c.os == Platform::kIos || c.os == Platform::kAndroid));
  }
}

}  // namespace
}  // namespace homeca::webui
