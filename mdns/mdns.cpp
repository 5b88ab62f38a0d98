#include "mdns/mdns.h"

#include "mdns/untrusted_text.h"

namespace homeca::mdns {

Status CheckAnnouncement(const Announcement& a) {
  if (!IsValidServiceType(a.type)) {
    return Status::InvalidArgument("mDNS: '" + SanitizeText(a.type, 64) +
                                   "' is not a service type");
  }
  bool changed = false;
  SanitizeText(a.name, kMaxInstanceNameBytes, &changed);
  if (a.name.empty() || changed) {
    return Status::InvalidArgument(
        "mDNS: a service name must be 1 to 63 bytes of UTF-8 without control characters");
  }
  if (a.txt.size() > kMaxTxtEntries) return Status::InvalidArgument("mDNS: too many TXT entries");
  for (const TxtEntry& e : a.txt) {
    std::string raw = e.key + (e.has_value ? "=" + e.value : "");
    ParsedTxt parsed = ParseTxt({raw});
    if (raw.size() > kMaxTxtValueBytes || parsed.truncated || parsed.entries.size() != 1 ||
        parsed.entries[0].key != e.key) {
      return Status::InvalidArgument("mDNS: TXT entry '" + SanitizeText(e.key, 32) +
                                     "' is invalid or longer than 255 bytes");
    }
  }
  return Status::Ok();
}

const char* MdnsStateName(MdnsState state) {
  switch (state) {
    case MdnsState::kStarting:
      return "starting";
    case MdnsState::kRunning:
      return "running";
    case MdnsState::kUnavailable:
      break;
  }
  return "unavailable";
}

const char* HostPublicationStateName(HostPublicationState state) {
  switch (state) {
    case HostPublicationState::kRegistering:
      break;
    case HostPublicationState::kEstablished:
      return "established";
    case HostPublicationState::kCollision:
      return "collision";
  }
  return "registering";
}

}  // namespace homeca::mdns
