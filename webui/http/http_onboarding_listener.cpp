#include "webui/http/http_onboarding_listener.h"

#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/URI.h>

#include "webui/endpoints/crl_handler.h"
#include "webui/http/body_draining_handler.h"
#include "webui/onboarding/onboarding_handler.h"

namespace homeca::webui {
namespace {

// A few phones and browsers at a time (a browser opens up to six connections
// to one host and keeps them open): the pages are small, so idle connections
// are let go after a few seconds, and one source holds at most 6 workers.
ServerLimits OnboardingLimits() {
  ServerLimits limits;
  limits.max_threads = 16;
  limits.max_queued = 32;
  limits.per_source_connections = 6;
  limits.keep_alive_timeout = Poco::Timespan(3, 0);
  return limits;
}

class OnboardingRouter : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit OnboardingRouter(WebContext& web) : web_(web) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest& request) override {
    const std::string& uri = request.getURI();
    const std::string path = uri.substr(0, uri.find('?'));
    if (IsOnboardingPath(path)) return new BodyDrainingHandler(new OnboardingHandler(web_, false));
    if (IsCrlPath(path)) return new BodyDrainingHandler(new CrlHandler(web_, false));
    return new BodyDrainingHandler(new HttpsRedirectHandler(web_));
  }

 private:
  WebContext& web_;
};

}  // namespace

HttpOnboardingListener::HttpOnboardingListener(WebContext& web, std::string bind_address,
                                               unsigned short port)
    : web_(web),
      bind_address_(std::move(bind_address)),
      port_(port),
      pool_(1, OnboardingLimits().max_threads, 30) {}

HttpOnboardingListener::~HttpOnboardingListener() { Stop(); }

void HttpOnboardingListener::Start() {
  Poco::Net::ServerSocket socket;
  // As the HTTPS listener: SO_REUSEADDR, never SO_REUSEPORT.
  socket.bind(Poco::Net::SocketAddress(bind_address_, port_), true, false);
  socket.listen(32);
  port_ = socket.address().port();
  server_ = std::make_unique<GuardedHttpServer>(new OnboardingRouter(web_), pool_, socket,
                                                OnboardingLimits());
  server_->start();
}

void HttpOnboardingListener::Stop() {
  if (server_) {
    server_->stop();
    server_.reset();
  }
}

}  // namespace homeca::webui
