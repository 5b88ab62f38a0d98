// Maps request paths to handlers. Poco owns the handlers it gets from here.
#pragma once

#include <Poco/Net/HTTPRequestHandlerFactory.h>

#include "enroll/enrollment_service.h"

namespace homeca::webui {

class Router : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Router(enroll::EnrollmentService& enrollment) : enrollment_(enrollment) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest& request) override;

 private:
  enroll::EnrollmentService& enrollment_;
};

}  // namespace homeca::webui
