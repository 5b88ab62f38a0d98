// Where an enrolled device is on the LAN (schema 6): the address of its last
// authenticated contact per address family (pairing, renewal, a check-in with
// its client certificate), and an address the admin pinned. homecad
// publishes these under the device's names (docs/operations.md, "Make names
// resolve"); an unauthenticated mDNS sighting never becomes one.
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ca/base/status.h"

namespace homeca::ca {

enum class AddressFamily : int { kIpv4 = 4, kIpv6 = 6 };

// How homecad learned an address.
enum class AddressSource { kPairing, kRenewal, kCheckIn, kPinned };
const char* ToString(AddressSource source);  // "pairing", "renewal", "checkin", "pinned"
std::optional<AddressSource> ParseAddressSource(std::string_view text);

struct DeviceAddress {
  AddressFamily family = AddressFamily::kIpv4;
  std::string address;  // canonical text (inet_ntop), e.g. "192.168.1.20", "fd00::20"
  AddressSource source = AddressSource::kCheckIn;
  std::int64_t seen_at = 0;  // unix seconds: last contact, or when pinned
};

// Parses an address a device could be reached at from across the LAN and
// returns its canonical form. IPv4-mapped IPv6 ("::ffff:10.0.0.5") reads as
// IPv4. Refused, with the reason: anything that does not parse, loopback,
// unspecified, multicast and broadcast addresses, and IPv6 link-local
// addresses (fe80::/10: useless without the interface they belong to).
// IPv4 link-local (169.254/16) is accepted: hosts on the same link reach it.
Result<DeviceAddress> ParseDeviceAddress(std::string_view text);

// The addresses to publish for a device, IPv4 first: per family the pinned
// address if there is one, else the last authenticated contact.
std::vector<DeviceAddress> PublishedAddresses(const std::vector<DeviceAddress>& known);

}  // namespace homeca::ca
