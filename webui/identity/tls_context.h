// The HTTPS server's TLS settings, in one place: TLS 1.2 and newer only,
// strong ciphers, the daemon's own key and chain, and an optional client
// certificate that must chain to this CA's root (how devices renew).
#pragma once

#include <Poco/Net/Context.h>

#include "webui/identity/server_identity.h"

namespace homeca::webui {

// Key exchange groups the server accepts, in its order of preference.
inline constexpr const char* kServerTlsGroups = "X25519:P-256:P-384";

// `root_file` is the CA's root.pem: client certificates are verified against
// it when a client presents one; clients without one are still served.
Poco::Net::Context::Ptr MakeServerTlsContext(const ServerIdentity& identity,
                                             const std::filesystem::path& root_file);

}  // namespace homeca::webui
