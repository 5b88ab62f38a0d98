#include "mdns/avahi_mdns.h"

#include "mdns/avahi_browser.h"
#include "mdns/avahi_core.h"
#include "mdns/avahi_host_publication.h"
#include "mdns/avahi_host_watch.h"
#include "mdns/avahi_publication.h"
#include "mdns/host_names.h"

namespace homeca::mdns {
namespace {

class AvahiMdns final : public Mdns {
 public:
  explicit AvahiMdns(std::shared_ptr<avahi::AvahiCore> core) : core_(std::move(core)) {}

  std::unique_ptr<Publication> Publish(const Announcement& announcement) override {
    if (!CheckAnnouncement(announcement).ok()) return nullptr;
    return std::make_unique<avahi::AvahiPublication>(core_, announcement);
  }

  std::unique_ptr<Browser> Browse(const std::string& type,
                                  std::function<void(const BrowseEvent&)> on_event) override {
    if (!IsValidServiceType(type)) return nullptr;
    return std::make_unique<avahi::AvahiBrowser>(core_, type, std::move(on_event));
  }

  std::unique_ptr<HostPublication> PublishHost(const std::string& host,
                                               const std::vector<std::string>& addresses) override {
    std::optional<std::string> name = CanonicalLocalHostName(host);
    std::optional<std::vector<HostAddress>> parsed = ParseHostAddresses(addresses);
    if (!name || !parsed) return nullptr;
    return std::make_unique<avahi::AvahiHostPublication>(core_, std::move(*name),
                                                         std::move(*parsed));
  }

  std::unique_ptr<Browser> WatchHost(const std::string& host,
                                     std::function<void(const HostSighting&)> on_change) override {
    std::optional<std::string> name = CanonicalLocalHostName(host);
    if (!name) return nullptr;
    return std::make_unique<avahi::AvahiHostWatch>(core_, std::move(*name), std::move(on_change));
  }

  MdnsStatus Status() const override { return core_->Status(); }
  void OnStatusChange(std::function<void(const MdnsStatus&)> listener) override {
    core_->OnStatusChange(std::move(listener));
  }

 private:
  std::shared_ptr<avahi::AvahiCore> core_;
};

}  // namespace

Result<std::unique_ptr<Mdns>> StartAvahiMdns(AvahiOptions options) {
  avahi::CoreOptions core_options;
  core_options.retry_interval = options.retry_interval;
  core_options.log = std::move(options.log);
  Result<std::shared_ptr<avahi::AvahiCore>> core = avahi::AvahiCore::Start(std::move(core_options));
  if (!core.ok()) return core.status();
  return std::unique_ptr<Mdns>(new AvahiMdns(std::move(core).value()));
}

}  // namespace homeca::mdns
