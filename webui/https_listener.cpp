#include "webui/https_listener.h"

#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/SecureServerSocket.h>

#include "webui/tls_context.h"

namespace homeca::webui {

HttpsListener::HttpsListener(Poco::Net::HTTPRequestHandlerFactory::Ptr router,
                             std::filesystem::path root_file, ListenerOptions options)
    : router_(std::move(router)), root_file_(std::move(root_file)), options_(std::move(options)) {}

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
  auto* params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(options_.max_threads);
  params->setMaxQueued(options_.max_queued);
  params->setKeepAlive(true);
  // Each open connection holds one of the threads; idle browsers' keep-alive
  // sockets must not starve devices and other admins.
  params->setKeepAliveTimeout(Poco::Timespan(2, 0));
  params->setTimeout(Poco::Timespan(10, 0));
  server_ = std::make_unique<Poco::Net::HTTPServer>(router_, socket, params);
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
