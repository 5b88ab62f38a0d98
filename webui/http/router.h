// Maps HTTPS request paths to handlers: enrollment (/enroll/v1/), ACME
// (/acme/, when the daemon mounts an AcmeService), /healthz,
// the JSON API (/api/), the public onboarding files and assets, and the
// admin pages for everything else. Poco owns the handlers it gets from here;
// the router borrows the enrollment service and the web context.
#pragma once

#include <Poco/Net/HTTPRequestHandlerFactory.h>

#include "enroll/acme/acme_service.h"
#include "enroll/enrollment_service.h"
#include "webui/daemon/web_context.h"

namespace homeca::webui {

class Router : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  Router(enroll::EnrollmentService& enrollment, WebContext& web,
         enroll::acme::AcmeService* acme = nullptr)
      : enrollment_(enrollment), web_(web), acme_(acme) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest& request) override;

 private:
  Poco::Net::HTTPRequestHandler* Route(const Poco::Net::HTTPServerRequest& request);

  enroll::EnrollmentService& enrollment_;
  WebContext& web_;
  enroll::acme::AcmeService* acme_;  // nullptr: no ACME server
};

}  // namespace homeca::webui
