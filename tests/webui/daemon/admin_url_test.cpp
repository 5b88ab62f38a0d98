// The admin address every link homecad prints or shows starts with (the
// setup link, the onboarding page's admin link, the renew URL, the ACME
// directory): always a name in homecad's certificate, --dev included, and
// the advice logged when that name needs help to resolve.
#include <catch2/catch.hpp>

#include "webui/daemon/web_ui.h"

namespace homeca::webui {
namespace {

DaemonConfig Dev() {
  DaemonConfig config;
  config.dev = true;
  config.bind_address = "127.0.0.1";
  return config;
}

TEST_CASE("admin URL: the certificate's first name, with --dev too") {
  // On main --dev gave https://127.0.0.1:8443, an address the root's
  // constraints exclude: Chromium said ERR_CERT_COMMON_NAME_INVALID.
  CHECK(AdminBaseUrl(Dev(), "homeserver.local", 8443) == "https://homeserver.local:8443");
  DaemonConfig any = Dev();
  any.bind_address = "0.0.0.0";
  CHECK(AdminBaseUrl(any, "homeserver.local", 41985) == "https://homeserver.local:41985");
  DaemonConfig packaged;
  CHECK(AdminBaseUrl(packaged, "homeserver.local", 443) == "https://homeserver.local");
  CHECK(AdminBaseUrl(packaged, "ca.home.arpa", 443) == "https://ca.home.arpa");
}

TEST_CASE("admin URL: a configured public_url wins, without its trailing slashes") {
  DaemonConfig config = Dev();
  config.public_url = "https://ca.example.home.arpa:9443//";
  CHECK(AdminBaseUrl(config, "homeserver.local", 8443) == "https://ca.example.home.arpa:9443");
}

TEST_CASE("admin URL advice: silent where the name just works") {
  DaemonConfig packaged;
  const std::vector<std::string> names = {"homeserver.local", "ca.home.arpa"};
  CHECK(AdminAddressAdvice(packaged, names, "https://homeserver.local").empty());
}

TEST_CASE("admin URL advice: says what to do when the name needs help") {
  const std::vector<std::string> names = {"homeserver.local", "ca.home.arpa"};
  SECTION("--dev listens on loopback; .local resolves to the LAN address") {
    const std::string advice = AdminAddressAdvice(Dev(), names, "https://homeserver.local:8443");
    CHECK(advice.find("listens on 127.0.0.1 only") != std::string::npos);
    CHECK(advice.find("'127.0.0.1 homeserver.local'") != std::string::npos);
    CHECK(advice.find("--bind") != std::string::npos);
  }
  SECTION("--dev on every address (the LAN tests): nothing to say") {
    DaemonConfig lan = Dev();
    lan.bind_address = "0.0.0.0";
    CHECK(AdminAddressAdvice(lan, names, "https://homeserver.local:8443").empty());
  }
  SECTION("a CA without .local: ca.home.arpa needs the router or a hosts line") {
    DaemonConfig packaged;
    const std::string advice =
        AdminAddressAdvice(packaged, {"ca.home.arpa"}, "https://ca.home.arpa");
    CHECK(advice.find("router") != std::string::npos);
    CHECK(advice.find("hosts-file line '<this box's address> ca.home.arpa'") != std::string::npos);
    CHECK(advice.find("https://<address>/ always warns") != std::string::npos);
  }
  SECTION("a public_url the certificate does not name") {
    DaemonConfig config;
    config.public_url = "https://192.168.1.2";
    const std::string advice = AdminAddressAdvice(config, names, "https://192.168.1.2");
    CHECK(advice.find("192.168.1.2, which homecad's certificate does not") != std::string::npos);
    CHECK(advice.find("homeserver.local, ca.home.arpa") != std::string::npos);
  }
}

TEST_CASE("onboarding URL: the name when listening everywhere, else the bound address") {
  DaemonConfig packaged;
  // On main the packaged daemon logged "onboarding at http://0.0.0.0:80/".
  CHECK(OnboardingBaseUrl(packaged, "homeserver.local", 80) == "http://homeserver.local");
  packaged.bind_address = "::";
  CHECK(OnboardingBaseUrl(packaged, "homeserver.local", 8080) == "http://homeserver.local:8080");
  CHECK(OnboardingBaseUrl(Dev(), "homeserver.local", 8080) == "http://127.0.0.1:8080");
  DaemonConfig bound;
  bound.bind_address = "192.168.1.2";
  CHECK(OnboardingBaseUrl(bound, "homeserver.local", 80) == "http://192.168.1.2");
}

TEST_CASE("UrlHost") {
  CHECK(UrlHost("https://NAS.local:8443/setup?token=x") == "nas.local");
  CHECK(UrlHost("https://ca.home.arpa") == "ca.home.arpa");
  CHECK(UrlHost("https://ca.home.arpa/") == "ca.home.arpa");
  CHECK(UrlHost("https://[fd00::1]:8443/") == "[fd00::1]");
  CHECK(UrlHost("http://10.0.0.2") == "10.0.0.2");
}

}  // namespace
}  // namespace homeca::webui
