// Where the device talks to the CA: an https origin and a path, parsed from
// what a person types (`--ca ca.home.arpa`) or from the renew_url the CA
// sent. Only https is accepted: the protocol's pairing binds the TLS server
// certificate, and renewal authenticates both ends with TLS.
//
// Thread-safety: stateless functions; Endpoint is a plain value.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "ca/base/status.h"

namespace homeca::enroll {

inline constexpr std::string_view kDefaultEnrollPath = "/enroll/v1";
inline constexpr std::uint16_t kDefaultEnrollPort = 8443;

struct Endpoint {
  std::string host;  // DNS name or IP address (IPv6 without brackets)
  std::uint16_t port = kDefaultEnrollPort;
  std::string path;  // absolute, without a trailing slash

  // https://host:port/path (IPv6 hosts in brackets).
  std::string Url() const;
};

// Accepts "https://host[:port][/path]" (port 443 unless given, like any URL;
// path /enroll/v1 when empty) or a bare "host[:port]" (port 8443 and
// /enroll/v1, the CA's defaults). Refuses other schemes, user info, queries
// and fragments with InvalidArgument.
Result<Endpoint> ParseCaUrl(std::string_view text);

// A full https URL as the CA sends it (renew_url): scheme required, path kept.
Result<Endpoint> ParseHttpsUrl(std::string_view text);

}  // namespace homeca::enroll
