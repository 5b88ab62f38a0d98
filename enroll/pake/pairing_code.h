// Pairing codes: the short secret a person carries between the CA's admin page
// and a device (either way round), which SPAKE2+ turns into a session key.
//
// A code is 12 decimal digits, shown as DDDD-DDDD-DDDD:
//   digits 1-2   the public slot (00-99): tells the CA which pending pairing
//                the code belongs to, so it runs SPAKE2+ against one record
//                instead of guessing;
//   digits 3-11  the secret: 9 digits, log2(10^9) ~ 29.9 bits. SPAKE2+ allows
//                one online guess per attempt and codes are burned after a few
//                failures, so this is ample (design floor: 27 bits);
//   digit 12     a Verhoeff check digit over digits 1-11, which catches every
//                single-digit typo and every adjacent transposition on the
//                device, before any network traffic.
//
// Trivial secrets are never generated and are refused when a device brings
// its own code. Rule: the 9-digit secret is trivial when it contains a run of
// 8 or more consecutive digits that each differ from the previous one by the
// same step, 0, +1 or -1, counted mod 10 (so 9->0 and 0->9 continue a run).
// That covers 000000000, 111111111, 123456789, 987654321, 234567890,
// 012345678, 890123456 and 555555557; it removes 570 of the 10^9 secrets.
//
// Error messages never contain the code.
//
// Thread-safety: PairingCode is a value type; the free functions are pure.
// Ownership: a PairingCode owns its digits and wipes them when destroyed.
#pragma once

#include <array>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "ca/base/encoding.h"
#include "ca/base/status.h"

namespace homeca::enroll {

inline constexpr int kPairingSlotCount = 100;
inline constexpr std::size_t kPairingCodeDigits = 12;
inline constexpr std::size_t kPairingSecretDigits = 9;
inline constexpr std::size_t kTrivialRunLength = 8;

// Why a text is not an acceptable pairing code, for a UI that wants to point
// at the problem while the user types.
enum class PairingCodeProblem {
  kNone,
  kMalformed,  // not 12 digits once dashes and spaces are removed
  kTypo,       // the check digit does not match
  kTrivial,    // the secret is too easy to guess (see the rule above)
};

class PairingCode {
 public:
  // A fresh code for `slot` (0-99) with a uniformly random, non-trivial
  // secret. InvalidArgument when the slot is out of range.
  static Result<PairingCode> Generate(int slot);
  // As Generate, drawing from `random` (n -> n random bytes) instead of
  // RandomBytes: lets tests script the draws that must be rejected.
  static Result<PairingCode> GenerateForTesting(int slot,
                                                const std::function<Bytes(std::size_t)>& random);

  // Accepts the 12 digits with or without dashes and spaces. Fails with
  // InvalidArgument for kMalformed and kTypo, PolicyViolation for kTrivial.
  static Result<PairingCode> Parse(std::string_view text);
  static PairingCodeProblem Check(std::string_view text);

  PairingCode(const PairingCode& other) = default;
  PairingCode& operator=(const PairingCode& other) = default;
  ~PairingCode();

  int slot() const;
  // The 12 digits without separators: the SPAKE2+ password.
  std::string_view digits() const { return {digits_.data(), digits_.size()}; }
  // DDDD-DDDD-DDDD, for showing to a person.
  std::string Display() const;

 private:
  PairingCode() = default;
  std::array<char, kPairingCodeDigits> digits_{};
};

// The Verhoeff check digit ('0'-'9') for a string of decimal digits.
char VerhoeffCheckDigit(std::string_view digits);
// True when the last digit is the correct Verhoeff check digit for the rest.
bool VerhoeffValid(std::string_view digits_with_check);
// The rule above, for a 9-digit secret; false for anything else.
bool IsTrivialSecret(std::string_view secret);

}  // namespace homeca::enroll
