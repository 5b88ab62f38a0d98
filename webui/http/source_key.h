// SourceKey: the unit in which the web UI counts a client, for the login
// limiter and the per-source connection cap. An IPv4 address counts as
// itself; an IPv4-mapped IPv6 address (::ffff:a.b.c.d, what a dual-stack
// socket reports for IPv4 peers) counts as that IPv4 address; any other IPv6
// address counts as its /64, because one host picks freely among the 2^64
// addresses of its prefix (RFC 4941 temporary addresses, RFC 8981) and a
// per-address count would give it as many tries as it likes.
//
// Thread-safety: pure functions.
#pragma once

#include <string>

namespace homeca::webui {

// "192.0.2.7", "2001:db8:1:2::/64"; text that is not an IP address is
// returned unchanged (it still counts, as itself).
std::string SourceKey(const std::string& address);

// True for 127.0.0.0/8, ::1 and ::ffff:127.0.0.0/104: the box itself.
bool IsLoopbackSource(const std::string& address);

}  // namespace homeca::webui
