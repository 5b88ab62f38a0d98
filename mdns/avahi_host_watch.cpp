#include "mdns/avahi_host_watch.h"

#include <avahi-common/defs.h>
#include <avahi-common/domain.h>
#include <avahi-common/error.h>

namespace homeca::mdns::avahi {

AvahiHostWatch::AvahiHostWatch(std::shared_ptr<AvahiCore> core, std::string host,
                               std::function<void(const HostSighting&)> on_change)
    : core_(std::move(core)),
      host_(std::move(host)),
      on_change_(std::move(on_change)),
      records_(host_) {
  LoopLock lock(core_->poll());
  core_->AddUser(this);
}

AvahiHostWatch::~AvahiHostWatch() {
  LoopLock lock(core_->poll());
  core_->RemoveUser(this);
  a_browser_.reset();
  aaaa_browser_.reset();
}

void AvahiHostWatch::OnClientRunning(AvahiClient* client) {
  if (a_browser_ || aaaa_browser_) return;
  all_for_now_ = 0;
  for (auto [slot, type] :
       {std::pair{&a_browser_, AVAHI_DNS_TYPE_A}, std::pair{&aaaa_browser_, AVAHI_DNS_TYPE_AAAA}}) {
    slot->reset(avahi_record_browser_new(client, AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC, host_.c_str(),
                                         AVAHI_DNS_CLASS_IN, type, AvahiLookupFlags(0),
                                         &AvahiHostWatch::RecordCallback, this));
    if (!*slot) {
      core_->Log("mDNS: cannot watch " + host_ + ": " + avahi_strerror(avahi_client_errno(client)));
    }
  }
}

void AvahiHostWatch::OnClientLost() {
  a_browser_.reset();
  aaaa_browser_.reset();
  all_for_now_ = 0;
  const bool changed = records_.Clear();
  if (changed) Emit();
  reported_ = false;  // the next first answers are reported again
}

void AvahiHostWatch::RecordCallback(AvahiRecordBrowser* browser, AvahiIfIndex interface,
                                    AvahiProtocol protocol, AvahiBrowserEvent event,
                                    const char* name, uint16_t clazz, uint16_t type,
                                    const void* rdata, size_t size, AvahiLookupResultFlags flags,
                                    void* self) {
  InLoop in_loop;
  static_cast<AvahiHostWatch*>(self)->HandleRecord(browser, interface, protocol, event, name, clazz,
                                                   type, rdata, size, flags);
}

void AvahiHostWatch::HandleRecord(AvahiRecordBrowser* browser, AvahiIfIndex interface,
                                  AvahiProtocol protocol, AvahiBrowserEvent event, const char* name,
                                  uint16_t clazz, uint16_t type, const void* rdata, size_t size,
                                  AvahiLookupResultFlags flags) {
  switch (event) {
    case AVAHI_BROWSER_NEW:
    case AVAHI_BROWSER_REMOVE: {
      // Only what we asked for: the record's name, class and type must match
      // the browser that reported it, and the data length the type
      // (HostRecordSet checks that).
      const bool ipv6 = browser == aaaa_browser_.get();
      if (!name || !avahi_domain_equal(name, host_.c_str()) || clazz != AVAHI_DNS_CLASS_IN ||
          type != (ipv6 ? AVAHI_DNS_TYPE_AAAA : AVAHI_DNS_TYPE_A)) {
        return;
      }
      const RecordOrigin origin{static_cast<int>(interface), static_cast<int>(protocol)};
      const bool changed =
          event == AVAHI_BROWSER_NEW
              ? records_.Added(origin, ipv6, rdata, size, (flags & AVAHI_LOOKUP_RESULT_LOCAL) != 0)
              : records_.Removed(origin, ipv6, rdata, size);
      if (changed) Emit();
      break;
    }
    case AVAHI_BROWSER_ALL_FOR_NOW:
      if (++all_for_now_ == 2 && !reported_) Emit();
      break;
    case AVAHI_BROWSER_FAILURE:
      core_->Log("mDNS: watching " + host_ + " failed: " +
                 avahi_strerror(avahi_client_errno(avahi_record_browser_get_client(browser))));
      break;
    case AVAHI_BROWSER_CACHE_EXHAUSTED:
      break;
  }
}

void AvahiHostWatch::Emit() {
  reported_ = true;
  if (on_change_) on_change_(records_.Sighting());
}

}  // namespace homeca::mdns::avahi
