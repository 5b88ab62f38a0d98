#include "enroll/pake/pairing_code.h"

#include <openssl/crypto.h>

#include <cstdint>
#include <cstdlib>

#include "ca/base/encoding.h"

namespace homeca::enroll {
namespace {

// Verhoeff's scheme (1969), built on the dihedral group D5: d is its
// multiplication table, p the position permutations, inv the inverses.
// clang-format off
constexpr std::uint8_t kD[10][10] = {
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 2, 3, 4, 0, 6, 7, 8, 9, 5},
    {2, 3, 4, 0, 1, 7, 8, 9, 5, 6}, {3, 4, 0, 1, 2, 8, 9, 5, 6, 7},
    {4, 0, 1, 2, 3, 9, 5, 6, 7, 8}, {5, 9, 8, 7, 6, 0, 4, 3, 2, 1},
    {6, 5, 9, 8, 7, 1, 0, 4, 3, 2}, {7, 6, 5, 9, 8, 2, 1, 0, 4, 3},
    {8, 7, 6, 5, 9, 3, 2, 1, 0, 4}, {9, 8, 7, 6, 5, 4, 3, 2, 1, 0}};
constexpr std::uint8_t kP[8][10] = {
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 5, 7, 6, 2, 8, 3, 0, 9, 4},
    {5, 8, 0, 3, 7, 9, 6, 1, 4, 2}, {8, 9, 1, 6, 0, 4, 3, 5, 2, 7},
    {9, 4, 5, 3, 1, 2, 6, 8, 7, 0}, {4, 2, 8, 6, 5, 7, 3, 9, 0, 1},
    {2, 7, 9, 3, 8, 0, 6, 4, 1, 5}, {7, 0, 4, 6, 9, 1, 3, 2, 5, 8}};
constexpr std::uint8_t kInv[10] = {0, 4, 3, 2, 1, 5, 6, 7, 8, 9};
// clang-format on

bool AllDigits(std::string_view s) {
  for (char ch : s) {
    if (ch < '0' || ch > '9') return false;
  }
  return true;
}

// Runs the Verhoeff checksum from the rightmost digit; `first_position` is 1
// when computing a check digit still to be appended, 0 when validating.
std::uint8_t VerhoeffState(std::string_view digits, std::size_t first_position) {
  std::uint8_t c = 0;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    const int digit = digits[digits.size() - 1 - i] - '0';
    c = kD[c][kP[(i + first_position) % 8][digit]];
  }
  return c;
}

// Strips dashes and spaces into `out`; false unless exactly 12 digits remain.
bool Normalize(std::string_view text, std::array<char, kPairingCodeDigits>& out) {
  // Anything much longer than "DDDD-DDDD-DDDD" is not a code someone typed.
  if (text.size() > 4 * kPairingCodeDigits) return false;
  std::size_t n = 0;
  for (char ch : text) {
    if (ch == '-' || ch == ' ') continue;
    if (ch < '0' || ch > '9' || n == out.size()) return false;
    out[n++] = ch;
  }
  return n == out.size();
}

PairingCodeProblem ProblemOf(const std::array<char, kPairingCodeDigits>& d) {
  const std::string_view all(d.data(), d.size());
  if (!VerhoeffValid(all)) return PairingCodeProblem::kTypo;
  if (IsTrivialSecret(all.substr(2, kPairingSecretDigits))) return PairingCodeProblem::kTrivial;
  return PairingCodeProblem::kNone;
}

// Uniform in [0, bound): draws 32 bits and rejects the top partial range, so
// every value is equally likely (no modulo bias).
std::uint32_t UniformBelow(std::uint32_t bound, const std::function<Bytes(std::size_t)>& random) {
  const std::uint64_t limit = ((std::uint64_t{1} << 32) / bound) * bound;
  for (;;) {
    Bytes r = random(4);
    if (r.size() != 4) std::abort();  // a broken source; RandomBytes never does this
    const std::uint64_t v =
        std::uint64_t{r[0]} << 24 | std::uint64_t{r[1]} << 16 | std::uint64_t{r[2]} << 8 | r[3];
    Cleanse(r);
    if (v < limit) return static_cast<std::uint32_t>(v % bound);
  }
}

}  // namespace

char VerhoeffCheckDigit(std::string_view digits) {
  return static_cast<char>('0' + kInv[VerhoeffState(digits, 1)]);
}

bool VerhoeffValid(std::string_view digits_with_check) {
  return digits_with_check.size() >= 2 && AllDigits(digits_with_check) &&
         VerhoeffState(digits_with_check, 0) == 0;
}

bool IsTrivialSecret(std::string_view secret) {
  if (secret.size() != kPairingSecretDigits || !AllDigits(secret)) return false;
  for (int step : {0, 1, 9}) {  // 9 is -1 mod 10
    std::size_t run = 1;
    for (std::size_t i = 1; i < secret.size(); ++i) {
      const bool continues = (secret[i - 1] - '0' + step) % 10 == secret[i] - '0';
      run = continues ? run + 1 : 1;
      if (run >= kTrivialRunLength) return true;
    }
  }
  return false;
}

Result<PairingCode> PairingCode::Generate(int slot) {
  return GenerateForTesting(slot, RandomBytes);
}

Result<PairingCode> PairingCode::GenerateForTesting(
    int slot, const std::function<Bytes(std::size_t)>& random) {
  if (slot < 0 || slot >= kPairingSlotCount) {
    return Status::InvalidArgument("pairing code: the slot must be between 0 and 99");
  }
  PairingCode code;
  code.digits_[0] = static_cast<char>('0' + slot / 10);
  code.digits_[1] = static_cast<char>('0' + slot % 10);
  std::string_view secret(code.digits_.data() + 2, kPairingSecretDigits);
  do {
    std::uint32_t v = UniformBelow(1000000000, random);
    for (std::size_t i = kPairingSecretDigits; i > 0; --i, v /= 10) {
      code.digits_[1 + i] = static_cast<char>('0' + v % 10);
    }
  } while (IsTrivialSecret(secret));
  code.digits_[kPairingCodeDigits - 1] =
      VerhoeffCheckDigit(std::string_view(code.digits_.data(), kPairingCodeDigits - 1));
  return code;
}

PairingCodeProblem PairingCode::Check(std::string_view text) {
  std::array<char, kPairingCodeDigits> d{};
  const PairingCodeProblem problem =
      Normalize(text, d) ? ProblemOf(d) : PairingCodeProblem::kMalformed;
  OPENSSL_cleanse(d.data(), d.size());
  return problem;
}

Result<PairingCode> PairingCode::Parse(std::string_view text) {
  PairingCode code;
  if (!Normalize(text, code.digits_)) {
    return Status::InvalidArgument(
        "pairing code: expected 12 digits, shown as three groups of four");
  }
  switch (ProblemOf(code.digits_)) {
    case PairingCodeProblem::kNone:
    case PairingCodeProblem::kMalformed:
      break;
    case PairingCodeProblem::kTypo:
      return Status::InvalidArgument(
          "pairing code: this code has a typo; check each digit and try again");
    case PairingCodeProblem::kTrivial:
      return Status::PolicyViolation(
          "pairing code: the code is too easy to guess (repeated digits or a straight run); "
          "use a different code");
  }
  return code;
}

PairingCode::~PairingCode() { OPENSSL_cleanse(digits_.data(), digits_.size()); }

int PairingCode::slot() const { return (digits_[0] - '0') * 10 + (digits_[1] - '0'); }

std::string PairingCode::Display() const {
  const std::string_view d = digits();
  std::string out;
  out.reserve(kPairingCodeDigits + 2);
  out.append(d.substr(0, 4))
      .append(1, '-')
      .append(d.substr(4, 4))
      .append(1, '-')
      .append(d.substr(8, 4));
  return out;
}

}  // namespace homeca::enroll
