// The daemon's own TLS identity: a key and certificate it issues to itself
// from the CA's intermediate (ca.home.arpa, plus <host>.local where the CA
// permits .local, plus configured names), kept in the data directory and
// renewed by itself at two thirds of its lifetime.
//
// Thread-safety: functions are stateless; callers serialize renewals.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "ca/authority.h"
#include "ca/base/status.h"

namespace homeca::webui {

struct ServerIdentity {
  std::filesystem::path key_file;    // server-key.pem, 0600
  std::filesystem::path chain_file;  // server-chain.pem: leaf then intermediate
  Bytes leaf_sha256;                 // SHA-256 of the DER leaf (bound into pairing)
  std::int64_t not_before = 0;
  std::int64_t not_after = 0;
  std::vector<std::string> names;
};

// The names the daemon's certificate should carry: `configured` if given,
// else, when the CA permits .local, <hostname>.local first (the name every
// link and the renew URL use: it resolves over mDNS with no setup), then
// ca.home.arpa.
std::vector<std::string> DefaultServerNames(const ca::Authority& authority,
                                            const std::vector<std::string>& configured);

// Loads the identity from the data directory, issuing a fresh one when it is
// missing, does not chain to this CA, has other names than `names`, or has
// passed two thirds of its lifetime.
Result<ServerIdentity> EnsureServerIdentity(ca::Authority& authority,
                                            const std::vector<std::string>& names);

// True once two thirds of the certificate's lifetime have passed.
bool NeedsRenewal(const ServerIdentity& identity, std::int64_t now);

}  // namespace homeca::webui
