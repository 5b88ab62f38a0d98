// The first hour's pages as HTML: the onboarding page puts the visitor's
// platform first (its button before any other, no QR code on a phone, the
// rest in <details>), says what iOS says about the profile and where to
// compare the fingerprint; the Overview shows the checklist with its states
// and links, escaped.
#include <catch2/catch.hpp>

#include "webui/admin/first_run_checklist.h"
#include "webui/pages/pages.h"

namespace homeca::webui {
namespace {

constexpr const char* kIphone =
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
constexpr const char* kFirefoxWindows =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0";

pages::OnboardingView View(const char* user_agent) {
  pages::OnboardingView v;
  v.ca_name = "homeca <b>Root CA";
  v.fingerprint = "AA:BB";
  v.fingerprint_sha1 = "CC:DD";
  v.page_url = "http://homeserver.local/";
  v.admin_url = "https://homeserver.local";
  v.platform = DetectPlatform(user_agent);
  return v;
}

std::size_t At(const std::string& html, const std::string& what) {
  const std::size_t at = html.find(what);
  INFO(what);
  REQUIRE(at != std::string::npos);
  return at;
}

TEST_CASE("onboarding on an iPhone: its profile first, no QR code, the others folded") {
  const std::string html = pages::RenderOnboardingPage(View(kIphone)).str();
  CHECK(At(html, "data-platform=\"ios\"") < At(html, "class=\"button\""));
  CHECK(At(html, "data-testid=\"download-mobileconfig\"") <
        At(html, "data-testid=\"download-crt\""));
  CHECK(At(html, "data-testid=\"download-mobileconfig\"") < At(html, "root-fingerprint"));
  CHECK(html.find("data-testid=\"qr\"") == std::string::npos);
  CHECK(At(html, "Not Verified") < At(html, "Certificate Trust Settings"));
  At(html, "VPN &amp; Device Management");
  CHECK(At(html, "<details class=\"card\" id=\"android\"") > At(html, "data-platform=\"ios\""));
  CHECK(html.find("<b>Root") == std::string::npos);  // the CA's name is text
  // Where to compare, since plain HTTP cannot vouch for itself.
  At(html, "cannot vouch for itself");
  At(html, "homeca info");
  At(html, "Overview");
  At(html, "only SHA-1");
  At(html, "shows no fingerprint");
  At(html, "data-testid=\"admin-link\" href=\"https://homeserver.local/\"");
}

TEST_CASE("onboarding: desktop Firefox gets its own store's card, desktops the QR code") {
  const std::string html = pages::RenderOnboardingPage(View(kFirefoxWindows)).str();
  CHECK(At(html, "data-platform=\"firefox\"") < At(html, "id=\"windows\""));
  At(html, "data-testid=\"qr\"");
}

TEST_CASE("onboarding: an admin link under home.arpa says it needs the router") {
  pages::OnboardingView v = View(kIphone);
  CHECK(pages::RenderOnboardingPage(v).str().find(
            "sends <code>home.arpa</code> names to this box (or") == std::string::npos);
  v.admin_url = "https://ca.home.arpa";
  const std::string html = pages::RenderOnboardingPage(v).str();
  At(html, "href=\"https://ca.home.arpa/\"");
  At(html, "sends <code>home.arpa</code> names to this box (or with a hosts-file line");
  At(html, "always warns");
}

TEST_CASE("onboarding: an unknown visitor picks from every platform") {
  const std::string html = pages::RenderOnboardingPage(View("curl/7.88.1")).str();
  CHECK(html.find("data-testid=\"platform-card\"") == std::string::npos);
  At(html, "Pick your device");
  for (const char* id : {"ios", "android", "windows", "macos", "linux", "chromeos", "firefox"}) {
    At(html, std::string("<details class=\"card\" id=\"") + id + "\"");
  }
  At(html, "data-testid=\"qr\"");
}

TEST_CASE("Overview: the checklist with its states and links, folded once done") {
  ChecklistFacts facts;
  facts.admin_base = "https://homeserver.local";
  facts.admin_host = "homeserver.local";
  facts.request_host = "x<script>";
  pages::OverviewView v;
  v.checklist = FirstRunChecklist(facts);
  const pages::PageFrame frame{"Overview", "overview", "token"};
  std::string html = pages::RenderOverviewPage(frame, v).str();
  CHECK(html.find("x<script>") == std::string::npos);
  At(html, "data-testid=\"checklist\" open");
  At(html, "data-testid=\"check-trust\" data-state=\"checking\" data-trust-check");
  At(html, "data-testid=\"check-address\" data-state=\"todo\"");
  At(html, "<a href=\"/devices/add\">Add a device</a>");
  CHECK(html.find("Needs attention soon") == std::string::npos);  // the checklist replaces it

  facts.request_host = "homeserver.local";
  facts.device_count = 1;
  facts.mdns_on = true;
  v.checklist = FirstRunChecklist(facts);
  v.device_count = 1;
  html = pages::RenderOverviewPage(frame, v).str();
  At(html, "data-testid=\"checklist\"><summary><h2>First steps: done");
  At(html, "data-testid=\"check-names\" data-state=\"done\"");
  At(html, "Needs attention soon");
}

}  // namespace
}  // namespace homeca::webui
