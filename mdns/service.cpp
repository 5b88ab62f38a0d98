#include "mdns/service.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>

namespace homeca::mdns {

std::optional<std::string> FindTxt(const std::vector<TxtEntry>& txt, std::string_view key) {
  for (const TxtEntry& entry : txt) {
    if (entry.key.size() == key.size() &&
        std::equal(key.begin(), key.end(), entry.key.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) ==
                 std::tolower(static_cast<unsigned char>(b));
        })) {
      return entry.value;
    }
  }
  return std::nullopt;
}

bool ServiceAddress::IsLinkLocalIpv6() const {
  if (!ipv6) return false;
  unsigned char bytes[16];
  if (inet_pton(AF_INET6, address.c_str(), bytes) != 1) return false;
  return bytes[0] == 0xfe && (bytes[1] & 0xc0) == 0x80;  // fe80::/10
}

std::string ServiceAddress::HostForConnect() const {
  if (!IsLinkLocalIpv6()) return address;
  if (!interface_name.empty()) return address + "%" + interface_name;
  return address + "%" + std::to_string(interface_index);
}

bool IsValidServiceType(std::string_view type) {
  constexpr std::string_view kTcp = "._tcp";
  constexpr std::string_view kUdp = "._udp";
  if (type.size() < 2 + kTcp.size() || type[0] != '_') return false;
  const std::string_view tail = type.substr(type.size() - kTcp.size());
  if (tail != kTcp && tail != kUdp) return false;
  const std::string_view name = type.substr(1, type.size() - 1 - kTcp.size());
  if (name.empty() || name.size() > 15 || name.front() == '-' || name.back() == '-') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

}  // namespace homeca::mdns
