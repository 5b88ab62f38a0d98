// The device's certificate signing request: PKCS#10, signed with SHA-256 by
// the device's own key. It proves possession of the key and nothing else (the
// CA takes names and extensions from the pairing, never from the CSR), so it
// carries only a descriptive subject CN and no extensions. The device makes a
// new key for every renewal (docs/enrollment-protocol.md, Renewal), of the
// same kind as the one it has.
//
// Thread-safety: stateless. Ownership: returns a value.
#pragma once

#include <string_view>

#include "ca/base/encoding.h"
#include "ca/base/status.h"
#include "ca/x509/key.h"

namespace homeca::enroll {

// DER PKCS#10 for `key`, subject CN=`common_name` (1-64 characters).
Result<Bytes> MakeCsrDer(const ca::PrivateKey& key, std::string_view common_name);

// A fresh key of the same kind as `current`: an EC key on the same named
// curve, an RSA key of the same size, or another key type OpenSSL generates
// without parameters (Ed25519). A device that was given a P-384 or RSA key
// (homeca-enroll --key ...) keeps that choice across renewals.
Result<ca::PrivateKey> GenerateKeyLike(const ca::PrivateKey& current);

}  // namespace homeca::enroll
