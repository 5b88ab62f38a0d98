// Host names and addresses for the A/AAAA records homeca publishes and
// watches over mDNS (Mdns::PublishHost, Mdns::WatchHost): checking what we
// are asked to publish, and turning record data read from the network into
// text. No Avahi here.
//
// Thread-safety: pure functions.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace homeca::mdns {

// At most this many addresses are published for, or tracked per, host name:
// a device has a few; more is a flood.
inline constexpr std::size_t kMaxHostAddresses = 16;

// `host` in lower case if it is a host name we publish or watch over mDNS:
// one or more labels, then "local"; each label 1-63 letters, digits and
// hyphens, neither starting nor ending with a hyphen; at most 253 bytes; no
// trailing dot. nullopt otherwise.
std::optional<std::string> CanonicalLocalHostName(std::string_view host);

struct HostAddress {
  bool ipv6 = false;
  std::array<std::uint8_t, 16> bytes{};  // network order; the first 4 for IPv4
  std::string text;                      // canonical (inet_ntop)

  // IPv4 before IPv6, then numeric.
  bool operator<(const HostAddress& o) const;
  bool operator==(const HostAddress& o) const { return ipv6 == o.ipv6 && bytes == o.bytes; }
};

// An address a host name may point at: IPv4 dotted quad or IPv6 text (no
// scope, no prefix length). Unspecified, loopback, multicast, the IPv4
// broadcast address and IPv4-mapped IPv6 addresses are refused: no device on
// the LAN is there (or, mapped, it belongs in an A record).
std::optional<HostAddress> ParseHostAddress(std::string_view text);

// The address in an A (ipv6 false, 4 bytes) or AAAA (16 bytes) record's
// data as read from the network; nullopt when the length is wrong.
std::optional<HostAddress> AddressFromRecordData(bool ipv6, const void* data, std::size_t size);

// Parses, de-duplicates and sorts `texts` for publishing: nullopt if any is
// invalid, if there are none, or more than kMaxHostAddresses.
std::optional<std::vector<HostAddress>> ParseHostAddresses(const std::vector<std::string>& texts);

}  // namespace homeca::mdns
