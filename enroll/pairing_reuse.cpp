// Names already in use when a pairing is made (a device that has them, or
// a pairing waiting for them), and "New code" for a pairing that failed,
// expired or is still waiting (enroll/pairing_admin.h).
#include <algorithm>

#include "enroll/pairing_admin.h"

namespace homeca::enroll {
namespace {

std::optional<std::string> Shared(const std::vector<std::string>& a,
                                  const std::vector<std::string>& b) {
  for (const std::string& name : a) {
    if (std::find(b.begin(), b.end(), name) != b.end()) return name;
  }
  return std::nullopt;
}

}  // namespace

Result<std::optional<NameHolder>> FindNameHolder(ca::Authority& authority,
                                                 const std::vector<std::string>& names,
                                                 std::int64_t now, std::int64_t except_device) {
  ca::PairingFilter waiting;
  waiting.waiting_only = true;
  waiting.now = now;
  waiting.limit = 1000;
  Result<std::vector<ca::PairingSummary>> pending = authority.pairings().ListPairings(waiting);
  if (!pending.ok()) return pending.status();
  for (const ca::PairingSummary& p : *pending) {
    if (std::optional<std::string> name = Shared(names, p.names)) {
      return std::optional<NameHolder>(NameHolder{p.id, false, *name});
    }
  }
  Result<std::vector<ca::DeviceRecord>> devices = authority.pairings().ListDevices();
  if (!devices.ok()) return devices.status();
  for (const ca::DeviceRecord& d : *devices) {
    if (d.revoked_at.has_value() || d.pairing.id == except_device) continue;
    if (std::optional<std::string> name = Shared(names, d.pairing.names)) {
      return std::optional<NameHolder>(NameHolder{d.pairing.id, true, *name});
    }
  }
  return std::optional<NameHolder>();
}

std::string NameInUseMessage(const NameHolder& holder) {
  if (holder.paired) {
    return holder.name + " is already the name of a paired device (device " +
           std::to_string(holder.pairing_id) +
           "). To give it to a new device, replace that one: its certificates are revoked "
           "when the new device pairs.";
  }
  return holder.name + " is already waiting to pair (pairing " + std::to_string(holder.pairing_id) +
         "). Make a new code on that pairing, or replace it: its code stops working.";
}

Result<std::int64_t> StorePairingForNames(ca::Authority& authority, const ca::NewPairing& pairing) {
  Result<std::int64_t> id = authority.pairings().CreatePairing(pairing);
  if (id.ok() || id.status().reason() != ca::kPairingNameHeld) return id;
  Result<std::optional<NameHolder>> holder =
      FindNameHolder(authority, pairing.names, pairing.created_at, pairing.replaces);
  if (!holder.ok() || !holder->has_value()) return id.status();
  return Status::AlreadyExists(NameInUseMessage(**holder)).WithReason(ca::kPairingNameHeld);
}

Result<std::int64_t> ClaimNames(ca::Authority& authority, const std::vector<std::string>& names,
                                NameReuse reuse, const std::string& actor) {
  const std::int64_t now = authority.clock().Now();
  std::int64_t replaces = 0;
  // Waiting pairings come first (FindNameHolder): each is cancelled, then
  // what is left is at most the device the new pairing replaces. Bounded:
  // every round cancels one pairing.
  for (int round = 0; round < 1000; ++round) {
    Result<std::optional<NameHolder>> holder = FindNameHolder(authority, names, now);
    if (!holder.ok()) return holder.status();
    if (!holder->has_value()) return replaces;
    const NameHolder& h = **holder;
    if (reuse == NameReuse::kRefuse) return Status::AlreadyExists(NameInUseMessage(h));
    if (h.paired) return h.pairing_id;
    // What the waiting pairing was to replace, the new one replaces.
    Result<ca::PairingSummary> old = authority.pairings().GetPairing(h.pairing_id, now);
    if (!old.ok()) return old.status();
    if (old->replaces > 0) replaces = old->replaces;
    Status cancelled = authority.pairings().CancelPairing(h.pairing_id, now, actor);
    if (!cancelled.ok() && !cancelled.IsFailedPrecondition()) return cancelled;
  }
  return Status::Internal("too many pairings hold these names");
}

Result<CodePairing> RenewPairingCode(ca::Authority& authority, std::int64_t pairing_id,
                                     std::int64_t ttl_seconds, const std::string& actor) {
  if (ttl_seconds < kMinPairingTtlSeconds || ttl_seconds > kMaxPairingTtlSeconds) {
    return Status::InvalidArgument("a pairing must be valid for 1 minute to 24 hours");
  }
  const std::int64_t now = authority.clock().Now();
  Result<ca::PairingSummary> old = authority.pairings().GetPairing(pairing_id, now);
  if (!old.ok()) return old.status();
  if (!old->key.slot.has_value()) {
    return Status::FailedPrecondition(
        "this pairing waits for the device's own code; arm it again with the code the device "
        "shows");
  }
  switch (old->state) {
    case ca::PairingState::kPaired:
      return Status::FailedPrecondition("this pairing is done: the device is paired");
    case ca::PairingState::kCancelled:
      return Status::FailedPrecondition("this pairing was cancelled; add the device again");
    case ca::PairingState::kArmed: {
      Status cancelled = authority.pairings().CancelPairing(pairing_id, now, actor);
      if (!cancelled.ok() && !cancelled.IsFailedPrecondition()) return cancelled;
      break;
    }
    case ca::PairingState::kBurned:
    case ca::PairingState::kExpired:
      break;
  }
  Result<std::vector<std::string>> checked = CheckPairingNames(authority.policy(), old->names);
  if (!checked.ok()) return checked.status();
  // Someone else may have taken a name since (a device paired with it): the
  // store refuses it then, in NameInUseMessage's words.
  return CreateCheckedCodePairing(authority, *checked, ttl_seconds, actor, old->replaces);
}

}  // namespace homeca::enroll
