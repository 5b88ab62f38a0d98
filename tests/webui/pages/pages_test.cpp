// The pages escape every outside string: hostile device names, discovery
// data and token labels render as text. Also the QR code and route matching.
#include "webui/pages/pages.h"

#include <catch2/catch.hpp>

#include "webui/http/route_match.h"
#include "webui/onboarding/qr_svg.h"

namespace homeca::webui {
namespace {

const std::string kImg = "<img src=x onerror=alert(1)>";
const std::string kImgEscaped = "&lt;img src=x onerror=alert(1)&gt;";
const std::string kQuotes = "tv \"living\" & 'room'";
const std::string kQuotesEscaped = "tv &quot;living&quot; &amp; &#39;room&#39;";

const pages::PageFrame kFrame{"Devices", "devices", "csrf-token-value-0123456789abcdefghijkl"};

void CheckNoRawMarkup(const std::string& html) {
  CHECK(html.find("<img src=x") == std::string::npos);
  CHECK(html.find("onerror=alert(1)>") == std::string::npos);
  CHECK(html.find("\"living\"") == std::string::npos);
}

TEST_CASE("devices page: hostile names from the store and from the LAN are text") {
  pages::DevicesView view;
  view.now = 1'700'000'000;
  pages::DeviceRow row;
  row.name = kImg;
  row.names = {kImg, kQuotes};
  row.status = "valid";
  row.serial = "ab\"><script>";
  row.not_after = view.now + 86400 * 60;
  row.paired_at = view.now - 3600;
  row.addresses = {"fe80::1%" + kImg};
  view.devices.push_back(row);
  view.pending.push_back({7, kQuotes, "device " + kImg, view.now + 60});
  view.discovery_enabled = true;
  view.waiting.push_back({kImg, kQuotes, "192.168.1.9\"", view.now});
  view.inventory.push_back({kImg, "_https._tcp", kQuotes, "<b>", 443});
  const std::string html = pages::RenderDevicesPage(kFrame, view).str();
  CheckNoRawMarkup(html);
  CHECK(html.find("<script>") == std::string::npos);
  CHECK(html.find("<span data-testid=\"device-name\">" + kImgEscaped + "</span>") !=
        std::string::npos);
  CHECK(html.find(kQuotesEscaped) != std::string::npos);
  CHECK(html.find("device_id=%3Cimg%20src%3Dx") != std::string::npos);  // URL-encoded link
}

TEST_CASE("devices page: where names point, links, conflicts and the router steps") {
  pages::DevicesView view;
  view.now = 1'700'000'000;
  pages::DeviceRow row;
  row.id = 4;
  row.state = "active";
  row.name = "nas.home.arpa";
  row.names = {"nas.home.arpa", "nas.local"};
  row.status = "valid";
  row.published = {"192.168.1.20 (from check-in)"};
  row.last_seen = view.now - 120;
  row.mdns = "announced by homeca (established)";
  row.conflicts = {"nas.local from " + kImg};
  view.devices.push_back(row);
  view.names.mdns_on = true;
  view.names.export_dir = "/var/lib/homeca-names";
  view.names.exported_at = view.now - 5;
  view.names.box_name = "homeserver.local";
  const std::string html = pages::RenderDevicesPage(kFrame, view).str();
  CheckNoRawMarkup(html);
  CHECK(html.find("href=\"https://nas.home.arpa/\"") != std::string::npos);
  CHECK(html.find("href=\"https://nas.local/\"") != std::string::npos);
  CHECK(html.find("names point to 192.168.1.20 (from check-in)") != std::string::npos);
  CHECK(html.find("last seen 2 minutes ago") != std::string::npos);
  CHECK(html.find("conflict: nas.local from " + kImgEscaped) != std::string::npos);
  CHECK(html.find("action=\"/devices/4/address\"") != std::string::npos);
  for (const char* router : {"dnsmasq", "openwrt", "pihole", "fritzbox", "unbound"}) {
    INFO(router);
    CHECK(html.find(std::string("data-testid=\"router-") + router + "\"") != std::string::npos);
  }
  CHECK(html.find("rebind_domain='home.arpa'") != std::string::npos);

  // No address yet: the page says so.
  view.devices[0].published.clear();
  const std::string unknown = pages::RenderDevicesPage(kFrame, view).str();
  CHECK(unknown.find("address not known yet") != std::string::npos);
}

TEST_CASE("devices page says when discovery is off") {
  pages::DevicesView view;
  view.discovery_status = "off: avahi-daemon is not running <now>";
  const std::string html = pages::RenderDevicesPage(kFrame, view).str();
  CHECK(html.find("data-testid=\"discovery-off\"") != std::string::npos);
  CHECK(html.find("Discovery is off (off: avahi-daemon is not running &lt;now&gt;)") !=
        std::string::npos);
  CHECK(html.find("data-testid=\"no-devices\"") != std::string::npos);
}

TEST_CASE("add-device page echoes a refused name escaped, in the field and the error") {
  pages::AddDeviceView view;
  view.device_name = kImg;
  view.error = "'" + kImg + "' is not a valid DNS name";
  view.error_form = "code";
  const std::string html = pages::RenderAddDevicePage(kFrame, view).str();
  CheckNoRawMarkup(html);
  CHECK(html.find("value=\"" + kImgEscaped + "\"") != std::string::npos);
  CHECK(html.find("&#39;" + kImgEscaped + "&#39; is not a valid DNS name") != std::string::npos);
}

TEST_CASE("settings, audit and certificate pages escape labels and details") {
  pages::SettingsView settings;
  settings.tokens.push_back({1, kImg, 1'700'000'000, "admin", 0});
  settings.new_token = "hca_" + kQuotes;
  CheckNoRawMarkup(pages::RenderSettingsPage(kFrame, settings).str());

  pages::AuditView audit;
  audit.rows.push_back({1'700'000'000, kQuotes, "api-token-create", "API token 1 (" + kImg + ")"});
  const std::string audit_html = pages::RenderAuditPage(kFrame, audit).str();
  CheckNoRawMarkup(audit_html);
  CHECK(audit_html.find(kImgEscaped) != std::string::npos);

  pages::CertificateView cert;
  cert.row = {"0a1b", kImg, kQuotes, "valid", 1'800'000'000, 1'700'000'000, kImg};
  cert.names = {kImg};
  CheckNoRawMarkup(pages::RenderCertificatePage(kFrame, cert).str());

  pages::CertificatesView list;
  list.query = kImg;
  list.rows.push_back(cert.row);
  list.total = 1;
  CheckNoRawMarkup(pages::RenderCertificatesPage(kFrame, list).str());
}

TEST_CASE("every page carries the viewport, our assets and no inline script") {
  pages::OverviewView overview;
  overview.root_name = kImg;
  const std::string html = pages::RenderOverviewPage(kFrame, overview).str();
  CheckNoRawMarkup(html);
  CHECK(html.find("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">") !=
        std::string::npos);
  CHECK(html.find("<script src=\"/assets/app.js\" defer></script>") != std::string::npos);
  CHECK(html.find("<script>") == std::string::npos);
  CHECK(html.find("onclick") == std::string::npos);
  CHECK(html.find("style=") == std::string::npos);
  CHECK(html.find("data-testid=\"logout\"") != std::string::npos);
}

TEST_CASE("QR codes are SVG with a quiet zone") {
  auto svg = QrCodeSvg("http://192.168.1.20:8080/");
  REQUIRE(svg.ok());
  CHECK(svg->rfind("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 33 33\"", 0) == 0);
  // The top-left finder pattern starts at (4,4), inside the 4-module quiet zone.
  CHECK(svg->find("M4 4h1v1h-1z") != std::string::npos);
  CHECK(svg->find("M3 3h1") == std::string::npos);
  CHECK_FALSE(QrCodeSvg("").ok());
  CHECK_FALSE(QrCodeSvg(std::string(5000, 'a')).ok());
}

TEST_CASE("route patterns match whole segments") {
  std::vector<std::string> params;
  CHECK(MatchRoute("/", "/", params));
  CHECK(MatchRoute("/pairings/{}/status", "/pairings/12/status", params));
  CHECK(params == std::vector<std::string>{"12"});
  CHECK_FALSE(MatchRoute("/pairings/{}/status", "/pairings//status", params));
  CHECK_FALSE(MatchRoute("/pairings/{}", "/pairings/12/status", params));
  CHECK_FALSE(MatchRoute("/devices", "/devices/", params));
  CHECK_FALSE(MatchRoute("/devices", "/devicesx", params));
  CHECK(MatchRoute("/settings/tokens/{}/revoke", "/settings/tokens/3/revoke", params));
  CHECK(params == std::vector<std::string>{"3"});
}

}  // namespace
}  // namespace homeca::webui
