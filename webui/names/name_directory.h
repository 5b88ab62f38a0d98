// NameDirectory: where homecad's enrolled devices are, published where the
// LAN resolves names (docs/operations.md, "Make names resolve").
//
// What counts as where a device is: its authenticated contact (the source
// address of pairing, renewal and check-in, which the enrollment service
// reports through OnDeviceContact) and an address the admin pinned; both are
// in the store (ca/device_address.h). Nothing seen over mDNS moves a name.
//
// What it publishes, within a moment of a change and again at start:
//  - the name map for unicast DNS through a NameExporter (dnsmasq hostsdir,
//    a hosts file, an unbound include);
//  - each device's "<label>.local" over mDNS, unless the device answers for
//    it itself with an address homecad knows (then it stays out of the way).
//    Anyone else answering for the name with another address is a conflict:
//    shown to the admin, never followed.
//
// Lifecycle: construct, Start() once the store is open; the destructor stops
// the worker and withdraws what it published over mDNS.
// Thread-safety: every public member may be called from any thread.
// Ownership: borrows the authority, exporter, mdns (each must outlive it;
// exporter and mdns may be null: that way of publishing is off) and logger.
#pragma once

#include <Poco/Logger.h>

#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "ca/authority.h"
#include "ca/device_address.h"
#include "mdns/mdns.h"
#include "webui/names/name_exporter.h"
#include "webui/names/name_map.h"

namespace homeca::webui::names {

// How one device's .local name reaches the LAN.
enum class MdnsAnswer {
  kOff,        // mDNS is off, or the device has no .local name or no address
  kByHomecad,  // homecad announces it
  kByDevice,   // the device answers itself with an address homecad knows
};
const char* Describe(MdnsAnswer answer);  // a phrase for the Devices page

struct DeviceNameStatus {
  std::int64_t pairing_id = 0;
  std::vector<std::string> names;
  std::vector<ca::DeviceAddress> published;  // IPv4 first; empty: nothing published
  MdnsAnswer mdns = MdnsAnswer::kOff;
  std::string mdns_state;  // our publication: "registering", "established", "collision"
  // Someone else announces the device's .local name with an address homecad
  // does not know the device by: "nas.local from 10.0.0.66".
  std::vector<std::string> conflicts;
};

struct NameDirectoryStatus {
  std::vector<DeviceNameStatus> devices;  // active devices, as the store lists them
  NameMap map;                            // what the DNS exports hold
  std::string export_dir;                 // "" when exporting is off
  std::string export_error;               // the last export's error, "" when it worked
  std::int64_t exported_at = 0;           // unix seconds of the last export that worked
  bool mdns_on = false;
};

class NameDirectory {
 public:
  NameDirectory(ca::Authority& authority, NameExporter* exporter, mdns::Mdns* mdns,
                Poco::Logger& log);
  ~NameDirectory();
  NameDirectory(const NameDirectory&) = delete;
  NameDirectory& operator=(const NameDirectory&) = delete;

  // Starts the worker, which publishes what the store holds.
  void Start();

  // The enrollment service's report of an authenticated contact
  // (enroll::DeviceContact): `address` as the connection showed it, `how`
  // "pairing", "renewal" or "checkin". Records it, and republishes if it
  // moved the device. Addresses no one else could reach (loopback, say)
  // are ignored. Quick: one store transaction.
  void OnDeviceContact(std::int64_t certificate_id, const std::string& address,
                       const std::string& how);

  // Something else changed what is published (a pin, a revocation, a new
  // device): read the store again and republish soon.
  void Changed();

  NameDirectoryStatus Status() const;

  // Blocks until every change reported before the call has been published,
  // or `timeout_ms` passed; false on timeout. For tests and the benchmark.
  bool WaitPublished(int timeout_ms);

 private:
  struct HostState;
  void Run();
  void Refresh();
  void RefreshMdns(std::vector<DeviceNameStatus>& devices);
  void OnSighting(const mdns::HostSighting& sighting);

  ca::Authority& authority_;
  NameExporter* const exporter_;
  mdns::Mdns* const mdns_;
  Poco::Logger& log_;

  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::condition_variable published_;
  std::uint64_t requested_ = 1;  // changes asked for (the first: Start)
  std::uint64_t done_ = 0;       // requested_ as it was when the last Refresh began
  bool stopping_ = false;
  NameDirectoryStatus status_;
  std::map<std::string, mdns::HostSighting> sightings_;  // by .local host name
  std::thread worker_;

  // The worker thread's alone. mDNS handles are made and destroyed there and
  // never under mu_: a handle's destructor waits for its running callback,
  // which takes mu_.
  std::map<std::string, std::unique_ptr<HostState>> hosts_;
  bool in_grace_ = false;  // a name waits to hear whether its device answers
};

}  // namespace homeca::webui::names
