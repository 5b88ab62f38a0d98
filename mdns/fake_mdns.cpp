#include "mdns/fake_mdns.h"

#include <algorithm>
#include <string_view>

#include "mdns/untrusted_text.h"

namespace homeca::mdns {

class FakeMdns::FakePublication final : public Publication {
 public:
  FakePublication(FakeMdns& fake, Announcement announcement)
      : fake_(fake), announcement_(std::move(announcement)) {}
  ~FakePublication() override {
    std::lock_guard<std::recursive_mutex> lock(fake_.mu_);
    fake_.publications_.erase(this);
  }
  std::string CurrentName() const override {
    std::lock_guard<std::recursive_mutex> lock(fake_.mu_);
    return fake_.running_ ? name_ : std::string();
  }
  bool Established() const override {
    std::lock_guard<std::recursive_mutex> lock(fake_.mu_);
    return fake_.running_;
  }

  FakeMdns& fake_;
  Announcement announcement_;
  std::string name_;
};

class FakeMdns::FakeBrowser final : public Browser {
 public:
  FakeBrowser(FakeMdns& fake, std::string type, std::function<void(const BrowseEvent&)> on_event)
      : fake_(fake), type_(std::move(type)), on_event_(std::move(on_event)) {}
  ~FakeBrowser() override {
    std::lock_guard<std::recursive_mutex> lock(fake_.mu_);
    fake_.browsers_.erase(this);
  }

  FakeMdns& fake_;
  std::string type_;
  std::function<void(const BrowseEvent&)> on_event_;
};

FakeMdns::FakeMdns() = default;
FakeMdns::~FakeMdns() = default;

std::unique_ptr<Publication> FakeMdns::Publish(const Announcement& announcement) {
  if (!CheckAnnouncement(announcement).ok()) return nullptr;
  std::lock_guard<std::recursive_mutex> lock(mu_);
  auto publication = std::make_unique<FakePublication>(*this, announcement);
  publication->name_ = FreeName(announcement.name);
  publications_.insert(publication.get());
  return publication;
}

std::unique_ptr<Browser> FakeMdns::Browse(const std::string& type,
                                          std::function<void(const BrowseEvent&)> on_event) {
  if (!IsValidServiceType(type)) return nullptr;
  std::lock_guard<std::recursive_mutex> lock(mu_);
  auto browser = std::make_unique<FakeBrowser>(*this, type, std::move(on_event));
  browsers_.insert(browser.get());
  if (running_) Replay(browser.get());
  return browser;
}

MdnsStatus FakeMdns::Status() const {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  if (running_) return {MdnsState::kRunning, ""};
  return {MdnsState::kUnavailable, "avahi-daemon is not running"};
}

void FakeMdns::OnStatusChange(std::function<void(const MdnsStatus&)> listener) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  listener_ = std::move(listener);
}

void FakeMdns::Announce(const RawService& service) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  lan_[{service.name, service.type}] = service;
  if (running_) Deliver(service.type, {BrowseEvent::Kind::kResolved, Sanitize(service)});
}

void FakeMdns::Withdraw(const std::string& raw_name, const std::string& type) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  auto it = lan_.find({raw_name, type});
  if (it == lan_.end()) return;
  BrowseEvent event{BrowseEvent::Kind::kRemoved, {}};
  event.service.key = Sanitize(it->second).key;
  lan_.erase(it);
  if (running_) Deliver(type, event);
}

void FakeMdns::SetDaemonRunning(bool running) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  if (running == running_) return;
  running_ = running;
  if (!running) {
    for (const auto& [key, raw] : lan_) {
      BrowseEvent event{BrowseEvent::Kind::kRemoved, {}};
      event.service.key = Sanitize(raw).key;
      Deliver(raw.type, event);
    }
  } else {
    for (FakeBrowser* b : std::set<FakeBrowser*>(browsers_)) Replay(b);
  }
  if (listener_) listener_(Status());
}

void FakeMdns::TakeName(const std::string& name) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  taken_names_.insert(name);
}

std::vector<Announcement> FakeMdns::Published() const {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  std::vector<Announcement> out;
  if (!running_) return out;
  for (const FakePublication* p : publications_) {
    Announcement a = p->announcement_;
    a.name = p->name_;
    out.push_back(std::move(a));
  }
  return out;
}

ResolvedService FakeMdns::Sanitize(const RawService& raw) {
  ResolvedService s;
  s.key = {SanitizeText(raw.name, kMaxInstanceNameBytes), raw.type, "local"};
  s.host_name = SanitizeText(raw.host_name, kMaxHostNameBytes);
  s.port = raw.port;
  s.addresses = raw.addresses;
  std::stable_sort(s.addresses.begin(), s.addresses.end(),
                   [](const ServiceAddress& a, const ServiceAddress& b) { return !a.ipv6 && b.ipv6; });
  std::vector<std::string_view> strings(raw.txt.begin(), raw.txt.end());
  ParsedTxt parsed = ParseTxt(strings);
  s.txt = std::move(parsed.entries);
  s.txt_truncated = parsed.truncated;
  s.local = raw.local;
  return s;
}

void FakeMdns::Deliver(const std::string& type, const BrowseEvent& event) {
  for (FakeBrowser* b : std::set<FakeBrowser*>(browsers_)) {
    if (browsers_.count(b) && b->type_ == type && b->on_event_) b->on_event_(event);
  }
}

void FakeMdns::Replay(FakeBrowser* browser) {
  for (const auto& [key, raw] : lan_) {
    if (raw.type != browser->type_ || !browser->on_event_) continue;
    browser->on_event_({BrowseEvent::Kind::kResolved, Sanitize(raw)});
  }
  if (browser->on_event_) browser->on_event_({BrowseEvent::Kind::kAllForNow, {}});
}

std::string FakeMdns::FreeName(const std::string& wanted) const {
  std::string name = wanted;
  for (int n = 2; taken_names_.count(name); ++n) name = wanted + " #" + std::to_string(n);
  return name;
}

}  // namespace homeca::mdns
