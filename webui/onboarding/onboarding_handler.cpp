#include "webui/onboarding/onboarding_handler.h"

#include <Poco/Exception.h>

#include "ca/root_export.h"
#include "webui/http/embedded_assets.h"
#include "webui/http/http_exchange.h"
#include "webui/http/security_headers.h"
#include "webui/onboarding/onboarding_view.h"
#include "webui/onboarding/qr_svg.h"

namespace homeca::webui {
namespace {

struct RootDownload {
  std::string_view path;
  ca::RootFormat format;
  const char* mime_type;
  const char* filename;
};

// MIME types: Apple's profile type makes iOS offer to install it; Android
// and Windows recognise x-x509-ca-cert (RFC 2585's pkix-cert for .cer).
constexpr RootDownload kDownloads[] = {
    {"/homeca-root.mobileconfig", ca::RootFormat::kMobileconfig, "application/x-apple-aspen-config",
     "homeca-root.mobileconfig"},
    {"/homeca-root.crt", ca::RootFormat::kDer, "application/x-x509-ca-cert", "homeca-root.crt"},
    {"/homeca-root.cer", ca::RootFormat::kDer, "application/pkix-cert", "homeca-root.cer"},
    {"/homeca-root.pem", ca::RootFormat::kPem, "application/x-pem-file", "homeca-root.pem"},
};

const RootDownload* FindDownload(std::string_view path) {
  for (const RootDownload& d : kDownloads) {
    if (d.path == path) return &d;
  }
  return nullptr;
}

void Serve(WebContext& web, HttpExchange& http, bool over_https) {
  const std::string& path = http.path();
  if (const EmbeddedAsset* asset = FindEmbeddedAsset(path)) {
    http.response().set("Cache-Control", "public, max-age=3600");
    http.Send(200, std::string(asset->mime_type) + "; charset=utf-8", asset->body);
    return;
  }
  if (const RootDownload* d = FindDownload(path)) {
    http.response().set("Content-Disposition",
                        std::string("attachment; filename=\"") + d->filename + "\"");
    http.Send(200, d->mime_type, ca::ExportRoot(web.authority().root(), d->format));
    return;
  }
  if (path == "/qr.svg") {
    Result<std::string> svg = QrCodeSvg(web.OnboardingUrlFor(http.HostHeader()));
    if (!svg.ok()) {
      http.Send(500, "text/plain; charset=utf-8", svg.status().message() + "\n");
      return;
    }
    http.Send(200, "image/svg+xml", *svg);
    return;
  }
  if (path == "/" && !over_https) {
    http.SendHtml(200, pages::RenderOnboardingPage(
                           MakeOnboardingView(web, http.HostHeader(), http.Header("User-Agent"))));
    return;
  }
  http.Send(404, "text/plain; charset=utf-8", "not found\n");
}

}  // namespace

bool IsOnboardingPath(std::string_view path) {
  return path == "/" || path == "/qr.svg" || FindDownload(path) != nullptr ||
         path.starts_with("/assets/");
}

void OnboardingHandler::handleRequest(Poco::Net::HTTPServerRequest& request,
                                      Poco::Net::HTTPServerResponse& response) {
  if (over_https_) {
    SetAdminSecurityHeaders(response);
  } else {
    SetOnboardingSecurityHeaders(response);
  }
  HttpExchange http(request, response);
  try {
    if (!http.valid()) {
      http.Send(400, "text/plain; charset=utf-8", "bad request\n");
    } else if (!http.IsGet()) {
      response.set("Allow", "GET, HEAD");
      http.Send(405, "text/plain; charset=utf-8",
                "This page is read-only: nothing here changes anything.\n");
    } else {
      Serve(web_, http, over_https_);
    }
  } catch (const Poco::Exception& e) {
    web_.log().error("onboarding: %s failed: %s", http.path(), e.displayText());
  }
}

void HttpsRedirectHandler::handleRequest(Poco::Net::HTTPServerRequest& request,
                                         Poco::Net::HTTPServerResponse& response) {
  SetOnboardingSecurityHeaders(response);
  HttpExchange http(request, response);
  if (!http.IsGet()) {
    // Not a redirect: a 307/308 would let a client resend the body to HTTPS,
    // and a form posted over plain HTTP has already been exposed.
    response.set("Allow", "GET, HEAD");
    http.Send(405, "text/plain; charset=utf-8",
              "The admin pages are only on HTTPS; nothing was changed.\n");
    return;
  }
  const std::string& target = request.getURI();
  http.Redirect(301, web_.urls().admin_base + (target.starts_with("/") ? target : "/"));
}

}  // namespace homeca::webui
