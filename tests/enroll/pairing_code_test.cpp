#include "enroll/pake/pairing_code.h"

#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace homeca::enroll {
namespace {

// Appends the Verhoeff check digit to 11 digits.
std::string WithCheck(const std::string& eleven) { return eleven + VerhoeffCheckDigit(eleven); }

TEST_CASE("Verhoeff check digits match the published examples", "[pairing_code]") {
  CHECK(VerhoeffCheckDigit("236") == '3');
  CHECK(VerhoeffCheckDigit("12345") == '1');
  CHECK(VerhoeffCheckDigit("142857") == '0');
  CHECK(VerhoeffValid("2363"));
  CHECK_FALSE(VerhoeffValid("2364"));
  CHECK_FALSE(VerhoeffValid("2x63"));
}

TEST_CASE("generated codes parse back to the same code", "[pairing_code]") {
  for (int slot : {0, 7, 42, 99}) {
    auto code = PairingCode::Generate(slot);
    REQUIRE(code.ok());
    CHECK(code->slot() == slot);
    CHECK(code->digits().size() == 12);
    const std::string display = code->Display();
    REQUIRE(display.size() == 14);
    CHECK(display[4] == '-');
    CHECK(display[9] == '-');
    for (const std::string& form :
         {display, std::string(code->digits()),
          display.substr(0, 4) + " " + display.substr(5, 4) + " " + display.substr(10)}) {
      auto parsed = PairingCode::Parse(form);
      REQUIRE(parsed.ok());
      CHECK(parsed->digits() == code->digits());
      CHECK(parsed->slot() == slot);
      CHECK(PairingCode::Check(form) == PairingCodeProblem::kNone);
    }
  }
  CHECK(PairingCode::Generate(-1).status().IsInvalidArgument());
  CHECK(PairingCode::Generate(100).status().IsInvalidArgument());
}

TEST_CASE("every single-digit typo and adjacent swap is caught", "[pairing_code]") {
  for (int n = 0; n < 20; ++n) {
    auto code = PairingCode::Generate(n * 5);
    REQUIRE(code.ok());
    const std::string good(code->digits());
    INFO("code number " << n);
    for (std::size_t i = 0; i < good.size(); ++i) {
      for (char d = '0'; d <= '9'; ++d) {
        if (d == good[i]) continue;
        std::string typo = good;
        typo[i] = d;
        CHECK(PairingCode::Check(typo) == PairingCodeProblem::kTypo);
        CHECK(PairingCode::Parse(typo).status().message().find("typo") != std::string::npos);
      }
      if (i + 1 < good.size() && good[i] != good[i + 1]) {
        std::string swapped = good;
        std::swap(swapped[i], swapped[i + 1]);
        CHECK(PairingCode::Check(swapped) == PairingCodeProblem::kTypo);
      }
    }
  }
}

TEST_CASE("malformed codes are refused with their own error", "[pairing_code]") {
  const std::string good(PairingCode::Generate(3).value().digits());
  for (const std::string& bad : {std::string(), std::string("1234"), good.substr(0, 11), good + "0",
                                 good.substr(0, 11) + "a", std::string("12345678901x"), "+" + good,
                                 good.substr(0, 4) + "_" + good.substr(4), std::string(200, '1')}) {
    INFO("input length " << bad.size());
    CHECK(PairingCode::Check(bad) == PairingCodeProblem::kMalformed);
    const Status s = PairingCode::Parse(bad).status();
    CHECK(s.IsInvalidArgument());
    CHECK(s.message().find("12 digits") != std::string::npos);
  }
}

TEST_CASE("trivial secrets are refused and never generated", "[pairing_code]") {
  for (const std::string secret : {"000000000", "111111111", "999999999", "123456789", "987654321",
                                   "234567890", "012345678", "890123456", "098765432", "543210987",
                                   "555555557", "312345678", "123456780", "876543219"}) {
    INFO(secret);
    CHECK(IsTrivialSecret(secret));
    const std::string code = WithCheck("17" + secret);
    CHECK(PairingCode::Check(code) == PairingCodeProblem::kTrivial);
    const Status s = PairingCode::Parse(code).status();
    CHECK(s.IsPolicyViolation());
    CHECK(s.message().find(secret) == std::string::npos);
    CHECK(s.message().find(code) == std::string::npos);
  }
  for (const std::string secret :
       {"123456798", "112345679", "135792468", "314159265", "000000011", "123412341"}) {
    INFO(secret);
    CHECK_FALSE(IsTrivialSecret(secret));
    CHECK(PairingCode::Parse(WithCheck("17" + secret)).ok());
  }
  // Exactly 570 of the 10^9 secrets are trivial: 30 runs of 8 (10 starts x 3
  // steps), times 10 extra digits, times 2 sides, less the 30 runs of 9
  // counted twice. Checked against every secret with a run in its first or
  // last 8 digits.
  std::set<std::string> trivial;
  for (int start = 0; start < 10; ++start) {
    for (int step : {0, 1, 9}) {
      std::string run;
      for (int i = 0; i < 8; ++i) run.push_back(static_cast<char>('0' + (start + step * i) % 10));
      for (char d = '0'; d <= '9'; ++d) {
        trivial.insert(run + d);
        trivial.insert(d + run);
      }
    }
  }
  CHECK(trivial.size() == 570);
  for (const std::string& s : trivial) CHECK(IsTrivialSecret(s));

  for (int i = 0; i < 2000; ++i) {
    auto code = PairingCode::Generate(i % 100);
    REQUIRE(code.ok());
    REQUIRE_FALSE(IsTrivialSecret(code->digits().substr(2, 9)));
  }
}

TEST_CASE("generation rejects biased draws and trivial secrets", "[pairing_code]") {
  // Scripted 32-bit draws: 0xffffffff is above the largest multiple of 10^9
  // (4*10^9) and must be redrawn, not reduced mod 10^9 (which would give
  // 294967295); 123456789 is trivial and must be redrawn; 314159265 is kept.
  std::vector<Bytes> draws = {{0xff, 0xff, 0xff, 0xff},
                              {0x07, 0x5b, 0xcd, 0x15},   // 123456789
                              {0x12, 0xb9, 0xb0, 0xa1}};  // 314159265
  std::size_t next = 0;
  auto code = PairingCode::GenerateForTesting(23, [&](std::size_t n) {
    REQUIRE(n == 4);
    REQUIRE(next < draws.size());
    return draws[next++];
  });
  REQUIRE(code.ok());
  CHECK(next == 3);
  CHECK(code->digits().substr(0, 11) == "23314159265");
  CHECK(PairingCode::Parse(code->digits()).ok());
}

TEST_CASE("generated secrets use every digit in every position", "[pairing_code]") {
  // A coarse check that generation is not stuck or biased to a few values.
  int counts[9][10] = {};
  for (int i = 0; i < 3000; ++i) {
    const std::string d(PairingCode::Generate(1).value().digits());
    for (int pos = 0; pos < 9; ++pos) ++counts[pos][d[2 + pos] - '0'];
  }
  for (const auto& position : counts) {
    for (int c : position) {
      CHECK(c > 200);  // expected 300; 200 is about 6 standard deviations off
      CHECK(c < 400);
    }
  }
}

}  // namespace
}  // namespace homeca::enroll
