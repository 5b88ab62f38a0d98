#include "mdns/avahi_core.h"

#include <avahi-common/error.h>
#include <avahi-common/timeval.h>

#include <vector>

namespace homeca::mdns::avahi {
namespace {

thread_local bool t_in_loop = false;

std::string Describe(int error) {
  switch (error) {
    case AVAHI_ERR_NO_DAEMON:
    case AVAHI_ERR_DISCONNECTED:
      return "avahi-daemon is not running";
    case AVAHI_ERR_DBUS_ERROR:
      return "cannot reach D-Bus (avahi-daemon is not running)";
    default:
      return std::string("Avahi: ") + avahi_strerror(error);
  }
}

}  // namespace

void Timeout::ArmIn(long millis) {
  if (!timeout_) return;
  struct timeval tv;
  avahi_elapse_time(&tv, static_cast<unsigned>(millis), 0);
  api_->timeout_update(timeout_, &tv);
}

LoopLock::LoopLock(AvahiThreadedPoll* poll) : poll_(t_in_loop ? nullptr : poll) {
  if (poll_) avahi_threaded_poll_lock(poll_);
}
LoopLock::~LoopLock() {
  if (poll_) avahi_threaded_poll_unlock(poll_);
}

InLoop::InLoop() : previous_(t_in_loop) { t_in_loop = true; }
InLoop::~InLoop() { t_in_loop = previous_; }

AvahiCore::AvahiCore(CoreOptions options) : options_(std::move(options)) {}

Result<std::shared_ptr<AvahiCore>> AvahiCore::Start(CoreOptions options) {
  std::shared_ptr<AvahiCore> core(new AvahiCore(std::move(options)));
  core->poll_.reset(avahi_threaded_poll_new());
  if (!core->poll_) return Status::Internal("mDNS: cannot create the Avahi event loop");
  core->reconnect_ = std::make_unique<Timeout>(avahi_threaded_poll_get(core->poll_.get()),
                                               &AvahiCore::TimerCallback, core.get());
  if (!core->reconnect_->ok()) return Status::Internal("mDNS: cannot create an Avahi timer");
  {
    // The client's first callback can run inside avahi_client_new; make it
    // behave as it will on the loop thread.
    InLoop in_loop;
    core->Connect();
  }
  if (avahi_threaded_poll_start(core->poll_.get()) < 0) {
    return Status::Internal("mDNS: cannot start the Avahi event thread");
  }
  return core;
}

AvahiCore::~AvahiCore() {
  // Stop the thread first: afterwards nothing else touches these objects.
  if (poll_) avahi_threaded_poll_stop(poll_.get());
  client_.reset();
  reconnect_.reset();
  poll_.reset();
}

void AvahiCore::Connect() {
  int error = 0;
  running_ = nullptr;
  client_.reset(avahi_client_new(avahi_threaded_poll_get(poll_.get()), AVAHI_CLIENT_NO_FAIL,
                                 &AvahiCore::ClientCallback, this, &error));
  if (!client_) {
    // No D-Bus: nothing to wait on, so poll for it.
    SetStatus(MdnsState::kUnavailable, Describe(error));
    reconnect_->ArmIn(static_cast<long>(options_.retry_interval.count()));
  }
}

void AvahiCore::ClientCallback(AvahiClient* client, AvahiClientState state, void* self) {
  InLoop in_loop;
  static_cast<AvahiCore*>(self)->HandleState(client, state);
}

void AvahiCore::HandleState(AvahiClient* client, AvahiClientState state) {
  switch (state) {
    case AVAHI_CLIENT_S_RUNNING: {
      running_ = client;
      SetStatus(MdnsState::kRunning, "");
      // Users may add or remove users from inside their callbacks.
      const std::set<ClientUser*> users = users_;
      for (ClientUser* user : users) {
        if (users_.count(user) && running_ == client) user->OnClientRunning(client);
      }
      break;
    }
    case AVAHI_CLIENT_S_REGISTERING:
    case AVAHI_CLIENT_S_COLLISION: {
      // Our host name is being (re)registered: withdraw, publish again on
      // S_RUNNING under the new name.
      running_ = nullptr;
      SetStatus(MdnsState::kStarting, "avahi-daemon is registering the host name");
      const std::set<ClientUser*> users = users_;
      for (ClientUser* user : users) {
        if (users_.count(user)) user->OnClientReset();
      }
      break;
    }
    case AVAHI_CLIENT_CONNECTING:
      running_ = nullptr;
      SetStatus(MdnsState::kUnavailable, "avahi-daemon is not running");
      NotifyLost();
      break;
    case AVAHI_CLIENT_FAILURE: {
      running_ = nullptr;
      SetStatus(MdnsState::kUnavailable, Describe(avahi_client_errno(client)));
      NotifyLost();
      // Freeing the client inside its own callback is not safe; the timer
      // replaces it on the next turn of the loop.
      replace_client_ = true;
      reconnect_->ArmIn(0);
      break;
    }
  }
}

void AvahiCore::NotifyLost() {
  const std::set<ClientUser*> users = users_;
  for (ClientUser* user : users) {
    if (users_.count(user)) user->OnClientLost();
  }
}

void AvahiCore::TimerCallback(AvahiTimeout*, void* self) {
  InLoop in_loop;
  auto* core = static_cast<AvahiCore*>(self);
  core->reconnect_->Disarm();
  if (core->replace_client_) {
    core->replace_client_ = false;
    core->client_.reset();
  }
  if (!core->client_) core->Connect();
}

void AvahiCore::AddUser(ClientUser* user) {
  users_.insert(user);
  if (running_) user->OnClientRunning(running_);
}

void AvahiCore::RemoveUser(ClientUser* user) { users_.erase(user); }

MdnsStatus AvahiCore::Status() const {
  std::lock_guard<std::mutex> lock(status_mu_);
  return status_;
}

void AvahiCore::OnStatusChange(std::function<void(const MdnsStatus&)> listener) {
  LoopLock loop(poll_.get());  // no status change runs while we swap it
  std::lock_guard<std::mutex> lock(status_mu_);
  listener_ = std::move(listener);
}

void AvahiCore::SetStatus(MdnsState state, std::string detail) {
  MdnsStatus now{state, std::move(detail)};
  std::function<void(const MdnsStatus&)> listener;
  {
    std::lock_guard<std::mutex> lock(status_mu_);
    if (status_.state == now.state && status_.detail == now.detail) return;
    status_ = now;
    listener = listener_;
  }
  if (listener) listener(now);
}

void AvahiCore::Log(const std::string& line) const {
  if (options_.log) options_.log(line);
}

}  // namespace homeca::mdns::avahi
