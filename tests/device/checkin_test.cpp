// The device side of check-in against the hand-written fake CA: what it
// sends, what it accepts back, and every refusal reaching the caller as its
// own code. (Against the real service over HTTPS: over_https_test.cpp.)
#include <catch2/catch.hpp>

#include "enroll/device/protocol_client.h"
#include "tests/device/fake_ca.h"

namespace homeca::enroll {
namespace {

constexpr const char* kPath = "/enroll/v1/checkin";

TEST_CASE("check-in posts {} and returns the address and names the CA sent", "[device][checkin]") {
  DeviceTestCa ca;
  FakeCa fake(*ca.authority, NewCode());
  fake.names = {"nas.home.arpa", "files.home.arpa"};
  auto answer = CheckIn(fake, kPath);
  INFO(answer.status().message());
  REQUIRE(answer.ok());
  CHECK(answer->address == "192.0.2.50");
  CHECK(answer->names == fake.names);
  CHECK(fake.checkins == 1);
  REQUIRE(fake.requests.size() == 1);
  CHECK(fake.requests[0].path == kPath);
  CHECK(fake.requests[0].body == "{}");

  SECTION("IPv6, also with a zone") {
    for (const char* address : {"fd00::20", "2001:db8::1", "fe80::1%eth0"}) {
      fake.checkin_address = address;
      auto v6 = CheckIn(fake, kPath);
      INFO(address << ": " << v6.status().message());
      REQUIRE(v6.ok());
      CHECK(v6->address == address);
    }
  }
}

TEST_CASE("check-in refuses answers that are not an address and names", "[device][checkin]") {
  DeviceTestCa ca;
  FakeCa fake(*ca.authority, NewCode());
  for (const char* address : {"", "nas.home.arpa", "1.2.3.4.5", "300.1.1.1", "fe80::1%",
                              "192.0.2.1 ", "::ffff:zz", "fd00::1%eth0\x01"}) {
    fake.checkin_address = address;
    auto answer = CheckIn(fake, kPath);
    INFO("'" << address << "'");
    CHECK(ErrorOf(answer) == EnrollError::kBadResponse);
    CHECK(answer.status().message().find("address") != std::string::npos);
  }
  fake.checkin_address = "192.0.2.50";
  fake.claimed_names = {"nas.home.arpa", "bad\nname"};
  CHECK(ErrorOf(CheckIn(fake, kPath)) == EnrollError::kBadResponse);
  fake.claimed_names.clear();
  fake.mutate_answer = [](const std::string&, std::string& body) {
    body = R"({"address": "192.0.2.50"})";
  };
  CHECK(ErrorOf(CheckIn(fake, kPath)) == EnrollError::kBadResponse);
  fake.mutate_answer = [](const std::string&, std::string& body) { body = "not json"; };
  CHECK(ErrorOf(CheckIn(fake, kPath)) == EnrollError::kBadResponse);
}

TEST_CASE("check-in refusals reach the caller as their own codes", "[device][checkin]") {
  DeviceTestCa ca;
  struct Case {
    int status;
    const char* error;
    EnrollError expected;
  };
  for (const Case& c :
       {Case{401, "no_client_certificate", EnrollError::kNoClientCertificate},
        Case{403, "superseded", EnrollError::kSuperseded},
        Case{403, "revoked", EnrollError::kRevoked}, Case{403, "expired", EnrollError::kExpired},
        Case{403, "unknown_certificate", EnrollError::kUnknownCertificate},
        Case{429, "rate_limited", EnrollError::kRateLimited},
        Case{404, "not_found", EnrollError::kCaUnknownError}}) {
    FakeCa fake(*ca.authority, NewCode());
    fake.canned["checkin"] = ErrorAnswer(c.status, c.error, 4);
    auto answer = CheckIn(fake, kPath);
    INFO(c.error << ": " << answer.status().message());
    CHECK(ErrorOf(answer) == c.expected);
    CHECK(answer.status().message().find("check-in") == 0);
    CHECK(answer.status().retry_after_seconds() ==
          (c.expected == EnrollError::kRateLimited ? 4 : 0));
  }
}

TEST_CASE("the check-in endpoint sits beside the renew endpoint", "[device][checkin]") {
  CHECK(CheckInPath("/enroll/v1/renew") == "/enroll/v1/checkin");
  CHECK(CheckInPath("/homeca/enroll/v1/renew") == "/homeca/enroll/v1/checkin");
  CHECK(CheckInPath("/renew") == "/checkin");
}

}  // namespace
}  // namespace homeca::enroll
