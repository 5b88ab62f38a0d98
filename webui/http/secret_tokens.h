// Random secrets for the web UI (session ids, CSRF tokens, the setup token,
// API tokens) and the two operations they need: a hash to store instead of
// the secret, and a comparison whose time does not depend on where two
// values first differ.
//
// Thread-safety: pure functions over OpenSSL's thread-safe CSPRNG and digests.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "ca/base/encoding.h"

namespace homeca::webui {

// `bytes` random bytes (default 32, i.e. 256 bits) as unpadded base64url.
std::string NewRandomToken(std::size_t bytes = 32);

Bytes Sha256(std::string_view data);
std::string Sha256Hex(std::string_view data);

// Constant-time for equal lengths; false when the lengths differ or either
// value is empty (an empty secret never matches anything).
bool SecretsEqual(std::string_view a, std::string_view b);

}  // namespace homeca::webui
