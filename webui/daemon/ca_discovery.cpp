#include "webui/daemon/ca_discovery.h"

#include <unistd.h>

#include "mdns/avahi_mdns.h"
#include "mdns/homeca_records.h"

namespace homeca::webui {
namespace {

std::string HostName() {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0 || host[0] == '\0') return "homeca";
  return host;
}

void LogStatus(Poco::Logger& log, const mdns::MdnsStatus& status) {
  switch (status.state) {
    case mdns::MdnsState::kRunning:
      log.information("mDNS: avahi-daemon is running; discovery is on");
      break;
    case mdns::MdnsState::kUnavailable:
      log.warning("mDNS discovery is off: " + status.detail +
                  ". Devices need the CA's address (homeca-enroll pair --ca URL); homecad "
                  "publishes _homeca._tcp as soon as avahi-daemon starts.");
      break;
    case mdns::MdnsState::kStarting:
      break;
  }
}

std::string FirstAddress(const std::vector<mdns::ServiceAddress>& addresses) {
  return addresses.empty() ? std::string() : addresses.front().HostForConnect();
}

}  // namespace

CaDiscovery::CaDiscovery(const CaDiscoveryOptions& options, Poco::Logger& log,
                         std::unique_ptr<mdns::Mdns> mdns)
    : log_(log), options_(options) {
  if (!options.enabled) {
    log_.information("mDNS discovery is off (mdns = off): devices need the CA's address");
    return;
  }
  if (!mdns) {
    mdns::AvahiOptions avahi;
    avahi.log = [&log](const std::string& line) { log.information(line); };
    Result<std::unique_ptr<mdns::Mdns>> started = mdns::StartAvahiMdns(std::move(avahi));
    if (!started.ok()) {
      log_.error("mDNS discovery is off: " + started.status().message());
      return;
    }
    mdns = std::move(started).value();
  }
  mdns_ = std::move(mdns);
  enabled_ = true;
  mdns_->OnStatusChange([&log](const mdns::MdnsStatus& status) { LogStatus(log, status); });
  // The state may have settled before the listener was there.
  if (mdns_->Status().state == mdns::MdnsState::kUnavailable) LogStatus(log_, mdns_->Status());
  directory_ = std::make_unique<mdns::Directory>(*mdns_);
}

CaDiscovery::~CaDiscovery() {
  if (mdns_) mdns_->OnStatusChange(nullptr);
  Withdraw();
  directory_.reset();
}

void CaDiscovery::Publish(std::uint16_t https_port) {
  if (!mdns_) return;
  const std::string name = options_.instance_name.empty() ? mdns::DefaultCaInstanceName(HostName())
                                                          : options_.instance_name;
  auto publication =
      mdns_->Publish(mdns::MakeCaAnnouncement(name, https_port, options_.root_sha256_hex));
  if (!publication) log_.error("mDNS: cannot publish under the name '" + name + "'");
  std::lock_guard<std::mutex> lock(mu_);
  publication_ = std::move(publication);
}

void CaDiscovery::Withdraw() {
  std::unique_ptr<mdns::Publication> publication;
  {
    std::lock_guard<std::mutex> lock(mu_);
    publication = std::move(publication_);
  }
  if (!publication) return;
  const bool was_published = publication->Established();
  publication.reset();
  if (was_published) log_.information("mDNS: withdrew _homeca._tcp");
}

CaDiscovery::State CaDiscovery::state() const {
  State state;
  state.enabled = enabled_;
  if (!enabled_) {
    state.status = {mdns::MdnsState::kUnavailable, options_.enabled
                                                       ? "the mDNS event loop could not start"
                                                       : "mDNS is switched off (mdns = off)"};
    return state;
  }
  state.status = mdns_->Status();
  std::lock_guard<std::mutex> lock(mu_);
  if (publication_) state.published_as = publication_->CurrentName();
  return state;
}

std::string CaDiscovery::State::Summary() const {
  if (enabled && status.state == mdns::MdnsState::kRunning) {
    return published_as.empty() ? "on" : "on, published as '" + published_as + "'";
  }
  if (enabled && status.state == mdns::MdnsState::kStarting) return "starting";
  return "off: " + status.detail;
}

bool CaDiscovery::enabled() const {
  return enabled_ && mdns_->Status().state != mdns::MdnsState::kUnavailable;
}

std::vector<WaitingDevice> CaDiscovery::WaitingToPair() {
  std::vector<WaitingDevice> out;
  if (!directory_) return out;
  for (const mdns::WaitingDevice& w : directory_->Snapshot().waiting) {
    out.push_back(
        WaitingDevice{w.device_id, w.model, FirstAddress(w.addresses), w.last_seen, w.kdf});
  }
  return out;
}

std::vector<NetworkService> CaDiscovery::Inventory() {
  std::vector<NetworkService> out;
  if (!directory_) return out;
  for (const mdns::InventoryEntry& e : directory_->Snapshot().inventory) {
    out.push_back(NetworkService{e.name, e.type, e.host_name, FirstAddress(e.addresses), e.port});
  }
  return out;
}

std::vector<std::string> CaDiscovery::AddressesOf(const std::string& name) {
  std::vector<std::string> out;
  if (!directory_) return out;
  // nas.home.arpa is nas.local on the LAN: the first label is the host.
  for (const mdns::ServiceAddress& a :
       directory_->AddressesOfHost(name.substr(0, name.find('.')))) {
    out.push_back(a.HostForConnect());
  }
  return out;
}

}  // namespace homeca::webui
