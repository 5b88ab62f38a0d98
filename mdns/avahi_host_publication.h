// One host name's A/AAAA records on Avahi: an entry group holding them,
// registered whenever the client runs, registered again after a back-off
// (collision_backoff.h) when someone else claims the name, withdrawn (goodbye
// packets) when the handle is destroyed. Internal to mdns/ (see mdns.h for
// the contract).
//
// Thread-safety: State() from any thread; everything else runs with the loop
// lock held (constructor and destructor take it).
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "mdns/avahi_core.h"
#include "mdns/collision_backoff.h"
#include "mdns/host_names.h"

namespace homeca::mdns::avahi {

class AvahiHostPublication final : public HostPublication, private ClientUser {
 public:
  // `host` canonical and `addresses` parsed (AvahiMdns checks both).
  AvahiHostPublication(std::shared_ptr<AvahiCore> core, std::string host,
                       std::vector<HostAddress> addresses);
  ~AvahiHostPublication() override;

  HostPublicationState State() const override { return state_.load(); }

 private:
  void OnClientRunning(AvahiClient* client) override;
  void OnClientReset() override;
  void OnClientLost() override;
  static void GroupCallback(AvahiEntryGroup* group, AvahiEntryGroupState state, void* self);
  static void RetryCallback(AvahiTimeout* timeout, void* self);
  void HandleGroupState(AvahiEntryGroup* group, AvahiEntryGroupState state);
  // Adds every address to the (empty) group and commits it.
  void AddAndCommit();
  // Withdraws what is left and tries again after the back-off.
  void RetryLater(const std::string& why);
  void SetState(HostPublicationState state);

  std::shared_ptr<AvahiCore> core_;
  const std::string host_;
  const std::vector<HostAddress> addresses_;
  std::atomic<HostPublicationState> state_{HostPublicationState::kRegistering};
  // All below: loop lock held.
  std::unique_ptr<Timeout> retry_;
  EntryGroupPtr group_;
  CollisionBackoff backoff_;
  bool waiting_ = false;  // the retry timer is armed
};

}  // namespace homeca::mdns::avahi
