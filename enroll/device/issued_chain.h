// Checking what the CA issued before the device stores or uses it: the chain
// must verify with OpenSSL's X509_verify_cert to the root (and only to the
// root: no system trust store), for a TLS server, cover exactly the names the
// CA said it assigned, and certify the device's own key.
//
// Thread-safety: stateless functions. Ownership: returns values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ca/base/encoding.h"
#include "ca/x509/certificate.h"
#include "ca/x509/key.h"
#include "enroll/protocol/errors.h"

namespace homeca::enroll {

// A leaf, at most a few intermediates: anything longer is not from homeca.
inline constexpr std::size_t kMaxChainLength = 4;

// DER certificates, leaf first. kBadResponse when empty, too long or unreadable.
Result<std::vector<ca::Certificate>> ParseDerChain(const std::vector<Bytes>& der);

// Every certificate in a PEM text, in order. kBadResponse/kIo style errors are
// the caller's to choose, so this returns a Status.
Result<std::vector<ca::Certificate>> ParsePemCertificates(std::string_view pem);

// kUntrusted unless: `root` is a self-signed CA certificate; `chain` (leaf
// first) verifies to it at `now` (unix seconds) for TLS server use, name
// constraints included; `names` is not empty and every name is among the
// leaf's subjectAltNames; and the leaf's public key is `key`'s.
Status VerifyIssuedChain(const std::vector<ca::Certificate>& chain, const ca::Certificate& root,
                         const std::vector<std::string>& names, const ca::PrivateKey& key,
                         std::int64_t now);

}  // namespace homeca::enroll
