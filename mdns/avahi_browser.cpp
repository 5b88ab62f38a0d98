#include "mdns/avahi_browser.h"

#include <avahi-common/address.h>
#include <avahi-common/error.h>
#include <net/if.h>

#include <string_view>
#include <vector>

#include "mdns/untrusted_text.h"

namespace homeca::mdns::avahi {
namespace {

// The domain is "local" in practice; anything else is still bounded text.
constexpr std::size_t kMaxDomainBytes = 255;

ServiceKey KeyFor(const char* name, const std::string& type, const char* domain) {
  return ServiceKey{SanitizeText(name ? name : "", kMaxInstanceNameBytes), type,
                    SanitizeText(domain ? domain : "", kMaxDomainBytes)};
}

std::vector<std::string_view> TxtStrings(AvahiStringList* txt) {
  std::vector<std::string_view> strings;
  // A hostile record may carry thousands of strings; look at a few more than
  // we keep, so ParseTxt still sees (and reports) that some were dropped.
  for (AvahiStringList* l = txt; l && strings.size() <= kMaxTxtEntries * 2;
       l = avahi_string_list_get_next(l)) {
    strings.emplace_back(reinterpret_cast<const char*>(avahi_string_list_get_text(l)),
                         avahi_string_list_get_size(l));
  }
  return strings;
}

}  // namespace

AvahiBrowser::AvahiBrowser(std::shared_ptr<AvahiCore> core, std::string type,
                           std::function<void(const BrowseEvent&)> on_event)
    : core_(std::move(core)), type_(std::move(type)), on_event_(std::move(on_event)) {
  LoopLock lock(core_->poll());
  core_->AddUser(this);
}

AvahiBrowser::~AvahiBrowser() {
  LoopLock lock(core_->poll());
  core_->RemoveUser(this);
  sightings_.clear();
  browser_.reset();
}

void AvahiBrowser::OnClientRunning(AvahiClient* client) {
  if (browser_) return;
  browser_.reset(avahi_service_browser_new(client, AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC,
                                           type_.c_str(), nullptr, AvahiLookupFlags(0),
                                           &AvahiBrowser::BrowseCallback, this));
  if (!browser_) {
    core_->Log("mDNS: cannot browse " + type_ + ": " + avahi_strerror(avahi_client_errno(client)));
  }
}

void AvahiBrowser::OnClientLost() {
  sightings_.clear();
  browser_.reset();
  for (ServiceKey& key : merger_.Clear()) {
    ResolvedService gone;
    gone.key = std::move(key);
    Emit(BrowseEvent::Kind::kRemoved, std::move(gone));
  }
}

void AvahiBrowser::BrowseCallback(AvahiServiceBrowser* browser, AvahiIfIndex interface,
                                  AvahiProtocol protocol, AvahiBrowserEvent event, const char* name,
                                  const char*, const char* domain, AvahiLookupResultFlags,
                                  void* self) {
  InLoop in_loop;
  auto* me = static_cast<AvahiBrowser*>(self);
  switch (event) {
    case AVAHI_BROWSER_NEW:
      me->ItemNew(browser, interface, protocol, name, domain);
      break;
    case AVAHI_BROWSER_REMOVE:
      me->ItemRemove(interface, protocol, name, domain);
      break;
    case AVAHI_BROWSER_ALL_FOR_NOW:
      me->Emit(BrowseEvent::Kind::kAllForNow, ResolvedService{});
      break;
    case AVAHI_BROWSER_FAILURE:
      me->core_->Log("mDNS: browsing " + me->type_ + " failed: " +
                     avahi_strerror(avahi_client_errno(avahi_service_browser_get_client(browser))));
      break;
    case AVAHI_BROWSER_CACHE_EXHAUSTED:
      break;
  }
}

void AvahiBrowser::ItemNew(AvahiServiceBrowser* browser, AvahiIfIndex interface,
                           AvahiProtocol protocol, const char* name, const char* domain) {
  if (!name || !domain) return;
  ServiceKey key = KeyFor(name, type_, domain);
  SightingOrigin origin{interface, protocol, name};
  if (!merger_.Seen(key, origin)) {
    if (!warned_full_) {
      warned_full_ = true;
      core_->Log("mDNS: more than " + std::to_string(kMaxServicesPerBrowse) + " " + type_ +
                 " services on the LAN; ignoring the rest");
    }
    return;
  }
  auto& slot = sightings_[{origin, key}];
  if (slot) return;  // already resolving
  slot = std::make_unique<Sighting>();
  slot->self = this;
  slot->key = key;
  slot->origin = origin;
  // Resolve over the protocol it was seen on, asking for an address of the
  // same family: one sighting, one address.
  slot->resolver.reset(avahi_service_resolver_new(
      avahi_service_browser_get_client(browser), interface, protocol, name, type_.c_str(), domain,
      protocol, AvahiLookupFlags(0), &AvahiBrowser::ResolveCallback, slot.get()));
  if (!slot->resolver) {
    core_->Log("mDNS: cannot resolve a " + type_ + " service: " +
               avahi_strerror(avahi_client_errno(avahi_service_browser_get_client(browser))));
  }
}

void AvahiBrowser::ItemRemove(AvahiIfIndex interface, AvahiProtocol protocol, const char* name,
                              const char* domain) {
  if (!name || !domain) return;
  ServiceKey key = KeyFor(name, type_, domain);
  SightingOrigin origin{interface, protocol, name};
  sightings_.erase({origin, key});
  bool gone = false;
  std::optional<ResolvedService> changed = merger_.Removed(key, origin, gone);
  if (gone) {
    ResolvedService removed;
    removed.key = std::move(key);
    Emit(BrowseEvent::Kind::kRemoved, std::move(removed));
  } else if (changed) {
    Emit(BrowseEvent::Kind::kResolved, std::move(*changed));
  }
}

void AvahiBrowser::ResolveCallback(AvahiServiceResolver*, AvahiIfIndex, AvahiProtocol,
                                   AvahiResolverEvent event, const char*, const char*, const char*,
                                   const char* host_name, const AvahiAddress* address,
                                   uint16_t port, AvahiStringList* txt,
                                   AvahiLookupResultFlags flags, void* sighting) {
  InLoop in_loop;
  auto* s = static_cast<Sighting*>(sighting);
  // A failure (the host did not answer in time) leaves the sighting
  // unresolved; the resolver stays open and reports if it answers later.
  if (event == AVAHI_RESOLVER_FOUND) s->self->Found(*s, host_name, address, port, txt, flags);
}

void AvahiBrowser::Found(Sighting& sighting, const char* host_name, const AvahiAddress* address,
                         uint16_t port, AvahiStringList* txt, AvahiLookupResultFlags flags) {
  ResolvedService piece;
  piece.key = sighting.key;
  piece.host_name = SanitizeText(host_name ? host_name : "", kMaxHostNameBytes);
  piece.port = port;
  if (address) {
    char text[AVAHI_ADDRESS_STR_MAX];
    if (avahi_address_snprint(text, sizeof text, address)) {
      ServiceAddress a;
      a.address = text;
      a.ipv6 = address->proto == AVAHI_PROTO_INET6;
      a.interface_index = static_cast<std::uint32_t>(sighting.origin.interface_index);
      char ifname[IF_NAMESIZE];
      if (if_indextoname(a.interface_index, ifname)) a.interface_name = ifname;
      piece.addresses.push_back(std::move(a));
    }
  }
  ParsedTxt parsed = ParseTxt(TxtStrings(txt));
  piece.txt = std::move(parsed.entries);
  piece.txt_truncated = parsed.truncated || avahi_string_list_length(txt) > 2 * kMaxTxtEntries;
  piece.local = (flags & AVAHI_LOOKUP_RESULT_LOCAL) != 0;
  if (std::optional<ResolvedService> merged = merger_.Resolved(sighting.origin, std::move(piece))) {
    Emit(BrowseEvent::Kind::kResolved, std::move(*merged));
  }
}

void AvahiBrowser::Emit(BrowseEvent::Kind kind, ResolvedService service) {
  if (!on_event_) return;
  BrowseEvent event;
  event.kind = kind;
  event.service = std::move(service);
  on_event_(event);
}

}  // namespace homeca::mdns::avahi
