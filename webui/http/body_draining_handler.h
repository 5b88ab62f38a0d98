// BodyDrainingHandler: wraps every request handler so that a request body the
// handler did not read (a POST refused before its form was parsed: no
// session, wrong method, over plain HTTP) is read and dropped before the
// connection takes its next request. Poco 1.11 leaves an unread body in the
// stream, where it would be parsed as the start of the next request on a
// keep-alive connection (request desynchronization). A body too large to
// skip cheaply closes the connection instead.
//
// Ownership follows Poco: the wrapper owns the handler it wraps.
#pragma once

#include <Poco/Net/HTTPRequestHandler.h>

#include <memory>

namespace homeca::webui {

// What is skipped before giving up on the connection. Reading a refused body
// rather than closing on it matters beyond keep-alive: closing a socket with
// unread data makes the kernel send a reset, which can destroy the error
// response before the client reads it (curl then reports a send failure
// instead of our 400). A megabyte is a few milliseconds on a LAN; a body
// larger than this costs the client its connection and maybe its answer.
inline constexpr std::size_t kMaxDrainBytes = 1024 * 1024;

class BodyDrainingHandler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit BodyDrainingHandler(Poco::Net::HTTPRequestHandler* inner) : inner_(inner) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override;

 private:
  std::unique_ptr<Poco::Net::HTTPRequestHandler> inner_;
};

// Reads and drops what is left of `request`'s body, up to kMaxDrainBytes;
// when more is left (or reading fails) the connection closes after this
// response.
void DrainRequestBody(Poco::Net::HTTPServerRequest& request,
                      Poco::Net::HTTPServerResponse& response);

}  // namespace homeca::webui
