// The RSA public-key checks that replace OpenSSL's SP 800-56B one
// (ca/base/rsa_public_key.h): a real key passes; an even modulus, one with a
// factor below 752, and exponents that are even, 1 or not below the modulus
// are refused, each with its reason.
#include "ca/base/rsa_public_key.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <catch2/catch.hpp>

#include "ca/base/openssl_handles.h"

namespace homeca {
namespace {

ossl::Bn Number(unsigned long value) {
  ossl::Bn n(BN_new());
  REQUIRE(BN_set_word(n.get(), value) == 1);
  return n;
}

TEST_CASE("RSA public numbers: the Baseline Requirements' checks") {
  ossl::Pkey key(EVP_RSA_gen(2048));
  REQUIRE(key);
  BIGNUM* raw_n = nullptr;
  BIGNUM* raw_e = nullptr;
  REQUIRE(EVP_PKEY_get_bn_param(key.get(), OSSL_PKEY_PARAM_RSA_N, &raw_n) == 1);
  REQUIRE(EVP_PKEY_get_bn_param(key.get(), OSSL_PKEY_PARAM_RSA_E, &raw_e) == 1);
  ossl::Bn n(raw_n);
  ossl::Bn e(raw_e);
  CHECK(RsaPublicNumbersProblem(n.get(), e.get()).empty());

  ossl::Bn even(BN_dup(n.get()));
  REQUIRE(BN_sub_word(even.get(), 1) == 1);
  CHECK(RsaPublicNumbersProblem(even.get(), e.get()) == "the RSA modulus must be odd");

  // n * 751 is odd and has the largest factor the rule names; n * 757 passes.
  ossl::Bn times751(BN_dup(n.get()));
  REQUIRE(BN_mul_word(times751.get(), 751) == 1);
  CHECK(RsaPublicNumbersProblem(times751.get(), e.get()) ==
        "the RSA modulus has a small factor (751)");
  ossl::Bn times757(BN_dup(n.get()));
  REQUIRE(BN_mul_word(times757.get(), 757) == 1);
  CHECK(RsaPublicNumbersProblem(times757.get(), e.get()).empty());

  CHECK(RsaPublicNumbersProblem(n.get(), Number(1).get()) ==
        "the RSA exponent must be odd and at least 3");
  CHECK(RsaPublicNumbersProblem(n.get(), Number(65536).get()) ==
        "the RSA exponent must be odd and at least 3");
  CHECK(RsaPublicNumbersProblem(n.get(), Number(3).get()).empty());
  CHECK(RsaPublicNumbersProblem(Number(35).get(), Number(37).get()) ==
        "the RSA exponent must be smaller than the modulus");
  CHECK(RsaPublicNumbersProblem(nullptr, e.get()) == "the RSA key has no modulus or exponent");
}

}  // namespace
}  // namespace homeca
