// HttpsListener: the HTTPS server and the TLS identity it presents, which can
// be swapped for a renewed one. Poco cannot change a listening socket's
// certificate safely while handshakes run, so a swap stops the old server
// (letting in-flight requests finish) and starts a new one on the same port.
//
// Thread-safety: Start/Swap/Stop may be called from different threads (the
// main thread and the renewal timer); they are serialized internally.
#pragma once

#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>

#include <memory>
#include <mutex>
#include <string>

#include "webui/server_identity.h"

namespace homeca::webui {

struct ListenerOptions {
  std::string bind_address = "0.0.0.0";
  unsigned short port = 443;
  int max_threads = 16;
  int max_queued = 64;
};

class HttpsListener {
 public:
  // `router` serves every request; it is shared by the servers a Swap makes.
  HttpsListener(Poco::Net::HTTPRequestHandlerFactory::Ptr router, std::filesystem::path root_file,
                ListenerOptions options);
  ~HttpsListener();

  void Start(const ServerIdentity& identity);  // throws Poco::Exception if it cannot listen
  void Swap(const ServerIdentity& identity);
  void Stop();
  unsigned short port() const { return options_.port; }

 private:
  void StartLocked(const ServerIdentity& identity);

  Poco::Net::HTTPRequestHandlerFactory::Ptr router_;
  std::filesystem::path root_file_;
  ListenerOptions options_;
  std::mutex mu_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
};

}  // namespace homeca::webui
