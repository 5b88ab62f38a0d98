#include "mdns/fake_mdns.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <optional>
#include <string_view>

#include "mdns/host_names.h"
#include "mdns/host_record_set.h"
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

class FakeMdns::FakeHostPublication final : public HostPublication {
 public:
  FakeHostPublication(FakeMdns& fake, std::string host, std::vector<std::string> addresses)
      : fake_(fake), host_(std::move(host)), addresses_(std::move(addresses)) {}
  ~FakeHostPublication() override {
    std::lock_guard<std::recursive_mutex> lock(fake_.mu_);
    fake_.host_publications_.erase(this);
    fake_.UpdateWatches();  // the goodbye packets
  }
  HostPublicationState State() const override {
    std::lock_guard<std::recursive_mutex> lock(fake_.mu_);
    return fake_.HostState(host_);
  }

  FakeMdns& fake_;
  const std::string host_;
  const std::vector<std::string> addresses_;  // canonical, sorted
};

class FakeMdns::FakeHostWatch final : public Browser {
 public:
  FakeHostWatch(FakeMdns& fake, std::string host,
                std::function<void(const HostSighting&)> on_change)
      : fake_(fake), host_(std::move(host)), on_change_(std::move(on_change)) {}
  ~FakeHostWatch() override {
    std::lock_guard<std::recursive_mutex> lock(fake_.mu_);
    fake_.host_watches_.erase(this);
  }

  FakeMdns& fake_;
  const std::string host_;
  std::function<void(const HostSighting&)> on_change_;
  std::optional<HostSighting> last_;  // what it was last told
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

std::unique_ptr<HostPublication> FakeMdns::PublishHost(const std::string& host,
                                                       const std::vector<std::string>& addresses) {
  std::optional<std::string> name = CanonicalLocalHostName(host);
  std::optional<std::vector<HostAddress>> parsed = ParseHostAddresses(addresses);
  if (!name || !parsed) return nullptr;
  std::vector<std::string> texts;
  for (const HostAddress& a : *parsed) texts.push_back(a.text);
  std::lock_guard<std::recursive_mutex> lock(mu_);
  auto publication = std::make_unique<FakeHostPublication>(*this, *name, std::move(texts));
  host_publications_.insert(publication.get());
  UpdateWatches();
  return publication;
}

std::unique_ptr<Browser> FakeMdns::WatchHost(const std::string& host,
                                             std::function<void(const HostSighting&)> on_change) {
  std::optional<std::string> name = CanonicalLocalHostName(host);
  if (!name) return nullptr;
  std::lock_guard<std::recursive_mutex> lock(mu_);
  auto watch = std::make_unique<FakeHostWatch>(*this, *name, std::move(on_change));
  host_watches_.insert(watch.get());
  UpdateWatches();  // its first sighting
  return watch;
}

void FakeMdns::AnswerHost(const std::string& host, const std::vector<std::string>& addresses) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  const std::string name = CanonicalLocalHostName(host).value_or(host);
  if (addresses.empty()) {
    host_answers_.erase(name);
  } else {
    host_answers_[name] = addresses;
  }
  UpdateWatches();
}

void FakeMdns::SetHostCollision(const std::string& host, bool colliding) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  const std::string name = CanonicalLocalHostName(host).value_or(host);
  if (colliding) {
    colliding_hosts_.insert(name);
  } else {
    colliding_hosts_.erase(name);
  }
  UpdateWatches();
}

std::map<std::string, std::vector<std::string>> FakeMdns::PublishedHosts() const {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  std::map<std::string, std::vector<std::string>> out;
  for (const FakeHostPublication* p : host_publications_) {
    if (HostState(p->host_) != HostPublicationState::kEstablished) continue;
    auto& addresses = out[p->host_];
    addresses.insert(addresses.end(), p->addresses_.begin(), p->addresses_.end());
  }
  return out;
}

HostPublicationState FakeMdns::HostState(const std::string& host) const {
  if (!running_) return HostPublicationState::kRegistering;
  if (colliding_hosts_.count(host)) return HostPublicationState::kCollision;
  return HostPublicationState::kEstablished;
}

HostSighting FakeMdns::SightingOf(const std::string& host) const {
  // As Avahi reports it: one record per address, LOCAL when we publish it
  // too; the same bounds and parsing as the real watch (HostRecordSet).
  HostRecordSet records(host);
  if (!running_) return records.Sighting();
  const RecordOrigin ours{1, 0};
  const RecordOrigin lan{1, 1};
  for (const FakeHostPublication* p : host_publications_) {
    if (p->host_ != host || HostState(host) != HostPublicationState::kEstablished) continue;
    for (const std::string& text : p->addresses_) {
      if (std::optional<HostAddress> a = ParseHostAddress(text)) {
        records.Added(ours, a->ipv6, a->bytes.data(), a->ipv6 ? 16 : 4, true);
      }
    }
  }
  if (auto it = host_answers_.find(host); it != host_answers_.end()) {
    for (const std::string& text : it->second) {
      std::array<std::uint8_t, 16> bytes{};
      // Raw text, as the LAN would send it: anything inet_pton reads.
      const bool ipv6 = text.find(':') != std::string::npos;
      if (text.size() < 46 &&
          inet_pton(ipv6 ? AF_INET6 : AF_INET, text.c_str(), bytes.data()) == 1) {
        records.Added(lan, ipv6, bytes.data(), ipv6 ? 16 : 4, false);
      }
    }
  }
  return records.Sighting();
}

void FakeMdns::UpdateWatches() {
  for (FakeHostWatch* w : std::set<FakeHostWatch*>(host_watches_)) {
    if (!host_watches_.count(w)) continue;
    HostSighting now = SightingOf(w->host_);
    if (w->last_ && *w->last_ == now) continue;
    w->last_ = now;
    if (w->on_change_) w->on_change_(now);
  }
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
  UpdateWatches();
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
  std::stable_sort(
      s.addresses.begin(), s.addresses.end(),
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
