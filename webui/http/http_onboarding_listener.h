// HttpOnboardingListener: the plain-HTTP server (--http-port, default 80).
// It serves only the read-only onboarding content (a phone that does not
// trust the root yet cannot use HTTPS) and the CRL (/crl.der, /crl.pem), and
// sends everything else to HTTPS.
//
// Thread-safety: Start and Stop from one thread (the daemon's main).
#pragma once

#include <Poco/ThreadPool.h>

#include <memory>
#include <string>

#include "webui/daemon/web_context.h"
#include "webui/http/guarded_http_server.h"

namespace homeca::webui {

class HttpOnboardingListener {
 public:
  HttpOnboardingListener(WebContext& web, std::string bind_address, unsigned short port);
  ~HttpOnboardingListener();

  // Throws Poco::Exception when it cannot listen. Port 0 picks a free port.
  void Start();
  void Stop();
  unsigned short port() const { return port_; }

 private:
  WebContext& web_;
  std::string bind_address_;
  unsigned short port_;
  // Its own threads: Poco's default pool (16) is what the HTTPS listener
  // uses, and a browser's idle keep-alive connections each hold a thread.
  Poco::ThreadPool pool_;
  std::unique_ptr<GuardedHttpServer> server_;  // destroyed before pool_
};

}  // namespace homeca::webui
