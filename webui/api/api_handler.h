// ApiHandler: the JSON API under /api/v1 (docs/api.md). Every request needs
// "Authorization: Bearer <token>" with an active API token; cookies are not
// accepted here, so the API needs no CSRF defence. Errors are
// {"error": code, "message": text} with a fitting HTTP status.
//
// Ownership follows Poco (one handler per request; borrows the WebContext).
#pragma once

#include <Poco/Net/HTTPRequestHandler.h>

#include "webui/daemon/web_context.h"

namespace homeca::webui {

class ApiHandler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit ApiHandler(WebContext& web) : web_(web) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override;

 private:
  WebContext& web_;
};

}  // namespace homeca::webui
