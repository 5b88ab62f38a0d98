#include "webui/router.h"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include "webui/enroll_handler.h"

namespace homeca::webui {
namespace {

class NotFoundHandler : public Poco::Net::HTTPRequestHandler {
 public:
  void handleRequest(Poco::Net::HTTPServerRequest&, Poco::Net::HTTPServerResponse& response) override {
    SendJsonError(response, 404, "not_found", "no such endpoint");
  }
};

class HealthHandler : public Poco::Net::HTTPRequestHandler {
 public:
  void handleRequest(Poco::Net::HTTPServerRequest&, Poco::Net::HTTPServerResponse& response) override {
    response.setContentType("application/json");
    response.send() << "{\"status\":\"ok\"}";
  }
};

}  // namespace

Poco::Net::HTTPRequestHandler* Router::createRequestHandler(
    const Poco::Net::HTTPServerRequest& request) {
  const std::string& uri = request.getURI();
  if (uri.rfind("/enroll/v1/", 0) == 0) return new EnrollHandler(enrollment_);
  if (uri == "/healthz") return new HealthHandler;
  return new NotFoundHandler;
}

}  // namespace homeca::webui
