#include "tests/enroll/device/https_test_server.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <openssl/ssl.h>

#include <iterator>

namespace homeca::testing {
namespace {

class Handler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(const HttpsHandler& handler) : handler_(handler) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override {
    handler_(request, response);
  }

 private:
  const HttpsHandler& handler_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(HttpsHandler handler) : handler_(std::move(handler)) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new Handler(handler_);
  }

 private:
  HttpsHandler handler_;
};

Bytes Der(const X509* cert) {
  unsigned char* der = nullptr;
  const int len = i2d_X509(cert, &der);
  if (len <= 0) return {};
  Bytes out(der, der + len);
  OPENSSL_free(der);
  return out;
}

}  // namespace

HttpsTestServer::HttpsTestServer(const std::string& key_file, const std::string& chain_file,
                                 const std::string& root_file, HttpsHandler handler) {
  Poco::Net::Context::Params params;
  params.privateKeyFile = key_file;
  params.certificateFile = chain_file;
  params.caLocation = root_file;
  params.verificationMode = Poco::Net::Context::VERIFY_RELAXED;
  context_ = new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, params);
  // OpenSSL's own verdict, without Poco's process-wide handlers.
  SSL_CTX_set_verify(context_->sslContext(), SSL_VERIFY_PEER, nullptr);
  Poco::Net::SecureServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0), 16, context_);
  port_ = socket.address().port();
  server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(std::move(handler)), socket,
                                                    new Poco::Net::HTTPServerParams);
  server_->start();
}

HttpsTestServer::~HttpsTestServer() { server_->stopAll(true); }

std::vector<Bytes> ClientChain(Poco::Net::HTTPServerRequest& request) {
  Poco::Net::SecureStreamSocket socket(
      static_cast<Poco::Net::HTTPServerRequestImpl&>(request).socket());
  if (!socket.havePeerCertificate()) return {};
  // Poco 1.11 exposes only the leaf (as homecad's handler does).
  return {Der(socket.peerCertificate().certificate())};
}

std::string ReadBody(Poco::Net::HTTPServerRequest& request) {
  return std::string(std::istreambuf_iterator<char>(request.stream()), {});
}

}  // namespace homeca::testing
