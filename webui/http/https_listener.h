// HttpsListener: the HTTPS server and the TLS identity it presents, which can
// be swapped for a renewed one. Poco cannot change a listening socket's
// certificate safely while handshakes run, so a swap stops the old server
// (letting in-flight requests finish) and starts a new one on the same port.
//
// Connections are served by a GuardedHttpServer (deadlines, a cap per source)
// on the listener's own worker pool, which outlives the servers a Swap makes.
//
// Thread-safety: Start/Swap/Stop may be called from different threads (the
// main thread and the renewal timer); they are serialized internally.
#pragma once

#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/ThreadPool.h>

#include <memory>
#include <mutex>
#include <string>

#include "webui/http/guarded_http_server.h"
#include "webui/identity/server_identity.h"

namespace homeca::webui {

struct ListenerOptions {
  std::string bind_address = "0.0.0.0";
  unsigned short port = 443;
  // Sized for a Raspberry Pi (docs/operations.md, "Connection limits"): a
  // worker is a thread (about 100 KiB resident) and a TLS connection some
  // 50 KiB, so 32 of them cost a few MiB, while one source can hold at most
  // `per_source_connections` of them and only until a deadline passes.
  ServerLimits limits = {};
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
  // Twice the workers a server uses: connections of a server stopped by Swap
  // finish on it while the new server's start.
  Poco::ThreadPool pool_;
  std::unique_ptr<GuardedHttpServer> server_;  // destroyed before pool_
};

}  // namespace homeca::webui
