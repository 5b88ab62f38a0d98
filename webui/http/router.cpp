#include "webui/http/router.h"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <string_view>

#include "webui/admin/admin_router.h"
#include "webui/api/api_handler.h"
#include "webui/endpoints/acme_handler.h"
#include "webui/endpoints/crl_handler.h"
#include "webui/endpoints/enroll_handler.h"
#include "webui/http/body_draining_handler.h"
#include "webui/onboarding/onboarding_handler.h"

namespace homeca::webui {
namespace {

class HealthHandler : public Poco::Net::HTTPRequestHandler {
 public:
  void handleRequest(Poco::Net::HTTPServerRequest&,
                     Poco::Net::HTTPServerResponse& response) override {
    static constexpr std::string_view kBody = R"({"status":"ok"})";
    response.setContentType("application/json");
    response.sendBuffer(kBody.data(), kBody.size());  // with its Content-Length
  }
};

}  // namespace

Poco::Net::HTTPRequestHandler* Router::createRequestHandler(
    const Poco::Net::HTTPServerRequest& request) {
  return new BodyDrainingHandler(Route(request));
}

Poco::Net::HTTPRequestHandler* Router::Route(const Poco::Net::HTTPServerRequest& request) {
  const std::string& uri = request.getURI();
  const std::string path = uri.substr(0, uri.find('?'));
  if (path.rfind("/enroll/v1/", 0) == 0) return new EnrollHandler(enrollment_, web_.log());
  if (acme_ != nullptr && path.rfind(enroll::acme::kAcmePathPrefix, 0) == 0) {
    return new AcmeHandler(*acme_, web_.log());
  }
  if (path == "/healthz") return new HealthHandler;
  if (path.rfind("/api/", 0) == 0) return new ApiHandler(web_);
  if (IsCrlPath(path)) return new CrlHandler(web_, true);
  // "/" is the admin overview here; the onboarding page is on plain HTTP.
  if (path != "/" && IsOnboardingPath(path)) return new OnboardingHandler(web_, true);
  return new AdminHandler(web_);
}

}  // namespace homeca::webui
