// Renderers of the name map for the resolvers home networks run: a hosts
// file (for /etc/hosts, dnsmasq's hostsdir= or addn-hosts=, and anything that
// reads that format) and an unbound include (local-data). Both publish only
// what CleanForDns keeps (name_map.h): names under .local are never in them.
//
// Thread-safety: pure functions.
#pragma once

#include <string>

#include "webui/names/name_map.h"

namespace homeca::webui::names {

// "/etc/hosts" format: a comment saying the file is generated, then one line
// per address, "<address>\t<name> <name>...". dnsmasq answers the reverse
// (PTR) query for an address with the first name of its line.
std::string RenderHostsFile(const NameMap& map);

// An unbound configuration fragment that stands on its own: "server:", then
// local-data A/AAAA records for every name and one local-data-ptr per
// address (the first name of the first host with that address), so reverse
// lookups agree with the forward ones as they do with dnsmasq and a hosts
// file. Records have TTL 0, as dnsmasq gives hosts-file answers by default:
// a renumbered device is found at its new address at once, not after caches
// expire. No local-zone is declared: unbound serves home.arpa as a static
// local zone by default (RFC 8375), so unknown names under it get NXDOMAIN,
// and an admin's own local-zone for it is not fought.
std::string RenderUnboundInclude(const NameMap& map);

}  // namespace homeca::webui::names
