// ApiRequest: what a JSON API endpoint gets once the token is checked.
// Endpoints are plain functions listed in api_handler.cpp.
//
// Thread-safety: one ApiRequest per request thread.
#pragma once

#include <Poco/JSON/Object.h>

#include <string>
#include <vector>

#include "ca/admin_records.h"
#include "webui/daemon/web_context.h"
#include "webui/http/http_exchange.h"

namespace homeca::webui {

struct ApiRequest {
  HttpExchange& http;
  WebContext& web;
  std::vector<std::string> params;
  ca::ApiTokenRecord token;

  // "api:<token id>", the audit log's actor for this request.
  std::string Actor() const { return "api:" + std::to_string(token.id); }
  void Ok(int status, const std::string& json) { http.SendJson(status, json); }
  void Error(int status, const std::string& code, const std::string& message);
  // Maps a Status to 400/404/409/500 and its error code; logs 500s.
  void Fail(const Status& status);
  // The body as a JSON object; answers 400 itself and returns null when it
  // is not one. An empty body is an empty object.
  Poco::JSON::Object::Ptr JsonBody();
};

// api_endpoints.cpp
void ApiOverview(ApiRequest& r);
void ApiListCertificates(ApiRequest& r);
void ApiGetCertificate(ApiRequest& r);
void ApiRevokeCertificate(ApiRequest& r);
void ApiListDevices(ApiRequest& r);
void ApiRevokeDevice(ApiRequest& r);
void ApiPinDeviceAddress(ApiRequest& r);
void ApiNames(ApiRequest& r);
// api_discovery.cpp
void ApiDiscovery(ApiRequest& r);
void ApiCreatePairing(ApiRequest& r);
void ApiArmDevice(ApiRequest& r);
void ApiGetPairing(ApiRequest& r);
void ApiCancelPairing(ApiRequest& r);
void ApiAudit(ApiRequest& r);
// api_manual_device.cpp
void ApiIssueForCsr(ApiRequest& r);

}  // namespace homeca::webui
