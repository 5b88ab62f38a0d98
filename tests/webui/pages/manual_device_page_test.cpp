// The pages for a device without a shell (webui/pages/manual_device.cpp):
// what the admin typed or pasted and the engine's error (which quotes the
// CSR's own names) come back as text, and the key form carries its warning
// and confirmation.
#include <catch2/catch.hpp>

#include "webui/pages/pages.h"

namespace homeca::webui {
namespace {

const pages::PageFrame kFrame{"A device without a shell", "add", "csrf-token-0123456789abcdef"};
const std::string kImg = "<img src=x onerror=alert(1)>";

TEST_CASE("manual device page: typed names, pasted CSRs and errors are text") {
  pages::ManualDeviceView view;
  view.name = kImg;
  view.csr = "</textarea>" + kImg;
  view.error = "The CSR asks for '" + kImg + "'";
  view.error_form = "csr";
  const std::string html = pages::RenderManualDevicePage(kFrame, view).str();
  CHECK(html.find("<img src=x") == std::string::npos);
  CHECK(html.find("</textarea><img") == std::string::npos);
  CHECK(html.find("&lt;/textarea&gt;&lt;img src=x onerror=alert(1)&gt;") != std::string::npos);
  // The error shows on the form it belongs to, once.
  CHECK(html.find("data-testid=\"error\"") < html.find("action=\"/devices/manual/csr\""));
  CHECK(html.find("data-testid=\"error\"", html.find("data-testid=\"error\"") + 1) ==
        std::string::npos);
  // Both forms carry the session's CSRF token.
  const std::string token = "value=\"" + kFrame.csrf_token + "\"";
  CHECK(html.find(token) != html.rfind(token));
}

TEST_CASE("manual device page: the CA-made key sits behind a warning and a confirmation") {
  pages::ManualDeviceView view;
  view.format = "p12-legacy";
  view.key_type = "rsa2048";
  const std::string html = pages::RenderManualDevicePage(kFrame, view).str();
  CHECK(html.find("The key leaves this box.") != std::string::npos);
  CHECK(html.find("data-requires=\"key-confirm\"") != std::string::npos);
  CHECK(html.find("<option value=\"p12-legacy\" selected>") != std::string::npos);
  CHECK(html.find("<option value=\"rsa2048\" selected>") != std::string::npos);
  CHECK(html.find("minlength=\"8\"") != std::string::npos);
}

TEST_CASE("issued page: the chain download and the honest renewal note") {
  pages::ManualIssuedView view;
  view.device_id = 12;
  view.names = {"nas.home.arpa", "nas.local"};
  view.serial = "0abc";
  view.now = 1'800'000'000;
  view.not_after = view.now + 90 * 86400;
  view.renew_by = view.now + 60 * 86400;
  const std::string html = pages::RenderManualIssuedPage(kFrame, view).str();
  CHECK(html.find("href=\"/devices/12/chain.pem\" download") != std::string::npos);
  CHECK(html.find("<strong>renewed by hand</strong>") != std::string::npos);
  CHECK(html.find("/devices/manual?name=nas.home.arpa") != std::string::npos);
}

}  // namespace
}  // namespace homeca::webui
