// Maps HTTPS request paths to handlers: enrollment (/enroll/v1/), /healthz,
// the JSON API (/api/), the public onboarding files and assets, and the
// admin pages for everything else. Poco owns the handlers it gets from here;
// the router borrows the enrollment service and the web context.
#pragma once

#include <Poco/Net/HTTPRequestHandlerFactory.h>

#include "enroll/enrollment_service.h"
#include "webui/daemon/web_context.h"

namespace homeca::webui {

class Router : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  Router(enroll::EnrollmentService& enrollment, WebContext& web)
      : enrollment_(enrollment), web_(web) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest& request) override;

 private:
  Poco::Net::HTTPRequestHandler* Route(const Poco::Net::HTTPServerRequest& request);

  enroll::EnrollmentService& enrollment_;
  WebContext& web_;
};

}  // namespace homeca::webui
