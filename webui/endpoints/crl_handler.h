// CrlHandler: the current CRL, as published in the data directory, at
// /crl.der (application/pkix-crl, RFC 5280 section 4.2.1.13 / RFC 2585) and
// /crl.pem. Served on plain HTTP as well as HTTPS: a CRL is signed, and
// relying parties fetch it over plain HTTP (fetching it over HTTPS from the
// CA it checks would be circular). GET and HEAD only.
//
// Ownership follows Poco (one handler per request; borrows the WebContext).
#pragma once

#include <Poco/Net/HTTPRequestHandler.h>

#include <string_view>

#include "webui/daemon/web_context.h"

namespace homeca::webui {

bool IsCrlPath(std::string_view path);

class CrlHandler : public Poco::Net::HTTPRequestHandler {
 public:
  CrlHandler(WebContext& web, bool over_https) : web_(web), over_https_(over_https) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override;

 private:
  WebContext& web_;
  bool over_https_;
};

}  // namespace homeca::webui
