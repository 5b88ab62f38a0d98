#include "webui/http/guarded_http_server.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerConnectionFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/TCPServerConnection.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <utility>

#include "webui/http/source_key.h"

namespace homeca::webui {

using SteadyTime = std::chrono::steady_clock::time_point;

namespace {

SteadyTime After(const Poco::Timespan& span) {
  return std::chrono::steady_clock::now() + std::chrono::microseconds(span.totalMicroseconds());
}

// A descriptor this file owns (a dup of a connection's socket).
class OwnedFd {
 public:
  explicit OwnedFd(int fd) : fd_(fd) {}
  OwnedFd(OwnedFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  OwnedFd& operator=(OwnedFd&&) = delete;
  OwnedFd(const OwnedFd&) = delete;
  ~OwnedFd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

// The state shared by the accept thread (the filter), the workers (the
// connections) and the watchdog thread; kept alive by whoever still uses it.
class GuardedHttpServer::Guards {
 public:
  explicit Guards(const ServerLimits& limits) : limits_(limits) {
    watchdog_ = std::thread([this] { RunWatchdog(); });
  }
  ~Guards() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
    }
    wake_.notify_all();
    watchdog_.join();
  }
  const ServerLimits& limits() const { return limits_; }

  // In the accept thread: admits `socket` when its source is under the cap.
  bool Admit(const Poco::Net::StreamSocket& socket) {
    std::string key;
    try {
      key = SourceKey(socket.peerAddress().host().toString());
    } catch (const Poco::Exception&) {
      return false;  // gone already
    }
    std::lock_guard<std::mutex> lock(mu_);
    int& count = per_source_[key];
    if (count >= limits_.per_source_connections) return false;
    ++count;
    admitted_[socket.impl()] = key;
    return true;
  }
  // When an admitted connection ends (its handler object is destroyed).
  void Release(const Poco::Net::Socket& socket) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = admitted_.find(socket.impl());
    if (it == admitted_.end()) return;
    auto count = per_source_.find(it->second);
    if (count != per_source_.end() && --count->second <= 0) per_source_.erase(count);
    admitted_.erase(it);
  }

  // Deadlines. The watchdog holds its own duplicate of the descriptor, so a
  // shutdown never reaches a descriptor number the worker closed and the
  // kernel gave to someone else; shutdown(2) acts on the socket behind both.
  std::uint64_t Watch(int fd, SteadyTime deadline) {
    OwnedFd copy(::dup(fd));
    if (copy.get() < 0) return 0;
    std::lock_guard<std::mutex> lock(mu_);
    const std::uint64_t id = ++next_id_;
    deadlines_.emplace(id, Deadline{std::move(copy), deadline});
    WakeWatchdogBefore(deadline);
    return id;
  }
  void Rearm(std::uint64_t id, SteadyTime deadline) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = deadlines_.find(id);
    if (it != deadlines_.end()) it->second.deadline = deadline;
    WakeWatchdogBefore(deadline);
  }
  void Unwatch(std::uint64_t id) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = deadlines_.find(id);
    if (it != deadlines_.end()) deadlines_.erase(it);  // closes the copy
  }

 private:
  struct Deadline {
    OwnedFd fd;
    SteadyTime deadline;
  };

  // Under mu_. Every request rearms twice; waking the watchdog each time
  // cost two context switches per request. It needs waking only when the
  // new deadline comes before the one it already sleeps until: a deadline
  // moved later is found later at the earlier wake-up.
  void WakeWatchdogBefore(SteadyTime deadline) {
    if (deadline < watchdog_wakes_at_) wake_.notify_all();
  }

  void RunWatchdog() {
    std::unique_lock<std::mutex> lock(mu_);
    while (!stopping_) {
      SteadyTime next = SteadyTime::max();
      const SteadyTime now = std::chrono::steady_clock::now();
      for (auto& [id, entry] : deadlines_) {
        if (entry.deadline <= now) {
          ::shutdown(entry.fd.get(), SHUT_RDWR);  // the worker's read returns at once
          entry.deadline = SteadyTime::max();
        } else if (entry.deadline < next) {
          next = entry.deadline;
        }
      }
      watchdog_wakes_at_ = next;
      if (next == SteadyTime::max()) {
        wake_.wait(lock);
      } else {
        wake_.wait_until(lock, next);
      }
    }
  }

  const ServerLimits limits_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::map<const Poco::Net::SocketImpl*, std::string> admitted_;
  std::map<std::string, int> per_source_;
  std::map<std::uint64_t, Deadline> deadlines_;
  std::uint64_t next_id_ = 0;
  SteadyTime watchdog_wakes_at_ = SteadyTime::min();  // until it first sleeps
  std::thread watchdog_;
};

namespace {

using Guards = GuardedHttpServer::Guards;

// The connection a worker thread is serving, for the router wrapper below
// (Poco calls the request handler factory on the connection's own thread).
struct CurrentConnection {
  Guards* guards = nullptr;
  std::uint64_t watch_id = 0;
};
thread_local CurrentConnection current;

class Filter : public Poco::Net::TCPServerConnectionFilter {
 public:
  Filter(std::shared_ptr<Guards> guards, const Poco::Net::TCPServer* server)
      : guards_(std::move(guards)), server_(server) {}
  bool accept(const Poco::Net::StreamSocket& socket) override {
    // Only this thread adds to the queue, so a check here holds until the
    // enqueue: a connection the dispatcher would drop is never counted.
    if (server_->queuedConnections() >= guards_->limits().max_queued) return false;
    return guards_->Admit(socket);
  }

 private:
  std::shared_ptr<Guards> guards_;
  const Poco::Net::TCPServer* server_;
};

class GuardedConnection : public Poco::Net::TCPServerConnection {
 public:
  GuardedConnection(const Poco::Net::StreamSocket& socket, Poco::Net::TCPServerConnection* inner,
                    std::shared_ptr<Guards> guards)
      : TCPServerConnection(socket), inner_(inner), guards_(std::move(guards)) {}
  ~GuardedConnection() override { guards_->Release(socket()); }

  void run() override {
    const std::uint64_t id =
        guards_->Watch(socket().impl()->sockfd(), After(guards_->limits().header_deadline));
    current = {guards_.get(), id};
    struct Done {
      Guards& guards;
      std::uint64_t id;
      ~Done() {
        current = {};
        guards.Unwatch(id);
      }
    } done{*guards_, id};
    inner_->run();
  }

 private:
  std::unique_ptr<Poco::Net::TCPServerConnection> inner_;
  std::shared_ptr<Guards> guards_;
};

class GuardedConnectionFactory : public Poco::Net::TCPServerConnectionFactory {
 public:
  GuardedConnectionFactory(Poco::Net::HTTPServerParams::Ptr params,
                           Poco::Net::HTTPRequestHandlerFactory::Ptr router,
                           std::shared_ptr<Guards> guards)
      : http_(std::move(params), std::move(router)), guards_(std::move(guards)) {}
  Poco::Net::TCPServerConnection* createConnection(const Poco::Net::StreamSocket& socket) override {
    return new GuardedConnection(socket, http_.createConnection(socket), guards_);
  }

 private:
  Poco::Net::HTTPServerConnectionFactory http_;
  std::shared_ptr<Guards> guards_;
};

// Ends the headers deadline when a request's headers are in, and starts the
// next one (for the next request on a kept-alive connection) when its
// handler is done.
class RearmingHandler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit RearmingHandler(Poco::Net::HTTPRequestHandler* inner) : inner_(inner) {}
  ~RearmingHandler() override {
    if (current.guards) {
      current.guards->Rearm(current.watch_id, After(current.guards->limits().header_deadline));
    }
  }
  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override {
    inner_->handleRequest(request, response);
  }

 private:
  std::unique_ptr<Poco::Net::HTTPRequestHandler> inner_;
};

class DeadlineRouter : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit DeadlineRouter(Poco::Net::HTTPRequestHandlerFactory::Ptr inner)
      : inner_(std::move(inner)) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest& request) override {
    if (current.guards) {
      current.guards->Rearm(current.watch_id, After(current.guards->limits().request_deadline));
    }
    Poco::Net::HTTPRequestHandler* handler = inner_->createRequestHandler(request);
    return handler ? new RearmingHandler(handler) : nullptr;
  }

 private:
  Poco::Net::HTTPRequestHandlerFactory::Ptr inner_;
};

}  // namespace

GuardedHttpServer::GuardedHttpServer(Poco::Net::HTTPRequestHandlerFactory::Ptr router,
                                     Poco::ThreadPool& pool, const Poco::Net::ServerSocket& socket,
                                     const ServerLimits& limits)
    : guards_(std::make_shared<Guards>(limits)) {
  Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(limits.max_threads);
  params->setMaxQueued(limits.max_queued);
  params->setKeepAlive(true);
  params->setKeepAliveTimeout(limits.keep_alive_timeout);
  params->setTimeout(limits.read_timeout);
  Poco::Net::HTTPRequestHandlerFactory::Ptr guarded_router = new DeadlineRouter(std::move(router));
  server_ = std::make_unique<Poco::Net::TCPServer>(
      new GuardedConnectionFactory(params, guarded_router, guards_), pool, socket, params);
  server_->setConnectionFilter(new Filter(guards_, server_.get()));
}

GuardedHttpServer::~GuardedHttpServer() { stop(); }

void GuardedHttpServer::start() { server_->start(); }

void GuardedHttpServer::stop() {
  if (server_) {
    server_->stop();
    server_.reset();
  }
}

}  // namespace homeca::webui
