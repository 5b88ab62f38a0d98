#include "webui/http/body_draining_handler.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <array>

namespace homeca::webui {

void DrainRequestBody(Poco::Net::HTTPServerRequest& request,
                      Poco::Net::HTTPServerResponse& response) {
  const bool has_body = request.getChunkedTransferEncoding() ||
                        (request.hasContentLength() && request.getContentLength64() > 0);
  if (!has_body) return;
  if (request.hasContentLength() &&
      request.getContentLength64() > static_cast<Poco::Int64>(kMaxDrainBytes)) {
    // Poco reads the keep-alive decision back from the response after the
    // handler returns, so this closes the connection even after sending.
    response.setKeepAlive(false);
    return;
  }
  try {
    std::istream& body = request.stream();
    std::array<char, 4096> buffer;
    std::size_t skipped = 0;
    while (body && skipped <= kMaxDrainBytes) {
      body.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
      skipped += static_cast<std::size_t>(body.gcount());
    }
    if (!body.eof()) response.setKeepAlive(false);
  } catch (const Poco::Exception&) {
    response.setKeepAlive(false);
  }
}

void BodyDrainingHandler::handleRequest(Poco::Net::HTTPServerRequest& request,
                                        Poco::Net::HTTPServerResponse& response) {
  inner_->handleRequest(request, response);
  DrainRequestBody(request, response);
}

}  // namespace homeca::webui
