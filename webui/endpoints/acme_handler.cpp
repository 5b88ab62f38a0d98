#include "webui/endpoints/acme_handler.h"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <algorithm>

#include "enroll/acme/request_verifier.h"

namespace homeca::webui {

void AcmeHandler::handleRequest(Poco::Net::HTTPServerRequest& request,
                                Poco::Net::HTTPServerResponse& response) {
  enroll::acme::AcmeHttpRequest in;
  in.method = request.getMethod();
  in.path = request.getURI().substr(0, request.getURI().find('?'));
  in.content_type = request.getContentType();
  const std::size_t cap = enroll::acme::kMaxAcmeBodySize + 1;
  if (in.method == Poco::Net::HTTPRequest::HTTP_POST &&
      !(request.hasContentLength() &&
        request.getContentLength64() > static_cast<Poco::Int64>(cap))) {
    // Read at most one byte past the cap, whatever the headers claimed.
    in.body.resize(cap);
    request.stream().read(in.body.data(), static_cast<std::streamsize>(cap));
    in.body.resize(static_cast<std::size_t>(request.stream().gcount()));
  } else if (in.method == Poco::Net::HTTPRequest::HTTP_POST) {
    in.body.assign(cap, '\0');  // answered as too large without reading it
  }
  enroll::acme::AcmeHttpResponse answer = service_.Handle(in);
  if (!answer.log_detail.empty()) {
    const bool printable =
        std::all_of(in.path.begin(), in.path.end(), [](char c) { return c > 0x20 && c < 0x7f; });
    log_.error("ACME %s answered %d: %s", printable ? in.path : std::string("request"),
               answer.status, answer.log_detail);
  }
  response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(answer.status));
  for (const auto& [name, value] : answer.headers) response.set(name, value);
  if (!answer.content_type.empty()) response.setContentType(answer.content_type);
  if (in.method == Poco::Net::HTTPRequest::HTTP_HEAD || answer.body.empty()) {
    response.setContentLength(0);
    response.send();
    return;
  }
  // Headers and body in one buffer, so one TLS record and one write on
  // the socket instead of two for every answer.
  response.sendBuffer(answer.body.data(), answer.body.size());
}

}  // namespace homeca::webui
