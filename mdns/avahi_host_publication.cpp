#include "mdns/avahi_host_publication.h"

#include <avahi-common/error.h>

#include <cstring>

namespace homeca::mdns::avahi {
namespace {

AvahiAddress ToAvahi(const HostAddress& a) {
  AvahiAddress out;
  std::memset(&out, 0, sizeof out);
  if (a.ipv6) {
    out.proto = AVAHI_PROTO_INET6;
    std::memcpy(out.data.ipv6.address, a.bytes.data(), 16);
  } else {
    out.proto = AVAHI_PROTO_INET;
    std::memcpy(&out.data.ipv4.address, a.bytes.data(), 4);  // network order, as Avahi wants
  }
  return out;
}

std::string Joined(const std::vector<HostAddress>& addresses) {
  std::string out;
  for (const HostAddress& a : addresses) out += (out.empty() ? "" : ", ") + a.text;
  return out;
}

std::string Seconds(std::chrono::milliseconds d) { return std::to_string(d.count() / 1000) + " s"; }

}  // namespace

AvahiHostPublication::AvahiHostPublication(std::shared_ptr<AvahiCore> core, std::string host,
                                           std::vector<HostAddress> addresses)
    : core_(std::move(core)), host_(std::move(host)), addresses_(std::move(addresses)) {
  LoopLock lock(core_->poll());
  retry_ = std::make_unique<Timeout>(avahi_threaded_poll_get(core_->poll()),
                                     &AvahiHostPublication::RetryCallback, this);
  core_->AddUser(this);
}

AvahiHostPublication::~AvahiHostPublication() {
  LoopLock lock(core_->poll());
  core_->RemoveUser(this);
  retry_.reset();
  if (group_) {
    core_->Log("mDNS: withdrew " + host_ + " -> " + Joined(addresses_));
    // Freeing the group sends goodbye packets (TTL 0) for every record that
    // was announced: caches on the LAN drop them within a second.
    group_.reset();
  }
}

void AvahiHostPublication::SetState(HostPublicationState state) { state_ = state; }

void AvahiHostPublication::OnClientRunning(AvahiClient* client) {
  if (!group_) {
    group_.reset(avahi_entry_group_new(client, &AvahiHostPublication::GroupCallback, this));
    if (!group_) {
      core_->Log("mDNS: cannot create an entry group for " + host_ + ": " +
                 avahi_strerror(avahi_client_errno(client)));
      return;
    }
  }
  if (!waiting_ && avahi_entry_group_is_empty(group_.get())) AddAndCommit();
}

void AvahiHostPublication::OnClientReset() {
  SetState(HostPublicationState::kRegistering);
  waiting_ = false;
  if (retry_) retry_->Disarm();
  if (group_) avahi_entry_group_reset(group_.get());
}

void AvahiHostPublication::OnClientLost() {
  SetState(HostPublicationState::kRegistering);
  waiting_ = false;
  if (retry_) retry_->Disarm();
  group_.reset();  // dead with its client
}

void AvahiHostPublication::GroupCallback(AvahiEntryGroup* group, AvahiEntryGroupState state,
                                         void* self) {
  InLoop in_loop;
  static_cast<AvahiHostPublication*>(self)->HandleGroupState(group, state);
}

void AvahiHostPublication::HandleGroupState(AvahiEntryGroup* group, AvahiEntryGroupState state) {
  switch (state) {
    case AVAHI_ENTRY_GROUP_ESTABLISHED:
      SetState(HostPublicationState::kEstablished);
      backoff_.Established(CollisionBackoff::Clock::now());
      core_->Log("mDNS: published " + host_ + " -> " + Joined(addresses_));
      break;
    case AVAHI_ENTRY_GROUP_COLLISION:
      // Another host answers for the name with other addresses. Avahi has
      // withdrawn our records; claim the name again later, since an
      // unauthenticated claimant must not take it for good.
      SetState(HostPublicationState::kCollision);
      RetryLater("another host answers for " + host_ + " with other addresses");
      break;
    case AVAHI_ENTRY_GROUP_FAILURE:
      SetState(HostPublicationState::kRegistering);
      RetryLater(std::string("publishing ") + host_ + " failed: " +
                 avahi_strerror(avahi_client_errno(avahi_entry_group_get_client(group))));
      break;
    case AVAHI_ENTRY_GROUP_UNCOMMITED:
    case AVAHI_ENTRY_GROUP_REGISTERING:
      break;
  }
}

void AvahiHostPublication::AddAndCommit() {
  SetState(HostPublicationState::kRegistering);
  for (const HostAddress& address : addresses_) {
    const AvahiAddress a = ToAvahi(address);
    // No PTR record: the reverse name of the address is not ours to claim
    // (the device, or its DHCP server, may answer for it).
    const int added =
        avahi_entry_group_add_address(group_.get(), AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC,
                                      AVAHI_PUBLISH_NO_REVERSE, host_.c_str(), &a);
    if (added < 0) {
      RetryLater("cannot publish " + host_ + " -> " + address.text + ": " + avahi_strerror(added));
      return;
    }
  }
  if (const int committed = avahi_entry_group_commit(group_.get()); committed < 0) {
    RetryLater("cannot publish " + host_ + ": " + avahi_strerror(committed));
  }
}

void AvahiHostPublication::RetryLater(const std::string& why) {
  if (group_) avahi_entry_group_reset(group_.get());
  const std::chrono::milliseconds delay = backoff_.Next(CollisionBackoff::Clock::now());
  core_->Log("mDNS: " + why + "; trying again in " + Seconds(delay));
  waiting_ = true;
  retry_->ArmIn(static_cast<long>(delay.count()));
}

void AvahiHostPublication::RetryCallback(AvahiTimeout*, void* self) {
  InLoop in_loop;
  auto* me = static_cast<AvahiHostPublication*>(self);
  me->retry_->Disarm();
  me->waiting_ = false;
  // Without a group the client is gone; OnClientRunning registers again.
  if (me->group_ && avahi_entry_group_is_empty(me->group_.get())) {
    me->core_->Log("mDNS: claiming " + me->host_ + " again");
    me->AddAndCommit();
  }
}

}  // namespace homeca::mdns::avahi
