// AdminHandler: serves the admin pages over HTTPS. It matches the request to
// a route, answers 404/405 itself, and for routes behind the login checks
// the session cookie (and that the admin password has not changed since),
// then for every POST the form's CSRF token, before the route's handler runs.
// Without a session, a GET is sent to /login and anything else is refused.
//
// Ownership follows Poco: the router creates one handler per request and
// Poco deletes it; the handler borrows the WebContext.
#pragma once

#include <Poco/Net/HTTPRequestHandler.h>

#include "webui/daemon/web_context.h"

namespace homeca::webui {

class AdminHandler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit AdminHandler(WebContext& web) : web_(web) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override;

 private:
  WebContext& web_;
};

}  // namespace homeca::webui
