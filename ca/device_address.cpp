#include "ca/device_address.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cstring>

namespace homeca::ca {
namespace {

bool InRange4(std::uint32_t address, std::uint32_t network, int prefix) {
  const std::uint32_t mask = prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - prefix);
  return (address & mask) == (network & mask);
}

Result<DeviceAddress> FromIpv4(const in_addr& raw) {
  const std::uint32_t a = ntohl(raw.s_addr);
  if (InRange4(a, 0x00000000, 8)) return Status::InvalidArgument("an unspecified address");
  if (InRange4(a, 0x7f000000, 8)) return Status::InvalidArgument("a loopback address");
  if (InRange4(a, 0xe0000000, 4)) return Status::InvalidArgument("a multicast address");
  if (a == 0xffffffff) return Status::InvalidArgument("the broadcast address");
  std::array<char, INET_ADDRSTRLEN> text{};
  inet_ntop(AF_INET, &raw, text.data(), text.size());
  return DeviceAddress{AddressFamily::kIpv4, text.data(), AddressSource::kCheckIn, 0};
}

}  // namespace

const char* ToString(AddressSource source) {
  switch (source) {
    case AddressSource::kPairing:
      return "pairing";
    case AddressSource::kRenewal:
      return "renewal";
    case AddressSource::kCheckIn:
      return "checkin";
    case AddressSource::kPinned:
      return "pinned";
  }
  return "checkin";
}

std::optional<AddressSource> ParseAddressSource(std::string_view text) {
  for (AddressSource s : {AddressSource::kPairing, AddressSource::kRenewal, AddressSource::kCheckIn,
                          AddressSource::kPinned}) {
    if (text == ToString(s)) return s;
  }
  return std::nullopt;
}

Result<DeviceAddress> ParseDeviceAddress(std::string_view text) {
  // inet_pton needs a terminated string; the longest IPv6 text is 45 bytes.
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN) {
    return Status::InvalidArgument("not an IP address");
  }
  const std::string terminated(text);
  in_addr v4{};
  if (inet_pton(AF_INET, terminated.c_str(), &v4) == 1) return FromIpv4(v4);
  in6_addr v6{};
  if (inet_pton(AF_INET6, terminated.c_str(), &v6) != 1) {
    return Status::InvalidArgument("not an IP address");
  }
  if (IN6_IS_ADDR_V4MAPPED(&v6)) {
    std::memcpy(&v4.s_addr, &v6.s6_addr[12], 4);
    return FromIpv4(v4);
  }
  if (IN6_IS_ADDR_UNSPECIFIED(&v6)) return Status::InvalidArgument("an unspecified address");
  if (IN6_IS_ADDR_LOOPBACK(&v6)) return Status::InvalidArgument("a loopback address");
  if (IN6_IS_ADDR_MULTICAST(&v6)) return Status::InvalidArgument("a multicast address");
  if (IN6_IS_ADDR_LINKLOCAL(&v6)) {
    return Status::InvalidArgument("an IPv6 link-local address (it needs its interface)");
  }
  std::array<char, INET6_ADDRSTRLEN> canonical{};
  inet_ntop(AF_INET6, &v6, canonical.data(), canonical.size());
  return DeviceAddress{AddressFamily::kIpv6, canonical.data(), AddressSource::kCheckIn, 0};
}

std::vector<DeviceAddress> PublishedAddresses(const std::vector<DeviceAddress>& known) {
  std::vector<DeviceAddress> out;
  for (AddressFamily family : {AddressFamily::kIpv4, AddressFamily::kIpv6}) {
    const DeviceAddress* best = nullptr;
    for (const DeviceAddress& a : known) {
      if (a.family != family) continue;
      const bool a_pinned = a.source == AddressSource::kPinned;
      if (best == nullptr || (a_pinned && best->source != AddressSource::kPinned) ||
          (a_pinned == (best->source == AddressSource::kPinned) && a.seen_at > best->seen_at)) {
        best = &a;
      }
    }
    if (best != nullptr) out.push_back(*best);
  }
  return out;
}

}  // namespace homeca::ca
