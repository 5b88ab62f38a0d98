// The HTTP face of the enrollment service: one Poco request handler per
// request to /enroll/v1/*, turning it into an EnrollmentRequest (body capped
// at 64 KiB, the TLS client certificate if any, the client's IP address) and
// the answer back into HTTP.
//
// Ownership follows Poco: the factory creates a handler per request and Poco
// deletes it; the handler borrows the service, which outlives the server.
#pragma once

#include <Poco/Logger.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/IPAddress.h>

#include <string>

#include "enroll/enrollment_service.h"

namespace homeca::webui {

inline constexpr std::size_t kMaxEnrollBody = 64 * 1024;

class EnrollHandler : public Poco::Net::HTTPRequestHandler {
 public:
  EnrollHandler(enroll::EnrollmentService& service, Poco::Logger& log)
      : service_(service), log_(log) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override;

 private:
  enroll::EnrollmentService& service_;
  Poco::Logger& log_;
};

// The client's address as EnrollmentRequest::peer_address wants it: IPv4 as
// dotted quad, also when a dual-stack listener saw it IPv4-mapped; IPv6 as
// Poco writes it (with its zone, for a link-local client).
std::string PeerAddressText(const Poco::Net::IPAddress& address);

// Writes {"error": code, "message": message} with `status`.
void SendJsonError(Poco::Net::HTTPServerResponse& response, int status, const std::string& code,
                   const std::string& message);

}  // namespace homeca::webui
