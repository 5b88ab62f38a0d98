// scrypt password records: verify, salt, parameters stored with the hash,
// and refusal of records that are malformed or ask for absurd costs.
#include "ca/base/password_hash.h"

#include <catch2/catch.hpp>

namespace homeca::ca {
namespace {

// Cheaper than the default so the suite stays quick; one test uses the default.
const ScryptParams kFast{10, 8, 1};

TEST_CASE("scrypt: the default record verifies and names its parameters") {
  auto record = HashPassword("correct horse battery");
  REQUIRE(record.ok());
  CHECK(record->rfind("scrypt$15$8$1$", 0) == 0);
  CHECK(record->find("correct") == std::string::npos);
  auto yes = VerifyPassword("correct horse battery", *record);
  REQUIRE(yes.ok());
  CHECK(*yes);
  auto no = VerifyPassword("correct horse batterY", *record);
  REQUIRE(no.ok());
  CHECK_FALSE(*no);
}

TEST_CASE("scrypt: every hash has its own salt") {
  auto a = HashPassword("same password", kFast);
  auto b = HashPassword("same password", kFast);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(*a != *b);
  CHECK(*VerifyPassword("same password", *a));
  CHECK(*VerifyPassword("same password", *b));
  CHECK_FALSE(*VerifyPassword("", *a));
}

TEST_CASE("scrypt: RFC 7914's third test vector verifies") {
  // RFC 7914 section 12: P = "pleaseletmein", S = "SodiumChloride", N = 16384,
  // r = 8, p = 1. A 32-byte output is the first half of the RFC's 64 bytes
  // (PBKDF2 output blocks are independent).
  const std::string record =
      "scrypt$14$8$1$U29kaXVtQ2hsb3JpZGU$cCO9yzr9c0hGHAbNgf046_2o-7qQT44-qbVD9lRdofI";
  auto yes = VerifyPassword("pleaseletmein", record);
  REQUIRE(yes.ok());
  CHECK(*yes);
  CHECK_FALSE(*VerifyPassword("pleaseletmeIn", record));
}

TEST_CASE("scrypt: tampering with the hash or its parameters fails verification") {
  auto record = HashPassword("pw-for-tamper-test", kFast);
  REQUIRE(record.ok());
  std::string changed_hash = *record;
  changed_hash[changed_hash.size() - 2] = changed_hash[changed_hash.size() - 2] == 'A' ? 'B' : 'A';
  auto verdict = VerifyPassword("pw-for-tamper-test", changed_hash);
  CHECK((!verdict.ok() || !*verdict));
  std::string changed_r = *record;
  changed_r.replace(changed_r.find("$8$"), 3, "$9$");
  auto other_cost = VerifyPassword("pw-for-tamper-test", changed_r);
  REQUIRE(other_cost.ok());
  CHECK_FALSE(*other_cost);
}

TEST_CASE("scrypt: malformed or extravagant records are refused, not run") {
  for (const char* bad :
       {"", "scrypt", "bcrypt$10$8$1$c2FsdHNhbHQ$aGFzaA", "scrypt$10$8$1$!!!$aGFzaA",
        "scrypt$10$8$1$c2FsdHNhbHQ$short",
        "scrypt$30$8$1$c2FsdHNhbHRzYWx0$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "scrypt$15$64$1$c2FsdHNhbHRzYWx0$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "scrypt$-1$8$1$c2FsdHNhbHRzYWx0$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}) {
    INFO(bad);
    auto verdict = VerifyPassword("anything", bad);
    CHECK_FALSE(verdict.ok());
  }
}

TEST_CASE("password length rules") {
  CHECK(CheckPasswordAcceptable("1234567").IsInvalidArgument());
  CHECK(CheckPasswordAcceptable("12345678").ok());
  CHECK(CheckPasswordAcceptable(std::string(1025, 'x')).IsInvalidArgument());
  CHECK_THAT(CheckPasswordAcceptable("short").message(), Catch::Contains("at least 8"));
}

}  // namespace
}  // namespace homeca::ca
