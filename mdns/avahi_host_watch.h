// Watching one host name on Avahi: two record browsers (A and AAAA, class
// IN, every interface) feeding a HostRecordSet, which validates and bounds
// what the network says. Internal to mdns/ (see mdns.h for the contract).
//
// Thread-safety: everything runs with the loop lock held (constructor and
// destructor take it); the callback runs on the loop thread.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "mdns/avahi_core.h"
#include "mdns/host_record_set.h"

namespace homeca::mdns::avahi {

class AvahiHostWatch final : public Browser, private ClientUser {
 public:
  // `host` canonical (AvahiMdns checks).
  AvahiHostWatch(std::shared_ptr<AvahiCore> core, std::string host,
                 std::function<void(const HostSighting&)> on_change);
  ~AvahiHostWatch() override;

 private:
  void OnClientRunning(AvahiClient* client) override;
  void OnClientReset() override {}
  void OnClientLost() override;
  static void RecordCallback(AvahiRecordBrowser* browser, AvahiIfIndex interface,
                             AvahiProtocol protocol, AvahiBrowserEvent event, const char* name,
                             uint16_t clazz, uint16_t type, const void* rdata, size_t size,
                             AvahiLookupResultFlags flags, void* self);
  void HandleRecord(AvahiRecordBrowser* browser, AvahiIfIndex interface, AvahiProtocol protocol,
                    AvahiBrowserEvent event, const char* name, uint16_t clazz, uint16_t type,
                    const void* rdata, size_t size, AvahiLookupResultFlags flags);
  void Emit();

  std::shared_ptr<AvahiCore> core_;
  const std::string host_;
  std::function<void(const HostSighting&)> on_change_;
  // All below: loop lock held.
  RecordBrowserPtr a_browser_;
  RecordBrowserPtr aaaa_browser_;
  HostRecordSet records_;
  int all_for_now_ = 0;    // browsers that reported their first answers
  bool reported_ = false;  // the first sighting went out
};

}  // namespace homeca::mdns::avahi
