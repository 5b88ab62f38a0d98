#include "mdns/avahi_mdns.h"

#include "mdns/avahi_browser.h"
#include "mdns/avahi_core.h"
#include "mdns/avahi_publication.h"

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
