#include "webui/api/api_handler.h"

#include <Poco/Exception.h>

#include <string_view>

#include "webui/api/api_body.h"
#include "webui/api/api_json.h"
#include "webui/api/api_request.h"
#include "webui/api/api_token_auth.h"
#include "webui/http/route_match.h"
#include "webui/http/security_headers.h"
#include "webui/http/status_http.h"

namespace homeca::webui {
namespace {

struct ApiRoute {
  const char* method;
  const char* pattern;
  void (*handler)(ApiRequest&);
};

constexpr ApiRoute kApiRoutes[] = {
    {"GET", "/api/v1/overview", ApiOverview},
    {"GET", "/api/v1/certificates", ApiListCertificates},
    {"POST", "/api/v1/certificates", ApiIssueForCsr},
    {"GET", "/api/v1/certificates/{}", ApiGetCertificate},
    {"POST", "/api/v1/certificates/{}/revoke", ApiRevokeCertificate},
    {"GET", "/api/v1/devices", ApiListDevices},
    {"POST", "/api/v1/devices/{}/revoke", ApiRevokeDevice},
    {"POST", "/api/v1/devices/{}/address", ApiPinDeviceAddress},
    {"GET", "/api/v1/names", ApiNames},
    {"POST", "/api/v1/pairings", ApiCreatePairing},
    {"POST", "/api/v1/pairings/device", ApiArmDevice},
    {"GET", "/api/v1/pairings/{}", ApiGetPairing},
    {"POST", "/api/v1/pairings/{}/cancel", ApiCancelPairing},
    {"GET", "/api/v1/audit", ApiAudit},
    {"GET", "/api/v1/discovery", ApiDiscovery},
};

void Dispatch(ApiRequest& r) {
  if (!r.http.valid()) return r.Error(400, "bad_request", "the request target is malformed");
  // Authenticate before routing, so an unauthenticated client learns nothing
  // about which endpoints exist.
  Result<ca::ApiTokenRecord> token =
      AuthenticateBearer(r.web.authority().admin(), r.http.Header("Authorization"));
  if (!token.ok()) {
    if (token.status().code() != ErrorCode::kPermissionDenied) return r.Fail(token.status());
    r.http.response().set("WWW-Authenticate", "Bearer realm=\"homeca\"");
    return r.Error(401, "unauthorized", token.status().message());
  }
  r.token = *token;
  std::string allow;
  for (const ApiRoute& route : kApiRoutes) {
    if (!MatchRoute(route.pattern, r.http.path(), r.params)) continue;
    const bool is_get = std::string_view(route.method) == "GET";
    if (is_get ? !r.http.IsGet() : !r.http.IsPost()) {
      allow += (allow.empty() ? "" : ", ") + std::string(is_get ? "GET, HEAD" : route.method);
      continue;
    }
    route.handler(r);
    return;
  }
  if (!allow.empty()) {
    r.http.response().set("Allow", allow);
    return r.Error(405, "method_not_allowed", "this endpoint does not take " + r.http.method());
  }
  r.Error(404, "not_found", "no such endpoint (see docs/api.md)");
}

}  // namespace

void ApiRequest::Error(int status, const std::string& code, const std::string& message) {
  http.SendJson(status, ErrorJson(code, message));
}

void ApiRequest::Fail(const Status& status) {
  if (!IsClientError(status)) {
    web.log().error("API: %s%s", status.message(),
                    status.detail().empty() ? std::string() : " (" + status.detail() + ")");
  }
  Error(HttpStatusFor(status), ErrorWordFor(status), status.message());
}

Poco::JSON::Object::Ptr ApiRequest::JsonBody() {
  Result<std::string> body = http.ReadBody();
  if (!body.ok()) {
    Error(413, "too_large", body.status().message());
    return nullptr;
  }
  if (body->find_first_not_of(" \t\r\n") == std::string::npos) {
    return new Poco::JSON::Object;
  }
  const std::string type = http.Header("Content-Type");
  if (type.rfind("application/json", 0) != 0) {
    Error(415, "unsupported_media_type", "send the body as application/json");
    return nullptr;
  }
  Poco::JSON::Object::Ptr object = ParseJsonObjectBody(*body);
  Cleanse(*body);  // may hold a device's pairing code
  if (object.isNull()) Error(400, "invalid_json", "the body must be a JSON object");
  return object;
}

void ApiHandler::handleRequest(Poco::Net::HTTPServerRequest& request,
                               Poco::Net::HTTPServerResponse& response) {
  SetAdminSecurityHeaders(response);
  HttpExchange http(request, response);
  ApiRequest r{http, web_, {}, {}};
  try {
    Dispatch(r);
  } catch (const Poco::Exception& e) {
    web_.log().error("API: %s %s failed: %s", request.getMethod(), http.path(), e.displayText());
    if (!response.sent()) r.Error(500, "internal", "the request failed");
  } catch (const std::exception& e) {
    web_.log().error("API: %s %s failed: %s", request.getMethod(), http.path(),
                     std::string(e.what()));
    if (!response.sent()) r.Error(500, "internal", "the request failed");
  }
}

}  // namespace homeca::webui
