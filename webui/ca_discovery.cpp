#include "webui/ca_discovery.h"

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

}  // namespace

CaDiscovery::CaDiscovery(const CaDiscoveryOptions& options, Poco::Logger& log,
                         std::unique_ptr<mdns::Mdns> mdns)
    : log_(log) {
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

  const std::string name =
      options.instance_name.empty() ? mdns::DefaultCaInstanceName(HostName()) : options.instance_name;
  publication_ = mdns_->Publish(mdns::MakeCaAnnouncement(name, options.port, options.root_sha256_hex));
  if (!publication_) log_.error("mDNS: cannot publish under the name '" + name + "'");
  directory_ = std::make_unique<mdns::Directory>(*mdns_);
}

CaDiscovery::~CaDiscovery() {
  if (mdns_) mdns_->OnStatusChange(nullptr);
  directory_.reset();
  if (publication_) {
    const bool was_published = publication_->Established();
    publication_.reset();
    if (was_published) log_.information("mDNS: withdrew _homeca._tcp");
  }
}

CaDiscovery::State CaDiscovery::state() const {
  State state;
  state.enabled = enabled_;
  if (!enabled_) {
    state.status = {mdns::MdnsState::kUnavailable, "mDNS is switched off (mdns = off)"};
    return state;
  }
  state.status = mdns_->Status();
  if (publication_) state.published_as = publication_->CurrentName();
  return state;
}

std::string CaDiscovery::State::Summary() const {
  if (!enabled) return "off: " + status.detail;
  switch (status.state) {
    case mdns::MdnsState::kRunning:
      return published_as.empty() ? "on, publishing" : "on, published as '" + published_as + "'";
    case mdns::MdnsState::kStarting:
      return "starting";
    case mdns::MdnsState::kUnavailable:
      break;
  }
  return "off: " + status.detail;
}

}  // namespace homeca::webui
