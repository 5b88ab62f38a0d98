// Turning OpenSSL's thread-local error queue into a homeca Status.
#pragma once

#include <string>
#include <string_view>

#include "ca/base/status.h"

namespace homeca::ossl {

// Empties this thread's OpenSSL error queue and returns every entry, oldest
// first, joined with "; ". Returns "" when the queue was empty.
std::string DrainErrors();

// A kCrypto Status with `message` for the user and the drained error queue as
// the detail for the log.
Status CryptoError(std::string message);

// Clears the queue without reading it: for call sites where an OpenSSL
// failure is an expected answer (e.g. "this input is not PEM").
void ClearErrors();

}  // namespace homeca::ossl
