#include "webui/http/https_listener.h"

#include <Poco/Net/SecureServerSocket.h>

#include "webui/identity/tls_context.h"

namespace homeca::webui {

HttpsListener::HttpsListener(Poco::Net::HTTPRequestHandlerFactory::Ptr router,
                             std::filesystem::path root_file, ListenerOptions options)
    : router_(std::move(router)),
      root_file_(std::move(root_file)),
      options_(std::move(options)),
      pool_(2, 2 * options_.limits.max_threads, 60) {}

HttpsListener::~HttpsListener() { Stop(); }

void HttpsListener::Start(const ServerIdentity& identity) {
  std::lock_guard<std::mutex> lock(mu_);
  StartLocked(identity);
}

void HttpsListener::StartLocked(const ServerIdentity& identity) {
  Poco::Net::Context::Ptr context = MakeServerTlsContext(identity, root_file_);
  // SO_REUSEADDR (restart right after a stop) but never SO_REUSEPORT: a
  // second homecad on the same port must fail loudly, not share the traffic.
  Poco::Net::SecureServerSocket socket(context);
  socket.bind(Poco::Net::SocketAddress(options_.bind_address, options_.port), true, false);
  socket.listen(64);
  // Port 0 means "any free port" (tests); remember which one we got.
  options_.port = socket.address().port();
  // Each open connection holds one of the workers; idle browsers' keep-alive
  // sockets (2 s, ServerLimits) must not starve devices and other admins.
  server_ = std::make_unique<GuardedHttpServer>(router_, pool_, socket, options_.limits);
  server_->start();
}

void HttpsListener::Swap(const ServerIdentity& identity) {
  std::lock_guard<std::mutex> lock(mu_);
  if (server_) {
    server_->stop();
    server_.reset();
  }
  StartLocked(identity);
}

void HttpsListener::Stop() {
  std::lock_guard<std::mutex> lock(mu_);
  if (server_) {
    server_->stop();
    server_.reset();
  }
}

}  // namespace homeca::webui
