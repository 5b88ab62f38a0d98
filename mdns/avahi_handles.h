// unique_ptr aliases for the Avahi handles homeca owns, one stateless deleter
// per type (as ca/openssl_handles.h does for OpenSSL), plus the event-loop
// lock. Internal to mdns/: nothing outside this folder includes Avahi.
//
// Freeing a client also frees every entry group, browser and resolver made
// from it, so those must be reset before their client (AvahiCore sees to it).
#pragma once

#include <avahi-client/client.h>
#include <avahi-client/lookup.h>
#include <avahi-client/publish.h>
#include <avahi-common/malloc.h>
#include <avahi-common/strlst.h>
#include <avahi-common/thread-watch.h>

#include <memory>

namespace homeca::mdns::avahi {

struct ThreadedPollDeleter {
  void operator()(AvahiThreadedPoll* p) const { avahi_threaded_poll_free(p); }
};
struct ClientDeleter {
  void operator()(AvahiClient* c) const { avahi_client_free(c); }
};
struct EntryGroupDeleter {
  void operator()(AvahiEntryGroup* g) const { avahi_entry_group_free(g); }
};
struct ServiceBrowserDeleter {
  void operator()(AvahiServiceBrowser* b) const { avahi_service_browser_free(b); }
};
struct ServiceResolverDeleter {
  void operator()(AvahiServiceResolver* r) const { avahi_service_resolver_free(r); }
};
struct RecordBrowserDeleter {
  void operator()(AvahiRecordBrowser* b) const { avahi_record_browser_free(b); }
};
struct StringListDeleter {
  void operator()(AvahiStringList* l) const { avahi_string_list_free(l); }
};
struct AvahiStringDeleter {
  void operator()(char* s) const { avahi_free(s); }
};

using ThreadedPollPtr = std::unique_ptr<AvahiThreadedPoll, ThreadedPollDeleter>;
using ClientPtr = std::unique_ptr<AvahiClient, ClientDeleter>;
using EntryGroupPtr = std::unique_ptr<AvahiEntryGroup, EntryGroupDeleter>;
using ServiceBrowserPtr = std::unique_ptr<AvahiServiceBrowser, ServiceBrowserDeleter>;
using ServiceResolverPtr = std::unique_ptr<AvahiServiceResolver, ServiceResolverDeleter>;
using RecordBrowserPtr = std::unique_ptr<AvahiRecordBrowser, RecordBrowserDeleter>;
using StringListPtr = std::unique_ptr<AvahiStringList, StringListDeleter>;
using AvahiStringPtr = std::unique_ptr<char, AvahiStringDeleter>;

// A timeout on the poll's API: freeing needs the API it came from.
class Timeout {
 public:
  Timeout(const AvahiPoll* api, AvahiTimeoutCallback callback, void* userdata)
      : api_(api), timeout_(api->timeout_new(api, nullptr, callback, userdata)) {}
  ~Timeout() {
    if (timeout_) api_->timeout_free(timeout_);
  }
  Timeout(const Timeout&) = delete;
  Timeout& operator=(const Timeout&) = delete;
  bool ok() const { return timeout_ != nullptr; }
  // Fires once after `millis`; replaces any pending time.
  void ArmIn(long millis);
  void Disarm() {
    if (timeout_) api_->timeout_update(timeout_, nullptr);
  }

 private:
  const AvahiPoll* api_;
  AvahiTimeout* timeout_;
};

// Holds the event loop's lock for a scope, unless the calling thread *is*
// the event loop (inside one of our callbacks), which already holds it:
// Avahi's lock is not recursive.
class LoopLock {
 public:
  explicit LoopLock(AvahiThreadedPoll* poll);
  ~LoopLock();
  LoopLock(const LoopLock&) = delete;
  LoopLock& operator=(const LoopLock&) = delete;

 private:
  AvahiThreadedPoll* poll_;
};

// Marks the current thread as the event loop for the duration of a callback
// (every C callback we give Avahi starts with one).
class InLoop {
 public:
  InLoop();
  ~InLoop();
  InLoop(const InLoop&) = delete;
  InLoop& operator=(const InLoop&) = delete;

 private:
  bool previous_;
};

}  // namespace homeca::mdns::avahi
