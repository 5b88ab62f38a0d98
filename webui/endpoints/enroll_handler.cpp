#include "webui/endpoints/enroll_handler.h"

#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/X509Certificate.h>
#include <openssl/x509.h>

#include <algorithm>
#include <sstream>

namespace homeca::webui {
namespace {

// The DER of the client's TLS certificate, when it presented one (the TLS
// layer has already checked that it chains to this CA's root).
std::vector<Bytes> ClientChain(Poco::Net::HTTPServerRequest& request) {
  auto* impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&request);
  if (impl == nullptr || !request.secure()) return {};
  try {
    Poco::Net::SecureStreamSocket socket(impl->socket());
    if (!socket.havePeerCertificate()) return {};
    const X509* cert = socket.peerCertificate().certificate();
    unsigned char* der = nullptr;
    int len = i2d_X509(cert, &der);
    if (len <= 0) return {};
    Bytes out(der, der + len);
    OPENSSL_free(der);
    return {out};
  } catch (const Poco::Exception&) {
    return {};
  }
}

}  // namespace

std::string PeerAddressText(const Poco::Net::IPAddress& address) {
  // A listener bound to "::" sees IPv4 clients as ::ffff:a.b.c.d; the device
  // has the IPv4 address, and that is what names get published with.
  if (address.family() == Poco::Net::AddressFamily::IPv6 && address.isIPv4Mapped()) {
    const auto* bytes = static_cast<const unsigned char*>(address.addr());
    return Poco::Net::IPAddress(bytes + 12, 4).toString();
  }
  return address.toString();
}

void SendJsonError(Poco::Net::HTTPServerResponse& response, int status, const std::string& code,
                   const std::string& message) {
  Poco::JSON::Object body;
  body.set("error", code);
  body.set("message", message);
  std::ostringstream out;
  body.stringify(out);
  response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
  response.setContentType("application/json");
  const std::string text = out.str();
  response.sendBuffer(text.data(), text.size());
}

void EnrollHandler::handleRequest(Poco::Net::HTTPServerRequest& request,
                                  Poco::Net::HTTPServerResponse& response) {
  response.set("Cache-Control", "no-store");
  if (request.getMethod() != Poco::Net::HTTPRequest::HTTP_POST) {
    response.set("Allow", "POST");
    SendJsonError(response, 405, "bad_request", "enrollment endpoints take POST");
    return;
  }
  if (request.hasContentLength() &&
      request.getContentLength64() > static_cast<Poco::Int64>(kMaxEnrollBody)) {
    SendJsonError(response, 400, "bad_request", "request body is larger than 64 KiB");
    return;
  }
  // Read at most one byte past the cap, whatever the headers claimed.
  std::string body(kMaxEnrollBody + 1, '\0');
  request.stream().read(body.data(), static_cast<std::streamsize>(body.size()));
  body.resize(static_cast<std::size_t>(request.stream().gcount()));
  if (body.size() > kMaxEnrollBody) {
    SendJsonError(response, 400, "bad_request", "request body is larger than 64 KiB");
    return;
  }
  const std::string path = request.getURI().substr(0, request.getURI().find('?'));
  enroll::EnrollmentResponse answer = service_.Handle(
      {path, body, ClientChain(request), PeerAddressText(request.clientAddress().host())});
  if (!answer.log_detail.empty()) {
    // The path, not the query; and only printable, since it came off the wire.
    const bool printable =
        std::all_of(path.begin(), path.end(), [](char c) { return c > 0x20 && c < 0x7f; });
    log_.error("enrollment %s answered %d: %s", printable ? path : std::string("request"),
               answer.http_status, answer.log_detail);
  }
  response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(answer.http_status));
  if (answer.retry_after_seconds > 0) {
    response.set("Retry-After", std::to_string(answer.retry_after_seconds));
  }
  response.setContentType("application/json");
  // Headers and body in one TLS record and one write.
  response.sendBuffer(answer.body.data(), answer.body.size());
}

}  // namespace homeca::webui
