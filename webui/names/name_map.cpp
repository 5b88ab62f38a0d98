#include "webui/names/name_map.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>
#include <optional>
#include <set>

namespace homeca::webui::names {
namespace {

constexpr std::size_t kMaxNameBytes = 253;  // RFC 1035 2.3.4, in text form
constexpr std::size_t kMaxLabelBytes = 63;

bool IsLabelChar(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; }

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Lower case, one trailing dot dropped; empty if not a multi-label host name.
std::string HostName(std::string_view raw) {
  std::string name = Lower(raw);
  if (!name.empty() && name.back() == '.') name.pop_back();
  if (name.empty() || name.size() > kMaxNameBytes) return {};
  std::size_t labels = 0;
  std::size_t start = 0;
  while (start <= name.size()) {
    std::size_t end = name.find('.', start);
    if (end == std::string::npos) end = name.size();
    const std::string_view label(name.data() + start, end - start);
    if (label.empty() || label.size() > kMaxLabelBytes) return {};
    if (label.front() == '-' || label.back() == '-') return {};
    if (!std::all_of(label.begin(), label.end(), IsLabelChar)) return {};
    ++labels;
    start = end + 1;
  }
  return labels >= 2 ? name : std::string();
}

bool IsMdnsName(const std::string& name) {
  return name == "local" || (name.size() > 6 && name.compare(name.size() - 6, 6, ".local") == 0);
}

enum class AddressVerdict { kPublish, kLeaveOut, kMalformed };

struct Address {
  AddressVerdict verdict = AddressVerdict::kMalformed;
  bool ipv4 = false;
  std::string text;  // canonical
};

Address ParseAddress(const std::string& raw) {
  Address out;
  unsigned char bytes[16];
  char text[INET6_ADDRSTRLEN];
  // inet_pton stops at nothing: a NUL inside the string would hide the rest.
  if (raw.find('\0') != std::string::npos) return out;
  if (::inet_pton(AF_INET, raw.c_str(), bytes) == 1) {
    out.ipv4 = true;
  } else if (::inet_pton(AF_INET6, raw.c_str(), bytes) == 1) {
    static const unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::memcmp(bytes, kMapped, sizeof kMapped) == 0) {
      std::memmove(bytes, bytes + 12, 4);
      out.ipv4 = true;
    }
  } else {
    return out;
  }
  if (out.ipv4) {
    const bool unspecified = bytes[0] == 0 && bytes[1] == 0 && bytes[2] == 0 && bytes[3] == 0;
    const bool multicast_or_broadcast = bytes[0] >= 224;
    out.verdict = unspecified || multicast_or_broadcast ? AddressVerdict::kLeaveOut
                                                        : AddressVerdict::kPublish;
    ::inet_ntop(AF_INET, bytes, text, sizeof text);
  } else {
    static const unsigned char kZero[16] = {};
    const bool unspecified = std::memcmp(bytes, kZero, 16) == 0;
    const bool multicast = bytes[0] == 0xff;
    const bool link_local = bytes[0] == 0xfe && (bytes[1] & 0xc0) == 0x80;  // fe80::/10
    out.verdict = unspecified || multicast || link_local ? AddressVerdict::kLeaveOut
                                                         : AddressVerdict::kPublish;
    ::inet_ntop(AF_INET6, bytes, text, sizeof text);
  }
  out.text = text;
  return out;
}

}  // namespace

bool IsPublishableName(std::string_view name) {
  const std::string host = HostName(name);
  return !host.empty() && !IsMdnsName(host);
}

std::string Printable(std::string_view text, std::size_t max_bytes) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : text.substr(0, max_bytes)) {
    if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    } else {
      out += static_cast<char>(c);
    }
  }
  if (text.size() > max_bytes) out += "...";
  return out;
}

CleanedMap CleanForDns(const NameMap& map) {
  CleanedMap cleaned;
  std::set<std::string> taken;  // names given to an earlier host
  for (const PublishedHost& host : map) {
    std::vector<std::string> names;
    for (const std::string& raw : host.names) {
      const std::string name = HostName(raw);
      if (name.empty()) {
        cleaned.rejected.push_back("not a DNS host name: \"" + Printable(raw) + "\"");
      } else if (!IsMdnsName(name) && std::find(names.begin(), names.end(), name) == names.end()) {
        names.push_back(name);
      }
    }
    PublishedHost kept;
    std::vector<std::string> ipv6;
    for (const std::string& raw : host.addresses) {
      const Address address = ParseAddress(raw);
      if (address.verdict == AddressVerdict::kMalformed) {
        cleaned.rejected.push_back("not an IP address: \"" + Printable(raw) + "\"");
        continue;
      }
      if (address.verdict == AddressVerdict::kLeaveOut) continue;
      std::vector<std::string>& list = address.ipv4 ? kept.addresses : ipv6;
      if (std::find(list.begin(), list.end(), address.text) == list.end()) {
        list.push_back(address.text);
      }
    }
    kept.addresses.insert(kept.addresses.end(), ipv6.begin(), ipv6.end());
    if (kept.addresses.empty()) continue;  // publishes nothing, so claims no name
    for (const std::string& name : names) {
      if (!taken.insert(name).second) {
        cleaned.rejected.push_back("name \"" + name +
                                   "\" is already published for another device, which keeps it");
        continue;
      }
      kept.names.push_back(name);
    }
    if (!kept.names.empty()) cleaned.hosts.push_back(std::move(kept));
  }
  return cleaned;
}

}  // namespace homeca::webui::names
