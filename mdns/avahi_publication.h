// One published service on Avahi: an entry group holding it, registered
// whenever the client runs, renamed with avahi_alternative_service_name() on
// a collision ("homeca on nas" -> "homeca on nas #2"), withdrawn when the
// handle is destroyed. Internal to mdns/ (see mdns.h for the contract).
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>

#include "mdns/avahi_core.h"

namespace homeca::mdns::avahi {

class AvahiPublication final : public Publication, private ClientUser {
 public:
  // Registers with `core`; the announcement must be valid (AvahiMdns checks).
  AvahiPublication(std::shared_ptr<AvahiCore> core, Announcement announcement);
  ~AvahiPublication() override;

  std::string CurrentName() const override;
  bool Established() const override { return established_.load(); }

 private:
  void OnClientRunning(AvahiClient* client) override;
  void OnClientReset() override;
  void OnClientLost() override;
  static void GroupCallback(AvahiEntryGroup* group, AvahiEntryGroupState state, void* self);
  void HandleGroupState(AvahiEntryGroup* group, AvahiEntryGroupState state);
  // Adds the service to the (empty) group under the current name and commits.
  void AddAndCommit(AvahiEntryGroup* group);
  void Rename(const char* why);

  std::shared_ptr<AvahiCore> core_;
  const Announcement announcement_;
  EntryGroupPtr group_;  // touched only with the loop lock held
  std::atomic<bool> established_{false};
  mutable std::mutex name_mu_;
  std::string name_;
  int renames_ = 0;
};

}  // namespace homeca::mdns::avahi
