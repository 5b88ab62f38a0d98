#include "webui/http_onboarding_listener.h"

#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/URI.h>

#include "webui/body_draining_handler.h"
#include "webui/onboarding_handler.h"

namespace homeca::webui {
namespace {

class OnboardingRouter : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit OnboardingRouter(WebContext& web) : web_(web) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest& request) override {
    const std::string& uri = request.getURI();
    const std::string path = uri.substr(0, uri.find('?'));
    if (IsOnboardingPath(path)) return new BodyDrainingHandler(new OnboardingHandler(web_, false));
    return new BodyDrainingHandler(new HttpsRedirectHandler(web_));
  }

 private:
  WebContext& web_;
};

}  // namespace

HttpOnboardingListener::HttpOnboardingListener(WebContext& web, std::string bind_address,
                                               unsigned short port)
    : web_(web), bind_address_(std::move(bind_address)), port_(port) {}

HttpOnboardingListener::~HttpOnboardingListener() { Stop(); }

void HttpOnboardingListener::Start() {
  Poco::Net::ServerSocket socket;
  // As the HTTPS listener: SO_REUSEADDR, never SO_REUSEPORT.
  socket.bind(Poco::Net::SocketAddress(bind_address_, port_), true, false);
  socket.listen(32);
  port_ = socket.address().port();
  auto* params = new Poco::Net::HTTPServerParams;
  // A handful of phones at a time; these pages are small and static.
  params->setMaxThreads(4);
  params->setMaxQueued(32);
  params->setKeepAlive(true);
  // Poco gives each open connection a thread: an idle keep-alive socket must
  // let go quickly, or four idle phones would stall the page for everyone.
  params->setKeepAliveTimeout(Poco::Timespan(1, 0));
  params->setTimeout(Poco::Timespan(10, 0));
  server_ = std::make_unique<Poco::Net::HTTPServer>(new OnboardingRouter(web_), socket, params);
  server_->start();
}

void HttpOnboardingListener::Stop() {
  if (server_) {
    server_->stop();
    server_.reset();
  }
}

}  // namespace homeca::webui
