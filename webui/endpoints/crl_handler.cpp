#include "webui/endpoints/crl_handler.h"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include "ca/base/file_util.h"
#include "webui/http/security_headers.h"

namespace homeca::webui {

bool IsCrlPath(std::string_view path) { return path == "/crl.der" || path == "/crl.pem"; }

void CrlHandler::handleRequest(Poco::Net::HTTPServerRequest& request,
                               Poco::Net::HTTPServerResponse& response) {
  if (over_https_) {
    SetAdminSecurityHeaders(response);
  } else {
    SetOnboardingSecurityHeaders(response);
  }
  const std::string& uri = request.getURI();
  const bool der = uri.substr(0, uri.find('?')) == "/crl.der";
  const bool head = request.getMethod() == Poco::Net::HTTPRequest::HTTP_HEAD;
  if (!head && request.getMethod() != Poco::Net::HTTPRequest::HTTP_GET) {
    response.set("Allow", "GET, HEAD");
    response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_METHOD_NOT_ALLOWED);
    response.setContentType("text/plain; charset=utf-8");
    response.sendBuffer("method not allowed\n", 19);
    return;
  }
  const ca::DataDir& dir = web_.authority().data_dir();
  Result<std::string> body = ReadFile(der ? dir.crl_der() : dir.crl_pem(), 16 * 1024 * 1024);
  if (!body.ok()) {
    web_.log().error("cannot serve the CRL: %s", body.status().message());
    response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_SERVICE_UNAVAILABLE);
    response.setContentType("text/plain; charset=utf-8");
    response.sendBuffer("the CRL is not available\n", 25);
    return;
  }
  response.setContentType(der ? "application/pkix-crl" : "application/x-pem-file");
  response.setContentLength64(static_cast<Poco::UInt64>(body->size()));
  if (head) {
    response.send();
    return;
  }
  response.sendBuffer(body->data(), body->size());
}

}  // namespace homeca::webui
