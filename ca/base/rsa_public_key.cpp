#include "ca/base/rsa_public_key.h"

#include <array>

namespace homeca {
namespace {

// The primes below 752, the bound the Baseline Requirements (6.1.6) name.
constexpr int kSmallFactorBound = 752;

constexpr auto SmallPrimes() {
  std::array<bool, kSmallFactorBound> composite{};
  std::array<int, 133> primes{};
  std::size_t count = 0;
  for (int i = 2; i < kSmallFactorBound; ++i) {
    if (composite[i]) continue;
    primes[count++] = i;
    for (int j = i * i; j < kSmallFactorBound; j += i) composite[j] = true;
  }
  return primes;
}

constexpr auto kSmallPrimes = SmallPrimes();
static_assert(kSmallPrimes.back() == 751, "133 primes below 752, the last 751");

}  // namespace

std::string RsaPublicNumbersProblem(const BIGNUM* n, const BIGNUM* e) {
  if (n == nullptr || e == nullptr) return "the RSA key has no modulus or exponent";
  if (!BN_is_odd(e) || BN_is_one(e)) return "the RSA exponent must be odd and at least 3";
  if (!BN_is_odd(n)) return "the RSA modulus must be odd";
  if (BN_cmp(e, n) >= 0) return "the RSA exponent must be smaller than the modulus";
  for (int p : kSmallPrimes) {
    if (BN_mod_word(n, static_cast<BN_ULONG>(p)) == 0) {
      return "the RSA modulus has a small factor (" + std::to_string(p) + ")";
    }
  }
  return "";
}

}  // namespace homeca
