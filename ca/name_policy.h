// NamePolicy: which names this CA may put in a certificate, as a pure
// function over text. The same policy produces the root's and the
// intermediate's nameConstraints, so what the CA will sign and what verifiers
// will accept can never drift apart.
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "ca/base/encoding.h"
#include "ca/base/status.h"

namespace homeca::ca {

// A private address range the admin permitted at init, e.g. 192.168.1.0/24.
struct IpRange {
  Bytes network;  // 4 or 16 octets, host bits zero
  int prefix_len = 0;
  std::string ToString() const;    // "192.168.1.0/24"
  std::string MaskString() const;  // "255.255.255.0" (or IPv6 mask), for OpenSSL's config syntax
  bool is_v6() const { return network.size() == 16; }
};

// Parses "a.b.c.d/len" or "v6::/len". Refuses ranges that are not wholly
// inside private, link-local or unique-local space: a home CA has no business
// vouching for public addresses.
Result<IpRange> ParseIpRange(std::string_view text);

struct NamePolicy {
  // DNS suffixes names must sit under; "home.arpa" (RFC 8375) always, "local"
  // only when the admin opted in at init.
  std::vector<std::string> permitted_domains{"home.arpa"};
  std::vector<IpRange> permitted_ip_ranges;  // empty: every IP name refused
  bool allow_wildcards = false;
  std::size_t max_names = 16;
  // The appliance's own host label (its host name up to the first dot, lower
  // case; "" if unknown): homecad's certificate names "<label>.local", the
  // name Avahi announces for the box, so no device may hold it.
  std::string box_host_label;
};

struct CheckedName {
  enum class Kind { kDns, kIp };
  Kind kind = Kind::kDns;
  std::string text;  // normalized: lower case, no trailing dot / canonical IP text
  Bytes ip;          // octets when kind == kIp
};

// Who is to hold the names. The names reserved for the CA appliance itself go
// to its own server identity only (Authority::IssueServerIdentity); every
// other holder, whatever the path (CLI, pairing, renewal, API, ACME), is a
// device.
enum class NameHolder { kDevice, kCaItself };

// True for "ca" and the box's own host label under any permitted domain
// (ca.home.arpa, and ca.local and e.g. homeserver.local when .local is
// permitted): the names homecad serves and devices check when they renew,
// so a device holding one could pose as the CA to every other device and
// browser. `name` is normalized (lower case, no trailing dot).
bool IsReservedForCa(const NamePolicy& policy, std::string_view name);

// Validates and normalizes `names` (duplicates dropped, order kept). Every
// name must be a valid LDH host name strictly under a permitted domain, or an
// IP address inside a permitted range, and not reserved for the CA itself
// unless `holder` is the CA. Errors name the offending entry; a reserved
// name is refused with "'ca.home.arpa' is reserved for the CA itself".
Result<std::vector<CheckedName>> CheckNames(const NamePolicy& policy,
                                            const std::vector<std::string>& names,
                                            NameHolder holder = NameHolder::kDevice);

// "nas" -> "nas.home.arpa": a bare label is taken to mean a name under the
// first permitted domain, the way the admin UI and CLI talk about devices.
std::string ExpandDeviceName(std::string_view name, const NamePolicy& policy);

// The names a new pairing holds: `names` expanded as above, and beside a
// first name "<label>.home.arpa" also "<label>.local" when .local is
// permitted (every OS resolves it over mDNS with no setup). Not checked.
std::vector<std::string> PairingNamesFor(const std::vector<std::string>& names,
                                         const NamePolicy& policy);

// The local host's label as NamePolicy::box_host_label wants it.
std::string LocalHostLabel();

// OpenSSL v3 config value for a critical nameConstraints extension matching
// the policy: permitted DNS subtrees without a leading dot (the dotted form
// excludes the apex in every verifier), every IP excluded unless ranges
// were permitted (a DNS-only constraint leaves IP SANs unconstrained), and
// e-mail and URI names permitted only under homeca.invalid, i.e. none. Only
// name forms Go's crypto/x509 handles: no directoryName (ca/hierarchy.cpp).
std::string NameConstraintsConfig(const NamePolicy& policy);

}  // namespace homeca::ca
