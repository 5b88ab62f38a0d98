// The checks homeca makes of an RSA public key it is handed (a CSR's, an
// ACME account's JWK), in place of OpenSSL's EVP_PKEY_public_check.
//
// Why not OpenSSL's: for RSA it runs the SP 800-56B public-key check, whose
// proof that the modulus is composite is a constant-time Miller-Rabin test:
// 4.4 ms per 2048-bit key on the reference machine, paid on every ACME
// request signed with RS256 (bench/acme.sh). What a bad modulus could cost
// is borne by its owner alone: a JWS verified under it proves nothing about
// anyone else, and a certificate for it is as weak as the device that made
// it. So these are the CA/B Forum Baseline Requirements' checks (6.1.6):
// an odd exponent of at least 3, an odd modulus with no prime factor below
// 752, which cost microseconds.
//
// Thread-safety: pure functions.
#pragma once

#include <openssl/bn.h>

#include <string>

namespace homeca {

// "" when `n` and `e` pass, else what is wrong in plain words. Sizes are the
// caller's policy (bits of n, bytes of e) and are not checked here.
std::string RsaPublicNumbersProblem(const BIGNUM* n, const BIGNUM* e);

}  // namespace homeca
