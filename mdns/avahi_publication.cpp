#include "mdns/avahi_publication.h"

#include <avahi-common/alternative.h>
#include <avahi-common/error.h>

namespace homeca::mdns::avahi {
namespace {

// A responder that claims every alternative name we try could keep us
// renaming forever; past this many renames we stop and say so.
constexpr int kMaxRenames = 32;

StringListPtr ToStringList(const std::vector<TxtEntry>& txt) {
  AvahiStringList* list = nullptr;
  // avahi_string_list_add* prepends: add in reverse to keep our order.
  for (auto it = txt.rbegin(); it != txt.rend(); ++it) {
    AvahiStringList* grown =
        it->has_value ? avahi_string_list_add_pair(list, it->key.c_str(), it->value.c_str())
                      : avahi_string_list_add(list, it->key.c_str());
    if (!grown) {
      avahi_string_list_free(list);
      return nullptr;
    }
    list = grown;
  }
  return StringListPtr(list);
}

}  // namespace

AvahiPublication::AvahiPublication(std::shared_ptr<AvahiCore> core, Announcement announcement)
    : core_(std::move(core)), announcement_(std::move(announcement)), name_(announcement_.name) {
  LoopLock lock(core_->poll());
  core_->AddUser(this);
}

AvahiPublication::~AvahiPublication() {
  LoopLock lock(core_->poll());
  core_->RemoveUser(this);
  group_.reset();  // withdraws: avahi-daemon sends the goodbye packets
}

std::string AvahiPublication::CurrentName() const {
  std::lock_guard<std::mutex> lock(name_mu_);
  return established_ ? name_ : std::string();
}

void AvahiPublication::OnClientRunning(AvahiClient* client) {
  if (!group_) {
    group_.reset(avahi_entry_group_new(client, &AvahiPublication::GroupCallback, this));
    if (!group_) {
      core_->Log("mDNS: cannot create an entry group for " + announcement_.type + ": " +
                 avahi_strerror(avahi_client_errno(client)));
      return;
    }
  }
  if (avahi_entry_group_is_empty(group_.get())) AddAndCommit(group_.get());
}

void AvahiPublication::OnClientReset() {
  established_ = false;
  if (group_) avahi_entry_group_reset(group_.get());
}

void AvahiPublication::OnClientLost() {
  established_ = false;
  group_.reset();  // dead with its client
}

void AvahiPublication::GroupCallback(AvahiEntryGroup* group, AvahiEntryGroupState state,
                                     void* self) {
  InLoop in_loop;
  static_cast<AvahiPublication*>(self)->HandleGroupState(group, state);
}

void AvahiPublication::HandleGroupState(AvahiEntryGroup* group, AvahiEntryGroupState state) {
  switch (state) {
    case AVAHI_ENTRY_GROUP_ESTABLISHED:
      established_ = true;
      renames_ = 0;
      core_->Log("mDNS: published " + announcement_.type + " as '" + CurrentName() + "' on port " +
                 std::to_string(announcement_.port));
      break;
    case AVAHI_ENTRY_GROUP_COLLISION:
      // Someone else on the LAN has this name: pick the next one.
      established_ = false;
      Rename("another service on the LAN has that name");
      if (renames_ <= kMaxRenames) {
        avahi_entry_group_reset(group);
        AddAndCommit(group);
      }
      break;
    case AVAHI_ENTRY_GROUP_FAILURE:
      established_ = false;
      core_->Log("mDNS: publishing " + announcement_.type + " failed: " +
                 avahi_strerror(avahi_client_errno(avahi_entry_group_get_client(group))));
      break;
    case AVAHI_ENTRY_GROUP_UNCOMMITED:
    case AVAHI_ENTRY_GROUP_REGISTERING:
      break;
  }
}

void AvahiPublication::AddAndCommit(AvahiEntryGroup* group) {
  StringListPtr txt = ToStringList(announcement_.txt);
  if (!txt && !announcement_.txt.empty()) {
    core_->Log("mDNS: out of memory building the TXT record");
    return;
  }
  for (;;) {
    std::string name;
    {
      std::lock_guard<std::mutex> lock(name_mu_);
      name = name_;
    }
    const int added = avahi_entry_group_add_service_strlst(
        group, AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC, AvahiPublishFlags(0), name.c_str(),
        announcement_.type.c_str(), nullptr, nullptr, announcement_.port, txt.get());
    if (added == AVAHI_ERR_COLLISION) {
      // Another service of this machine already has the name.
      Rename("another service on this machine has that name");
      if (renames_ > kMaxRenames) return;
      continue;
    }
    if (added < 0) {
      core_->Log("mDNS: cannot publish " + announcement_.type + ": " + avahi_strerror(added));
      return;
    }
    break;
  }
  if (const int committed = avahi_entry_group_commit(group); committed < 0) {
    core_->Log("mDNS: cannot publish " + announcement_.type + ": " + avahi_strerror(committed));
  }
}

void AvahiPublication::Rename(const char* why) {
  if (++renames_ > kMaxRenames) {
    core_->Log("mDNS: gave up publishing " + announcement_.type + " after " +
               std::to_string(kMaxRenames) + " name collisions");
    return;
  }
  std::string line;
  {
    std::lock_guard<std::mutex> lock(name_mu_);
    AvahiStringPtr next(avahi_alternative_service_name(name_.c_str()));
    if (!next) return;
    line = "mDNS: the name '" + name_ + "' is taken (" + why + "); trying '" + next.get() + "'";
    name_ = next.get();
  }
  core_->Log(line);
}

}  // namespace homeca::mdns::avahi
