// One browsed service type on Avahi: a service browser, a resolver per
// sighting (kept open, so TXT and address changes are reported), and a
// ServiceMerger folding sightings into services. Everything read from the
// network is sanitized (untrusted_text.h) before it reaches the consumer.
// Internal to mdns/ (see mdns.h for the contract).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>

#include "mdns/avahi_core.h"
#include "mdns/service_merger.h"

namespace homeca::mdns::avahi {

class AvahiBrowser final : public Browser, private ClientUser {
 public:
  AvahiBrowser(std::shared_ptr<AvahiCore> core, std::string type,
               std::function<void(const BrowseEvent&)> on_event);
  ~AvahiBrowser() override;

 private:
  // What a resolver callback needs to find its sighting again.
  struct Sighting {
    AvahiBrowser* self = nullptr;
    ServiceKey key;
    SightingOrigin origin;
    ServiceResolverPtr resolver;
  };

  void OnClientRunning(AvahiClient* client) override;
  void OnClientReset() override {}
  void OnClientLost() override;

  static void BrowseCallback(AvahiServiceBrowser* browser, AvahiIfIndex interface,
                             AvahiProtocol protocol, AvahiBrowserEvent event, const char* name,
                             const char* type, const char* domain, AvahiLookupResultFlags flags,
                             void* self);
  static void ResolveCallback(AvahiServiceResolver* resolver, AvahiIfIndex interface,
                              AvahiProtocol protocol, AvahiResolverEvent event, const char* name,
                              const char* type, const char* domain, const char* host_name,
                              const AvahiAddress* address, uint16_t port, AvahiStringList* txt,
                              AvahiLookupResultFlags flags, void* sighting);
  void ItemNew(AvahiServiceBrowser* browser, AvahiIfIndex interface, AvahiProtocol protocol,
               const char* name, const char* domain);
  void ItemRemove(AvahiIfIndex interface, AvahiProtocol protocol, const char* name,
                  const char* domain);
  void Found(Sighting& sighting, const char* host_name, const AvahiAddress* address, uint16_t port,
             AvahiStringList* txt, AvahiLookupResultFlags flags);
  void Emit(BrowseEvent::Kind kind, ResolvedService service);

  std::shared_ptr<AvahiCore> core_;
  const std::string type_;
  std::function<void(const BrowseEvent&)> on_event_;
  // All below: loop lock held.
  ServiceBrowserPtr browser_;
  ServiceMerger merger_;
  std::map<std::pair<SightingOrigin, ServiceKey>, std::unique_ptr<Sighting>> sightings_;
  bool warned_full_ = false;
};

}  // namespace homeca::mdns::avahi
