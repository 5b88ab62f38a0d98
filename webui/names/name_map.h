// The name map homecad publishes: for each enrolled device, the names it is
// reached by and its current addresses, as handed to the exporters; and the
// defensive check every exporter runs before a byte of it reaches a file.
//
// The names were validated by the CA's policy and the addresses come from
// authenticated contact, but a hosts file or an unbound include must never be
// corruptible by data, so CleanForDns checks both again: a name that is not a
// plain DNS host name (a space, a newline, a quote, a bad label) or an address
// inet_pton does not parse is left out and reported.
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace homeca::webui::names {

struct PublishedHost {
  std::vector<std::string> names;      // e.g. "nas.home.arpa", "nas.local"
  std::vector<std::string> addresses;  // IPv4 and IPv6 text, IPv4 first; never empty in a map
};
using NameMap = std::vector<PublishedHost>;

// What CleanForDns kept, and why it dropped what it dropped.
struct CleanedMap {
  // Hosts with at least one name and one address left, in the map's order.
  // Names are lower case without a trailing dot; addresses are in canonical
  // text (inet_ntop), IPv4 first, without duplicates.
  NameMap hosts;
  // One line per entry refused as malformed, hostile or conflicting, safe to
  // log (control and non-ASCII bytes escaped). Names under .local and
  // addresses no DNS answer can carry (link-local IPv6, unspecified,
  // multicast) are left out silently: that is by design, not bad data.
  std::vector<std::string> rejected;
};

// Keeps what a unicast DNS export may publish:
//  - names: host names of 2 to 127 labels of [a-z0-9-] (1 to 63 bytes, no
//    hyphen at either end), at most 253 bytes; names under "local" are left
//    out (RFC 6762: .local belongs to mDNS, and a stale hosts entry would
//    shadow the live mDNS answer). A name already given to an earlier host is
//    refused: the first host in the map keeps it.
//  - addresses: what inet_pton accepts as IPv4 or IPv6; an IPv4-mapped IPv6
//    address becomes its IPv4 address. IPv6 link-local addresses are left out
//    (a DNS record cannot carry the zone index they need), as are the
//    unspecified and multicast addresses.
CleanedMap CleanForDns(const NameMap& map);

// True for a name CleanForDns would publish (before the conflict check).
bool IsPublishableName(std::string_view name);

// `text` with control, quote, backslash and non-ASCII bytes as \xNN, cut to
// `max_bytes` of input ("..." marks the cut): for log lines about untrusted
// strings.
std::string Printable(std::string_view text, std::size_t max_bytes = 80);

}  // namespace homeca::webui::names
