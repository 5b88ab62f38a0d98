// Value types for DNS-SD services (RFC 6763) as homeca publishes and browses
// them. Everything in a ResolvedService came from the network and has been
// through untrusted_text.h: bounded, valid UTF-8, no control characters. It
// is still untrusted: escape it for HTML, and never build a file path or a
// shell command from it.
//
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace homeca::mdns {

// DNS-SD limits we enforce on what we read (RFC 6763 sections 4.1.1, 6).
inline constexpr std::size_t kMaxInstanceNameBytes = 63;
inline constexpr std::size_t kMaxHostNameBytes = 255;
inline constexpr std::size_t kMaxTxtKeyBytes = 32;
inline constexpr std::size_t kMaxTxtValueBytes = 255;
inline constexpr std::size_t kMaxTxtEntries = 32;

// One key=value string of a TXT record. A key without '=' has an empty value
// and `has_value` false (RFC 6763 section 6.4: "boolean attribute").
struct TxtEntry {
  std::string key;  // printable ASCII, no '=', lower-cased (keys are case-insensitive)
  std::string value;
  bool has_value = true;

  bool operator==(const TxtEntry&) const = default;
};

// The value of `key` (case-insensitive), the first one if repeated (RFC 6763
// section 6.4: only the first occurrence counts).
std::optional<std::string> FindTxt(const std::vector<TxtEntry>& txt, std::string_view key);

struct ServiceAddress {
  std::string address;  // textual: "192.168.1.20" or "fe80::1" (no scope)
  bool ipv6 = false;
  std::uint32_t interface_index = 0;  // where it was seen; the scope of a link-local address
  std::string interface_name;         // "eth0", empty if unknown

  bool IsLinkLocalIpv6() const;
  // What to connect to: the address, with "%<interface>" for an IPv6
  // link-local address (it means nothing without its scope).
  std::string HostForConnect() const;

  bool operator==(const ServiceAddress&) const = default;
};

// Identifies one service instance across interfaces and address families.
struct ServiceKey {
  std::string name;    // instance name, e.g. "Office printer"
  std::string type;    // "_ipp._tcp"
  std::string domain;  // "local"

  bool operator==(const ServiceKey&) const = default;
  bool operator<(const ServiceKey& o) const {
    return std::tie(name, type, domain) < std::tie(o.name, o.type, o.domain);
  }
};

struct ResolvedService {
  ServiceKey key;
  std::string host_name;  // "printer.local"
  std::uint16_t port = 0;
  std::vector<ServiceAddress> addresses;  // IPv4 first, then IPv6
  std::vector<TxtEntry> txt;
  bool txt_truncated = false;  // entries were dropped or cut to the bounds above
  bool local = false;          // published by this machine

  bool operator==(const ResolvedService&) const = default;
};

// What we publish.
struct Announcement {
  std::string name;  // instance name (UTF-8, at most 63 bytes)
  std::string type;  // "_homeca._tcp"
  std::uint16_t port = 0;
  std::vector<TxtEntry> txt;
};

// True for a service type we accept to browse or publish: "_name._tcp" or
// "_name._udp", name 1-15 of a-z 0-9 '-' (RFC 6335 section 5.1).
bool IsValidServiceType(std::string_view type);

}  // namespace homeca::mdns
