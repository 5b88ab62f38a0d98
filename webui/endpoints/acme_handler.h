// The HTTP face of the ACME server: one Poco request handler per request to
// /acme/*, turning it into an AcmeHttpRequest (body capped at the ACME
// layer's 64 KiB plus one byte, so the service answers an oversized body with
// its own problem) and the answer, with its headers, back into HTTP.
//
// Ownership follows Poco: the router creates a handler per request and Poco
// deletes it; the handler borrows the service, which outlives the server.
#pragma once

#include <Poco/Logger.h>
#include <Poco/Net/HTTPRequestHandler.h>

#include "enroll/acme/acme_service.h"

namespace homeca::webui {

class AcmeHandler : public Poco::Net::HTTPRequestHandler {
 public:
  AcmeHandler(enroll::acme::AcmeService& service, Poco::Logger& log)
      : service_(service), log_(log) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override;

 private:
  enroll::acme::AcmeService& service_;
  Poco::Logger& log_;
};

}  // namespace homeca::webui
