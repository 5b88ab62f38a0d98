#include "enroll/discovery/ca_finder.h"

#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>

#include "mdns/homeca_records.h"

namespace homeca::enroll {
namespace {

using Clock = std::chrono::steady_clock;

Result<FoundCa> Usable(const mdns::ResolvedService& s) {
  Result<mdns::CaRecord> record = mdns::ParseCaRecord(s);
  if (!record.ok()) return record.status();
  if (s.addresses.empty()) return Status::InvalidArgument("no address");
  if (s.port == 0) return Status::InvalidArgument("no port");
  FoundCa found;
  found.name = s.key.name;
  found.host_name = s.host_name;
  found.endpoint.host = s.addresses.front().HostForConnect();  // IPv4 first (see ServiceMerger)
  found.endpoint.port = s.port;
  found.endpoint.path = record->path;
  while (found.endpoint.path.size() > 1 && found.endpoint.path.back() == '/') {
    found.endpoint.path.pop_back();
  }
  found.fingerprint_prefix = record->fingerprint_prefix;
  return found;
}

std::string Quoted(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "'" : ", '") + n + "'";
  return out;
}

}  // namespace

Result<FoundCa> ChooseCa(const std::vector<CaCandidate>& seen, const std::string& ca_name) {
  std::vector<FoundCa> usable;
  std::vector<std::string> unusable;
  for (const CaCandidate& c : seen) {
    if (!ca_name.empty() && c.service.key.name != ca_name) continue;
    Result<FoundCa> found =
        c.problem.empty() ? Usable(c.service) : Result<FoundCa>(Status::InvalidArgument(c.problem));
    if (found.ok()) {
      usable.push_back(std::move(found).value());
    } else {
      unusable.push_back("'" + c.service.key.name + "' (" + found.status().message() + ")");
    }
  }
  if (usable.size() == 1 || (!ca_name.empty() && !usable.empty())) return usable.front();
  if (usable.size() > 1) {
    std::vector<std::string> names;
    for (const FoundCa& f : usable) names.push_back(f.name);
    return Fail(EnrollError::kInvalidArgument,
                "found " + std::to_string(usable.size()) + " homeca CAs on the LAN: " +
                    Quoted(names) + "; choose one with --ca-name NAME (or give --ca URL)");
  }
  std::string message = ca_name.empty() ? "no homeca CA found on the LAN"
                                        : "no homeca CA named '" + ca_name + "' found on the LAN";
  if (!unusable.empty()) {
    std::string list;
    for (const std::string& u : unusable) list += (list.empty() ? "" : ", ") + u;
    message += " (unusable records: " + list + ")";
  } else if (!ca_name.empty()) {
    std::vector<std::string> names;
    for (const CaCandidate& c : seen) names.push_back(c.service.key.name);
    if (!names.empty()) message += " (found: " + Quoted(names) + ")";
  }
  return Fail(EnrollError::kNetwork, message);
}

Result<FoundCa> FindCa(mdns::Mdns& mdns, const FindCaOptions& options) {
  std::mutex mu;
  std::condition_variable changed;
  std::map<mdns::ServiceKey, mdns::ResolvedService> services;
  std::unique_ptr<mdns::Browser> browser =
      mdns.Browse(mdns::kCaServiceType, [&](const mdns::BrowseEvent& e) {
        std::lock_guard<std::mutex> lock(mu);
        switch (e.kind) {
          case mdns::BrowseEvent::Kind::kResolved:
            services[e.service.key] = e.service;
            break;
          case mdns::BrowseEvent::Kind::kRemoved:
            services.erase(e.service.key);
            break;
          case mdns::BrowseEvent::Kind::kAllForNow:
            break;
        }
        changed.notify_all();
      });
  if (!browser) return Fail(EnrollError::kInternal, "cannot browse for the CA");

  const auto start = Clock::now();
  const auto deadline = start + options.timeout;
  std::optional<Clock::time_point> decide_at;
  std::vector<CaCandidate> seen;
  std::unique_lock<std::mutex> lock(mu);
  for (;;) {
    seen.clear();
    bool any_usable = false;
    bool named_with_ipv4 = false;
    for (const auto& [key, s] : services) {
      CaCandidate c{s, ""};
      Result<FoundCa> usable = Usable(s);
      if (!usable.ok()) c.problem = usable.status().message();
      const bool wanted = options.ca_name.empty() || s.key.name == options.ca_name;
      any_usable = any_usable || (usable.ok() && wanted);
      named_with_ipv4 = named_with_ipv4 || (usable.ok() && !options.ca_name.empty() && wanted &&
                                            !s.addresses.front().ipv6);
      seen.push_back(std::move(c));
    }
    const auto now = Clock::now();
    if (any_usable) {
      // Without a name, wait a moment for other CAs: two of them is a
      // question for the person, not a guess. With a name, stop as soon as
      // it has an IPv4 address (the IPv4 and IPv6 answers arrive
      // separately; IPv4 needs no scope and is what the CA usually listens
      // on). Avahi's "all for now" is no reason to stop early: it covers
      // what was browsed, not what was resolved.
      if (named_with_ipv4) break;
      if (!decide_at) decide_at = now + options.settle;
      if (now >= *decide_at) break;
    }
    if (now >= deadline) break;
    // The state settles as soon as the client has tried to connect.
    if (mdns.Status().state == mdns::MdnsState::kUnavailable &&
        now - start > std::chrono::milliseconds(300)) {
      return Fail(EnrollError::kNetwork,
                  "cannot look for the CA over mDNS: " + mdns.Status().detail +
                      " on this device; give the CA's address with --ca URL");
    }
    const auto wake = decide_at ? std::min(*decide_at, deadline) : deadline;
    changed.wait_until(lock, std::min(wake, now + std::chrono::milliseconds(100)));
  }
  lock.unlock();
  browser.reset();
  Result<FoundCa> chosen = ChooseCa(seen, options.ca_name);
  if (!chosen.ok() && ErrorOf(chosen) == EnrollError::kNetwork) {
    const auto tenths = options.timeout.count() / 100;
    const std::string seconds =
        std::to_string(tenths / 10) + (tenths % 10 ? "." + std::to_string(tenths % 10) : "");
    return Fail(EnrollError::kNetwork,
                chosen.status().message() + " within " + seconds +
                    " s (is homecad running, with mDNS on, on this LAN?); or give --ca URL");
  }
  return chosen;
}

}  // namespace homeca::enroll
