#include <catch2/catch.hpp>

#include "enroll/device/protocol_client.h"
#include "enroll/protocol/json.h"
#include "enroll/protocol/messages.h"
#include "tests/device/fake_ca.h"

namespace homeca::enroll {
namespace {

ca::PrivateKey NewKey() {
  auto key = ca::PrivateKey::Generate(ca::KeyAlgorithm::kEcP256);
  REQUIRE(key.ok());
  return *key;
}

TEST_CASE("every protocol error reaches the caller as its own code", "[device]") {
  DeviceTestCa ca;
  const std::string code = NewCode();
  struct Case {
    const char* endpoint;
    int status;
    const char* error;
    EnrollError expected;
  };
  const Case cases[] = {
      {"start", 400, "bad_request", EnrollError::kBadRequest},
      {"start", 400, "unsupported_version", EnrollError::kUnsupportedVersion},
      {"start", 404, "no_pairing", EnrollError::kNoPairing},
      {"start", 429, "rate_limited", EnrollError::kRateLimited},
      {"start", 500, "internal", EnrollError::kCaInternal},
      {"start", 418, "brand_new_error", EnrollError::kCaUnknownError},
      {"exchange", 400, "bad_point", EnrollError::kBadPoint},
      {"exchange", 404, "unknown_session", EnrollError::kUnknownSession},
      {"exchange", 403, "code_burned", EnrollError::kCodeBurned},
      {"exchange", 429, "rate_limited", EnrollError::kRateLimited},
      {"finish", 400, "bad_csr", EnrollError::kBadCsr},
      {"finish", 409, "out_of_order", EnrollError::kOutOfOrder},
      {"finish", 403, "bad_confirmation", EnrollError::kBadConfirmation},
  };
  for (const Case& c : cases) {
    FakeCa fake(*ca.authority, code);
    fake.canned[c.endpoint] = ErrorAnswer(c.status, c.error, 17);
    auto result = PairDevice(fake, code, NewKey(), PairingOptions{});
    INFO(c.endpoint << " " << c.error << ": " << result.status().message());
    CHECK(ErrorOf(result) == c.expected);
    CHECK(result.status().message().find(c.endpoint) == 0);
    // The CA's own text is kept for the log only, made printable.
    CHECK(result.status().detail().find("canned ? message") != std::string::npos);
    CHECK(result.status().retry_after_seconds() ==
          (c.expected == EnrollError::kRateLimited ? 17 : 0));
    if (c.expected == EnrollError::kBadConfirmation) {
      CHECK(result.status().message().find("wrong code or intercepted connection") !=
            std::string::npos);
    }
  }
  CHECK(ErrorFromWire("code_burned") == EnrollError::kCodeBurned);
  CHECK(ErrorWord(EnrollError::kRevoked) == "revoked");
  CHECK(IsPermanent(EnrollError::kRevoked));
  // Appended for renewal lineage: a word on the wire, a permanent failure.
  CHECK(ErrorFromWire("superseded") == EnrollError::kSuperseded);
  CHECK(ErrorWord(EnrollError::kSuperseded) == "superseded");
  CHECK(IsPermanent(EnrollError::kSuperseded));
  CHECK_FALSE(IsPermanent(EnrollError::kNetwork));
}

TEST_CASE("malformed answers are refused as bad responses", "[device]") {
  DeviceTestCa ca;
  const std::string code = NewCode();
  struct Case {
    const char* endpoint;
    const char* body;
  };
  const Case cases[] = {
      {"start", "not json"},
      {"start", "[1, 2]"},
      {"start", "{}"},
      {"start", R"({"session": "AAAAAAAAAAAAAAAAAAAAAA", "salt": 5, "iterations": 1000})"},
      {"start", R"({"session": "AAAA", "salt": "AAAAAAAAAAAAAAAAAAAAAA", "iterations": 1000})"},
      {"start",
       R"({"session": "AAAAAAAAAAAAAAAAAAAAAA==", "salt": "AAAAAAAAAAAAAAAAAAAAAA", "iterations": 1000})"},
      {"start",
       R"({"session": "AAAAAAAAAAAAAAAAAAAAAA", "salt": "AAAAAAAAAAAAAAAAAAAAAA", "kdf": "pbkdf2-sha256", "iterations": 1000.5})"},
      {"start",
       R"({"session": "AAAAAAAAAAAAAAAAAAAAAA", "salt": "AAAAAAAAAAAAAAAAAAAAAA", "kdf": "pbkdf2-sha256", "iterations": true})"},
      {"exchange", R"({"share_v": "AAAA", "confirm_v": "AAAA"})"},
      {"finish", R"({"sealed_response": "AAAA"})"},
      {"finish", R"({})"},
  };
  for (const Case& c : cases) {
    FakeCa fake(*ca.authority, code);
    fake.canned[c.endpoint] = TransportResponse{200, c.body, 0};
    auto result = PairDevice(fake, code, NewKey(), PairingOptions{});
    INFO(c.endpoint << ": " << c.body << " -> " << result.status().message());
    CHECK(ErrorOf(result) == EnrollError::kBadResponse);
  }
  FakeCa fake(*ca.authority, code);
  fake.canned["start"] = TransportResponse{502, "<html>bad gateway</html>", 0};
  auto result = PairDevice(fake, code, NewKey(), PairingOptions{});
  CHECK(ErrorOf(result) == EnrollError::kBadResponse);
  CHECK(result.status().message().find("HTTP 502") != std::string::npos);
}

TEST_CASE("renewal verifies the new chain to the stored root", "[device]") {
  DeviceTestCa ca;
  FakeCa fake(*ca.authority, NewCode());
  const ca::PrivateKey key = NewKey();
  RenewalOptions options;
  options.clock = &ca.clock;
  const std::string url = "https://ca.home.arpa:8443/enroll/v1/renew";

  auto renewed = Renew(fake, key, ca.authority->root(), url, options);
  INFO(renewed.status().message());
  REQUIRE(renewed.ok());
  REQUIRE(fake.requests.size() == 1);
  CHECK(fake.requests[0].path == "/enroll/v1/renew");
  CHECK(renewed->names == std::vector<std::string>{"nas.home.arpa"});
  CHECK(renewed->renew_url == url);
  CHECK(renewed->root.der() == ca.authority->root().der());

  DeviceTestCa other;
  CHECK(ErrorOf(Renew(fake, key, other.authority->root(), url, options)) ==
        EnrollError::kUntrusted);
  fake.canned["renew"] = ErrorAnswer(403, "revoked");
  CHECK(ErrorOf(Renew(fake, key, ca.authority->root(), url, options)) == EnrollError::kRevoked);
  fake.canned["renew"] = ErrorAnswer(401, "no_client_certificate");
  CHECK(ErrorOf(Renew(fake, key, ca.authority->root(), url, options)) ==
        EnrollError::kNoClientCertificate);
}

TEST_CASE("log text from the network is made printable and short", "[device]") {
  CHECK(SanitizeForLog("ok\x1b[31mred\n") == "ok?[31mred?");
  CHECK(SanitizeForLog(std::string(500, 'a')).size() == 203);
}

}  // namespace
}  // namespace homeca::enroll
