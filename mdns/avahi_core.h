// AvahiCore: the Avahi event loop on its own thread (AvahiThreadedPoll) and
// the one AvahiClient, kept alive across avahi-daemon restarts. Publications
// and browsers register as ClientUsers and are told when the client becomes
// usable (register now), resets (host name collision: withdraw, wait) or is
// lost (avahi-daemon or D-Bus went away: every Avahi object made from the old
// client is dead).
//
// How it stays connected: the client is made with AVAHI_CLIENT_NO_FAIL, so
// with no avahi-daemon it waits for one to appear. When the daemon goes away
// the client fails; the core then frees it and makes a new one, which waits
// again. With no D-Bus at all a client cannot even be made: the core retries
// every `retry_interval`.
//
// Thread-safety: the public members take the loop lock themselves (see
// LoopLock); ClientUser callbacks run on the loop thread with it held.
// Ownership: shared by the AvahiMdns and every handle it made, so it lives
// until the last of them is gone.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "ca/base/status.h"
#include "mdns/avahi_handles.h"
#include "mdns/mdns.h"

namespace homeca::mdns::avahi {

class ClientUser {
 public:
  virtual void OnClientRunning(AvahiClient* client) = 0;
  virtual void OnClientReset() = 0;
  virtual void OnClientLost() = 0;

 protected:
  ~ClientUser() = default;
};

struct CoreOptions {
  std::chrono::milliseconds retry_interval{5000};
  std::function<void(const std::string&)> log;  // runs on the loop thread; may be empty
};

class AvahiCore {
 public:
  static Result<std::shared_ptr<AvahiCore>> Start(CoreOptions options);
  ~AvahiCore();
  AvahiCore(const AvahiCore&) = delete;
  AvahiCore& operator=(const AvahiCore&) = delete;

  AvahiThreadedPoll* poll() const { return poll_.get(); }
  // Adds `user` and, if the client is running, calls OnClientRunning at once.
  // Caller holds the loop lock.
  void AddUser(ClientUser* user);
  // Caller holds the loop lock; no callback reaches `user` afterwards.
  void RemoveUser(ClientUser* user);

  MdnsStatus Status() const;
  void OnStatusChange(std::function<void(const MdnsStatus&)> listener);
  void Log(const std::string& line) const;

 private:
  explicit AvahiCore(CoreOptions options);
  static void ClientCallback(AvahiClient* client, AvahiClientState state, void* self);
  static void TimerCallback(AvahiTimeout* timeout, void* self);
  void Connect();
  void HandleState(AvahiClient* client, AvahiClientState state);
  void SetStatus(MdnsState state, std::string detail);
  void NotifyLost();

  CoreOptions options_;
  ThreadedPollPtr poll_;
  std::unique_ptr<Timeout> reconnect_;
  ClientPtr client_;
  AvahiClient* running_ = nullptr;  // the client while S_RUNNING, else null
  bool replace_client_ = false;     // the timer must free client_ and connect again
  std::set<ClientUser*> users_;

  mutable std::mutex status_mu_;
  MdnsStatus status_;
  std::function<void(const MdnsStatus&)> listener_;
};

}  // namespace homeca::mdns::avahi
