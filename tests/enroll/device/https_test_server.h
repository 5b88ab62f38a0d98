// Test support: a Poco HTTPS server on 127.0.0.1 with a given key and chain,
// asking for (not requiring) a client certificate that chains to a given
// root, calling one handler function for every request. Stops when destroyed.
#pragma once

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "ca/base/encoding.h"

namespace homeca::testing {

using HttpsHandler =
    std::function<void(Poco::Net::HTTPServerRequest&, Poco::Net::HTTPServerResponse&)>;

class HttpsTestServer {
 public:
  HttpsTestServer(const std::string& key_file, const std::string& chain_file,
                  const std::string& root_file, HttpsHandler handler);
  ~HttpsTestServer();
  HttpsTestServer(const HttpsTestServer&) = delete;
  HttpsTestServer& operator=(const HttpsTestServer&) = delete;

  std::uint16_t port() const { return port_; }
  std::string url() const { return "https://127.0.0.1:" + std::to_string(port_); }

 private:
  Poco::Net::Context::Ptr context_;
  std::uint16_t port_ = 0;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
};

// The client's certificate (DER) on `request`'s connection, as a one-element
// chain; empty when it presented none.
std::vector<Bytes> ClientChain(Poco::Net::HTTPServerRequest& request);
// The whole request body.
std::string ReadBody(Poco::Net::HTTPServerRequest& request);

}  // namespace homeca::testing
