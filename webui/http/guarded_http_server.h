// GuardedHttpServer: Poco's HTTP server with the limits a LAN appliance needs
// so that one slow or greedy host cannot take the service away from the
// others (issue 11, defect 4). Poco alone only bounds each read (a client
// sending one byte every few seconds keeps a worker forever) and shares its
// workers first come, first served. On top of it:
//   - a total deadline for the TLS handshake plus the request line and
//     headers, and another for the rest of a request (body, handler,
//     response); when one passes the socket is shut down, which ends the
//     blocked read at once;
//   - at most `per_source_connections` connections at a time from one source
//     (webui/http/source_key.h: an address, or an IPv6 /64); one more is closed
//     as soon as it is accepted, before TLS or a worker is spent on it;
//   - its own worker pool, sized by the caller (see docs/operations.md).
//
// Ownership: borrows `pool`, which must outlive every connection (the
// listener owns both and destroys the server first). Connections still
// running after stop() keep the guards they need alive.
// Thread-safety: start/stop from one thread at a time.
#pragma once

#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/TCPServer.h>
#include <Poco/ThreadPool.h>
#include <Poco/Timespan.h>

#include <memory>

namespace homeca::webui {

struct ServerLimits {
  int max_threads = 32;  // workers serving connections
  int max_queued = 64;   // accepted connections waiting for a worker
  // 16: one laptop with two browsers on the admin pages (Chromium and
  // Firefox each open up to 6 connections to a host, plus service-worker
  // and preconnect fetches) must not be turned away; a 9th connection was,
  // and the page failed with ERR_CONNECTION_RESET. One host still holds at
  // most half of the 32 HTTPS workers, each only until its deadline.
  int per_source_connections = 16;
  Poco::Timespan header_deadline = Poco::Timespan(10, 0);    // handshake + headers
  Poco::Timespan request_deadline = Poco::Timespan(60, 0);   // body + handler + response
  Poco::Timespan read_timeout = Poco::Timespan(10, 0);       // any one read or write
  Poco::Timespan keep_alive_timeout = Poco::Timespan(2, 0);  // idle between requests
};

class GuardedHttpServer {
 public:
  GuardedHttpServer(Poco::Net::HTTPRequestHandlerFactory::Ptr router, Poco::ThreadPool& pool,
                    const Poco::Net::ServerSocket& socket, const ServerLimits& limits);
  ~GuardedHttpServer();

  void start();
  void stop();

  class Guards;  // internal: the per-source book and the deadline watchdog

 private:
  std::shared_ptr<Guards> guards_;
  std::unique_ptr<Poco::Net::TCPServer> server_;
};

}  // namespace homeca::webui
