#include "webui/names/name_directory.h"

#include <algorithm>
#include <chrono>

#include "ca/device_record.h"

namespace homeca::webui::names {
namespace {

// A burst of contacts (a switch reboots and every device checks in) is
// published in one pass.
constexpr auto kDebounce = std::chrono::milliseconds(50);
// Even with nothing reported, the store is read again now and then: a
// revocation by the CLI, say, is another process's write.
constexpr auto kIdleRefresh = std::chrono::minutes(10);
// While one of our mDNS publications is still probing, or lost its name,
// its state is looked at again this often, for the Devices page.
constexpr auto kUnsettledRefresh = std::chrono::seconds(3);
// A name newly watched is not announced until the LAN had this long to say
// whether the device answers for it itself. Once we announce it, a device
// answering with the same address is indistinguishable from our own record
// (Avahi folds identical records into one, flagged as ours), and harmless.
constexpr auto kWatchGrace = std::chrono::milliseconds(1500);
constexpr auto kGraceRecheck = std::chrono::milliseconds(300);

bool IsLocalName(const std::string& name) {
  return name.size() > 6 && name.compare(name.size() - 6, 6, ".local") == 0;
}

bool Contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

ca::AddressSource SourceFrom(const std::string& how) {
  if (how == "pairing") return ca::AddressSource::kPairing;
  if (how == "renewal") return ca::AddressSource::kRenewal;
  return ca::AddressSource::kCheckIn;
}

// DNS names only: a certificate may also carry IP addresses.
std::vector<std::string> HostNames(const std::vector<std::string>& names) {
  std::vector<std::string> out;
  for (const std::string& n : names) {
    if (n.find(':') == std::string::npos && !std::all_of(n.begin(), n.end(), [](char c) {
          return (c >= '0' && c <= '9') || c == '.';
        })) {
      out.push_back(n);
    }
  }
  return out;
}

}  // namespace

const char* Describe(MdnsAnswer answer) {
  switch (answer) {
    case MdnsAnswer::kOff:
      return "not announced";
    case MdnsAnswer::kByHomecad:
      return "announced by homeca";
    case MdnsAnswer::kByDevice:
      return "answered by the device itself";
  }
  return "not announced";
}

struct NameDirectory::HostState {
  std::chrono::steady_clock::time_point watched_since = std::chrono::steady_clock::now();
  std::unique_ptr<mdns::Browser> watch;
  std::unique_ptr<mdns::HostPublication> publication;
  std::vector<std::string> announced;  // what `publication` holds
};

NameDirectory::NameDirectory(ca::Authority& authority, NameExporter* exporter, mdns::Mdns* mdns,
                             Poco::Logger& log)
    : authority_(authority), exporter_(exporter), mdns_(mdns), log_(log) {
  status_.mdns_on = mdns_ != nullptr;
  if (exporter_ != nullptr) status_.export_dir = exporter_->paths().dir.string();
}

NameDirectory::~NameDirectory() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  published_.notify_all();
  if (worker_.joinable()) worker_.join();
  hosts_.clear();  // withdraws our mDNS records (goodbye packets)
}

void NameDirectory::Start() {
  if (!worker_.joinable()) worker_ = std::thread([this] { Run(); });
}

void NameDirectory::OnDeviceContact(std::int64_t certificate_id, const std::string& address,
                                    const std::string& how) {
  Result<ca::DeviceAddress> parsed = ca::ParseDeviceAddress(address);
  if (!parsed.ok()) {
    // Loopback, say: a device on this very box. Nothing the LAN could use.
    log_.debug("device contact from %s not recorded: %s", address, parsed.status().message());
    return;
  }
  parsed->source = SourceFrom(how);
  parsed->seen_at = authority_.clock().Now();
  Result<ca::DeviceContact> recorded =
      authority_.pairings().RecordDeviceContact(certificate_id, *parsed);
  if (!recorded.ok()) {
    // A certificate of no paired device (issued by the CLI), or a revoked
    // one: nothing to publish. Anything else is the store failing.
    if (recorded.status().IsNotFound() ||
        recorded.status().code() == ErrorCode::kPermissionDenied) {
      log_.debug("device contact not recorded: %s", recorded.status().message());
    } else {
      log_.error("recording where a device is failed: %s", recorded.status().message());
    }
    return;
  }
  if (recorded->changed) {
    log_.information("%s is now at %s (from its %s)", recorded->device, parsed->address, how);
    Changed();
  }
}

void NameDirectory::Changed() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++requested_;
  }
  wake_.notify_one();
}

NameDirectoryStatus NameDirectory::Status() const {
  std::lock_guard<std::mutex> lock(mu_);
  return status_;
}

bool NameDirectory::WaitPublished(int timeout_ms) {
  std::unique_lock<std::mutex> lock(mu_);
  const std::uint64_t target = requested_;
  return published_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] {
    return done_ >= target || stopping_;
  }) && !stopping_;
}

void NameDirectory::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  bool unsettled = false;
  while (!stopping_) {
    const auto period =
        in_grace_   ? std::chrono::duration_cast<std::chrono::milliseconds>(kGraceRecheck)
        : unsettled ? std::chrono::duration_cast<std::chrono::milliseconds>(kUnsettledRefresh)
                    : std::chrono::duration_cast<std::chrono::milliseconds>(kIdleRefresh);
    wake_.wait_for(lock, period, [&] { return stopping_ || done_ != requested_; });
    if (stopping_) break;
    lock.unlock();
    std::this_thread::sleep_for(kDebounce);
    lock.lock();
    const std::uint64_t target = requested_;
    lock.unlock();
    Refresh();
    unsettled = std::any_of(hosts_.begin(), hosts_.end(), [](const auto& h) {
      return h.second->publication != nullptr &&
             h.second->publication->State() != mdns::HostPublicationState::kEstablished;
    });
    lock.lock();
    done_ = target;
    published_.notify_all();
  }
}

void NameDirectory::Refresh() {
  Result<std::vector<ca::DeviceRecord>> devices = authority_.pairings().ListDevices();
  if (!devices.ok()) {
    log_.error("cannot read the devices to publish their names: %s", devices.status().message());
    return;
  }
  std::vector<DeviceNameStatus> statuses;
  NameMap map;
  for (const ca::DeviceRecord& d : *devices) {
    if (d.revoked_at.has_value()) continue;
    DeviceNameStatus s;
    s.pairing_id = d.pairing.id;
    s.names = HostNames(d.current.has_value() ? d.current->names : d.pairing.names);
    s.published = ca::PublishedAddresses(d.addresses);
    if (!s.published.empty() && !s.names.empty()) {
      PublishedHost host;
      host.names = s.names;
      for (const ca::DeviceAddress& a : s.published) host.addresses.push_back(a.address);
      map.push_back(std::move(host));
    }
    statuses.push_back(std::move(s));
  }
  std::string export_error;
  bool exported = false;
  if (exporter_ != nullptr) {
    Result<bool> wrote = exporter_->Export(map);
    if (wrote.ok()) {
      exported = true;
      if (*wrote) log_.information("published names for %z devices", map.size());
    } else {
      export_error = wrote.status().message();
      log_.error("exporting the device names failed: %s", export_error);
    }
  }
  RefreshMdns(statuses);
  std::lock_guard<std::mutex> lock(mu_);
  status_.devices = std::move(statuses);
  status_.map = std::move(map);
  if (exporter_ != nullptr) {
    status_.export_error = export_error;
    if (exported) status_.exported_at = authority_.clock().Now();
  }
}

void NameDirectory::RefreshMdns(std::vector<DeviceNameStatus>& devices) {
  if (mdns_ == nullptr) return;
  std::map<std::string, mdns::HostSighting> seen;
  {
    std::lock_guard<std::mutex> lock(mu_);
    seen = sightings_;
  }
  std::map<std::string, std::unique_ptr<HostState>> kept;
  const auto now = std::chrono::steady_clock::now();
  in_grace_ = false;
  for (DeviceNameStatus& device : devices) {
    std::vector<std::string> addresses;
    for (const ca::DeviceAddress& a : device.published) addresses.push_back(a.address);
    for (const std::string& host : device.names) {
      if (!IsLocalName(host) || kept.count(host) != 0) continue;
      std::unique_ptr<HostState> state;
      if (auto found = hosts_.find(host); found != hosts_.end()) {
        state = std::move(found->second);
        hosts_.erase(found);
      } else {
        state = std::make_unique<HostState>();
        state->watch = mdns_->WatchHost(
            host, [this](const mdns::HostSighting& sighting) { OnSighting(sighting); });
      }
      const bool heard = seen.count(host) != 0;
      const std::vector<std::string>& others = seen[host].others;
      bool device_answers = false;
      for (const std::string& other : others) {
        if (Contains(addresses, other)) {
          device_answers = true;
        } else {
          device.conflicts.push_back(host + " from " + other);
        }
      }
      if (!addresses.empty() && !device_answers && state->publication == nullptr && !heard &&
          now - state->watched_since < kWatchGrace) {
        // Not yet: the device may answer for the name itself.
        in_grace_ = true;
      } else if (addresses.empty() || device_answers) {
        // Nothing to say, or the device says it itself: stay out of its way.
        state->publication.reset();
        state->announced.clear();
        device.mdns = addresses.empty() ? MdnsAnswer::kOff : MdnsAnswer::kByDevice;
      } else {
        if (state->publication == nullptr || state->announced != addresses) {
          state->publication.reset();  // goodbyes for the old addresses first
          state->publication = mdns_->PublishHost(host, addresses);
          state->announced = addresses;
          if (state->publication == nullptr) {
            log_.warning("cannot announce %s over mDNS (not a valid host name)", host);
          }
        }
        if (state->publication != nullptr) {
          device.mdns = MdnsAnswer::kByHomecad;
          const mdns::HostPublicationState pub = state->publication->State();
          device.mdns_state = mdns::HostPublicationStateName(pub);
          // Someone kept claiming the name (a single claim avahi-daemon
          // defends without a word): the records are withdrawn for now and
          // come back after a back-off. Who it was shows in `others` once
          // they answer; until then, say that someone did.
          if (pub == mdns::HostPublicationState::kCollision && others.empty()) {
            device.conflicts.push_back(host + " claimed by another host on the LAN");
          }
        }
      }
      kept.emplace(host, std::move(state));
    }
  }
  // Devices revoked or renamed: their records and watches go (outside mu_).
  hosts_.clear();
  hosts_ = std::move(kept);
  std::lock_guard<std::mutex> lock(mu_);
  std::erase_if(sightings_, [&](const auto& entry) { return hosts_.count(entry.first) == 0; });
}

void NameDirectory::OnSighting(const mdns::HostSighting& sighting) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    mdns::HostSighting& known = sightings_[sighting.host];
    // Our own records coming and going change nothing we decide on.
    if (known.others == sighting.others && known.truncated == sighting.truncated) {
      known = sighting;
      return;
    }
    known = sighting;
    ++requested_;
  }
  wake_.notify_one();
}

}  // namespace homeca::webui::names
