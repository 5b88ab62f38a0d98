// Hostile and out-of-order input to the EnrollmentService: every malformed
// message gets the error the protocol's table names, and changes nothing.
#include <catch2/catch.hpp>
#include <sstream>

#include "enroll/enrollment_service.h"
#include "enroll/pairing_admin.h"
#include "tests/enroll/enroll_fixture.h"
#include "tests/support/csr_factory.h"

namespace homeca::enroll {
namespace {

struct Case {
  std::string endpoint;
  std::string body;
  int status;
  std::string error;
};

void Expect(EnrollmentService& service, const Case& c) {
  INFO(c.endpoint << " " << c.body.substr(0, 120));
  EnrollmentResponse r = Post(service, c.endpoint, c.body);
  INFO(r.body);
  CHECK(r.http_status == c.status);
  CHECK(ErrorOf(r) == c.error);
}

std::string Quoted(const std::string& s) { return "\"" + s + "\""; }

// A session id that parses but was never issued.
const std::string kNoSession = Base64UrlEncode(Bytes(16, 7));

TEST_CASE("malformed start, exchange, finish and renew bodies get the table's errors") {
  TestCa ca;
  const Bytes hash = RandomServerHash();
  EnrollmentService service(*ca, TestOptions(hash));
  const std::string deep = std::string(100, '[') + std::string(100, ']');
  const std::vector<Case> cases = {
      {"start", "not json", 400, "bad_request"},
      {"start", "", 400, "bad_request"},
      {"start", "[1]", 400, "bad_request"},
      {"start", R"({"version": 1, "slot": 1} trailing)", 400, "bad_request"},
      {"start", R"({"version": 1, "x": )" + deep + "}", 400, "bad_request"},
      {"start", R"({"slot": 1})", 400, "bad_request"},
      {"start", R"({"version": "1", "slot": 1})", 400, "bad_request"},
      {"start", R"({"version": 2, "slot": 1})", 400, "unsupported_version"},
      {"start", R"({"version": 1.0, "slot": 1})", 400, "bad_request"},
      {"start", R"({"version": 1})", 400, "bad_request"},
      {"start", R"({"version": 1, "slot": 1, "device_id": "tv"})", 400, "bad_request"},
      {"start", R"({"version": 1, "slot": "1"})", 400, "bad_request"},
      {"start", R"({"version": 1, "slot": true})", 400, "bad_request"},
      {"start", R"({"version": 1, "slot": 1.5})", 400, "bad_request"},
      {"start", R"({"version": 1, "slot": 100})", 400, "bad_request"},
      {"start", R"({"version": 1, "slot": -1})", 400, "bad_request"},
      {"start", R"({"version": 1, "slot": 18446744073709551615})", 400, "bad_request"},
      {"start", R"({"version": 1, "slot": null})", 400, "bad_request"},
      {"start", R"({"version": 1, "device_id": ""})", 400, "bad_request"},
      {"start", R"({"version": 1, "device_id": "<script>"})", 400, "bad_request"},
      {"start", R"({"version": 1, "device_id": "a b"})", 400, "bad_request"},
      {"start", R"({"version": 1, "device_id": ")" + std::string(65, 'a') + "\"}", 400,
       "bad_request"},
      {"start", R"({"version": 1, "device_id": 7})", 400, "bad_request"},
      {"start", R"({"version": 1, "slot": 1, "extra": {"ignored": [1, 2]}})", 404, "no_pairing"},
      {"start", R"({"version": 1, "device_id": ")" + std::string(64, 'a') + "\"}", 404,
       "no_pairing"},
      {"start", "{\"version\": 1, \"slot\": 1, \"pad\": \"" + std::string(64 * 1024, 'x') + "\"}",
       400, "bad_request"},
      {"exchange", "{}", 400, "bad_request"},
      {"exchange", R"({"session": 5, "share_p": "AA"})", 400, "bad_request"},
      {"exchange", R"({"session": "AAAAAAAAAAAAAAAAAAAAAA==", "share_p": "AA"})", 400,
       "bad_request"},  // padding
      {"exchange", R"({"session": "AAAAAAAAAAAAAAAAAAAA+/", "share_p": "AA"})", 400,
       "bad_request"},  // standard alphabet
      {"exchange", R"({"session": "AAAAAAAAAAA AAAAAAAAAA", "share_p": "AA"})", 400,
       "bad_request"},  // whitespace
      {"exchange", R"({"session": "AAAAAAAAAAAAAAAAAAAAAAAA", "share_p": "AA"})", 400,
       "bad_request"},  // 18 bytes
      {"exchange", "{\"session\": " + Quoted(kNoSession) + ", \"share_p\": \"A\"}", 400,
       "bad_request"},
      {"exchange", "{\"session\": " + Quoted(kNoSession) + ", \"share_p\": \"AA\"}", 404,
       "unknown_session"},
      {"finish", "{}", 400, "bad_request"},
      {"finish", "{\"session\": " + Quoted(kNoSession) + ", \"confirm_p\": \"AA\"}", 400,
       "bad_request"},
      {"finish",
       "{\"session\": " + Quoted(kNoSession) +
           ", \"confirm_p\": " + Quoted(Base64UrlEncode(Bytes(32))) +
           ", \"sealed_request\": " + Quoted(Base64UrlEncode(Bytes(28))) + "}",
       400, "bad_request"},  // too short to hold anything
      {"finish",
       "{\"session\": " + Quoted(kNoSession) +
           ", \"confirm_p\": " + Quoted(Base64UrlEncode(Bytes(32))) +
           ", \"sealed_request\": " + Quoted(Base64UrlEncode(Bytes(60))) + "}",
       404, "unknown_session"},
      {"renew", R"({"csr": "AA"})", 401, "no_client_certificate"},
      {"nope", "{}", 404, "not_found"},
  };
  for (const Case& c : cases) Expect(service, c);
  CHECK(Post(service, "../start", "{}").http_status == 404);
  CHECK(ca.CertificateCount() == 0);
}

TEST_CASE("a bad share_p or confirm_p is refused and the session carries on unharmed") {
  TestCa ca;
  const Bytes hash = RandomServerHash();
  EnrollmentService service(*ca, TestOptions(hash));
  auto pairing = CreateCodePairing(*ca, {"nas"});
  REQUIRE(pairing.ok());
  TestDevice device = TestDevice::ForSlot(service, std::string(pairing->code.digits()), hash);
  REQUIRE(device.Start().http_status == 200);
  const std::string session = Quoted(device.session_b64());

  Bytes off_curve(65, 0);
  off_curve[0] = 0x04;
  Bytes compressed_prefix(65, 1);
  compressed_prefix[0] = 0x02;
  for (const Bytes& point : {Bytes(64, 4), Bytes(66, 4), off_curve, compressed_prefix}) {
    Expect(service,
           {"exchange",
            "{\"session\": " + session + ", \"share_p\": " + Quoted(Base64UrlEncode(point)) + "}",
            400, "bad_point"});
  }
  Expect(service,
         {"finish",
          "{\"session\": " + session + ", \"confirm_p\": " + Quoted(Base64UrlEncode(Bytes(32))) +
              ", \"sealed_request\": " + Quoted(Base64UrlEncode(Bytes(60))) + "}",
          409, "out_of_order"});  // finish before exchange
  ca::PairingFilter filter;
  filter.now = ca.clock.Now();
  CHECK(ca->pairings().ListPairings(filter)->front().attempts == 0);  // none of that counted

  REQUIRE(device.Exchange().http_status == 200);
  Expect(service, {"exchange",
                   "{\"session\": " + session +
                       ", \"share_p\": " + Quoted(Base64UrlEncode(Bytes(65, 4))) + "}",
                   409, "out_of_order"});  // a second exchange on one session
  Expect(service,
         {"finish",
          "{\"session\": " + session + ", \"confirm_p\": " + Quoted(Base64UrlEncode(Bytes(31))) +
              ", \"sealed_request\": " + Quoted(Base64UrlEncode(Bytes(60))) + "}",
          400, "bad_request"});  // malformed: the session is not spent
  EnrollmentResponse finish = device.Finish(NewCsrDer());
  INFO(finish.body);
  CHECK(finish.http_status == 200);
  CHECK(ca.CertificateCount() == 1);
}

TEST_CASE("after key confirmation, a bad sealed request or a bad CSR issues nothing") {
  TestCa ca;
  const Bytes hash = RandomServerHash();
  EnrollmentService service(*ca, TestOptions(hash));
  auto pairing = CreateCodePairing(*ca, {"nas"});
  REQUIRE(pairing.ok());
  TestDevice device = TestDevice::ForSlot(service, std::string(pairing->code.digits()), hash);
  REQUIRE(device.Start().http_status == 200);
  REQUIRE(device.Exchange().http_status == 200);

  SECTION("tampered sealed request") {
    auto body = Json(device.FinishBody(NewCsrDer()));
    Bytes sealed = Base64UrlDecode(body->getValue<std::string>("sealed_request")).value();
    sealed[20] ^= 1;
    body->set("sealed_request", Base64UrlEncode(sealed));
    std::ostringstream out;
    body->stringify(out);
    Expect(service, {"finish", out.str(), 400, "bad_request"});
  }
  SECTION("a CSR that is not a CSR") {
    Expect(service, {"finish", device.FinishBody("not a csr"), 400, "bad_csr"});
  }
  SECTION("a CSR asking to be a CA") {
    auto key = testing::MakeEcKey();
    testing::CsrOptions options;
    options.request_ca = true;
    Expect(service,
           {"finish", device.FinishBody(testing::MakeCsrDer(key.get(), options)), 400, "bad_csr"});
  }
  CHECK(ca.CertificateCount() == 0);
  // The session is spent, but the pairing is not: the device may start again.
  CHECK(ErrorOf(device.Finish(NewCsrDer())) == "out_of_order");
  CHECK(device.Pair().http_status == 200);
  CHECK(ca.CertificateCount() == 1);
}

TEST_CASE("sessions expire after 60 seconds and their number is bounded") {
  TestCa ca;
  const Bytes hash = RandomServerHash();
  EnrollmentOptions options = TestOptions(hash);
  options.max_sessions = 3;
  EnrollmentService service(*ca, options);
  auto pairing = CreateCodePairing(*ca, {"nas"});
  REQUIRE(pairing.ok());
  TestDevice device = TestDevice::ForSlot(service, std::string(pairing->code.digits()), hash);

  REQUIRE(device.Start().http_status == 200);
  ca.clock.Advance(60);
  EnrollmentResponse late = device.Exchange();
  CHECK(late.http_status == 404);
  CHECK(ErrorOf(late) == "unknown_session");

  for (int i = 0; i < 3; ++i) REQUIRE(device.Start().http_status == 200);
  ca.clock.Advance(20);
  EnrollmentResponse full = device.Start();
  CHECK(full.http_status == 429);
  CHECK(ErrorOf(full) == "rate_limited");
  CHECK(full.retry_after_seconds == 40);
  ca.clock.Advance(40);
  CHECK(device.Start().http_status == 200);
}

TEST_CASE("finished sessions never block new pairings") {
  TestCa ca;
  const Bytes hash = RandomServerHash();
  EnrollmentOptions options = TestOptions(hash);
  options.max_sessions = 2;
  EnrollmentService service(*ca, options);
  // Three pairings one after another within the session lifetime: each
  // finished session stays only as a replay marker, not as a live slot.
  for (int i = 0; i < 3; ++i) {
    auto pairing = CreateCodePairing(*ca, {"dev" + std::to_string(i)});
    REQUIRE(pairing.ok());
    TestDevice device = TestDevice::ForSlot(service, std::string(pairing->code.digits()), hash);
    INFO(i);
    CHECK(device.Pair().http_status == 200);
  }
  CHECK(ca.CertificateCount() == 3);
}

TEST_CASE("at most 30 key exchanges a minute across all pairings, and refused ones cost nothing") {
  TestCa ca;
  const Bytes hash = RandomServerHash();
  EnrollmentService service(*ca, TestOptions(hash));
  std::vector<TestDevice> devices;
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 7; ++i) {
    auto pairing = CreateCodePairing(*ca, {"dev" + std::to_string(i)});
    REQUIRE(pairing.ok());
    ids.push_back(pairing->id);
    devices.push_back(TestDevice::ForSlot(service, std::string(pairing->code.digits()), hash));
  }
  for (int i = 0; i < 30; ++i) {
    ca.clock.Advance(i % 2);  // spread over 15 seconds
    TestDevice& d = devices[i / 5];
    REQUIRE(d.Start().http_status == 200);
    INFO("exchange " << i);
    REQUIRE(d.Exchange().http_status == 200);
  }
  TestDevice& next = devices[6];
  REQUIRE(next.Start().http_status == 200);
  EnrollmentResponse limited = next.Exchange();
  CHECK(limited.http_status == 429);
  CHECK(ErrorOf(limited) == "rate_limited");
  CHECK(limited.retry_after_seconds == 60 - 15);
  ca::PairingFilter filter;
  filter.now = ca.clock.Now();
  CHECK(ca->pairings().ListPairings(filter)->front().attempts == 0);  // devices[6]: nothing counted
  // The same session may try again once the window has moved on.
  ca.clock.Advance(45);
  CHECK(next.Exchange().http_status == 200);
}

TEST_CASE("exchanges that are not answered do not use up the rate budget") {
  TestCa ca;
  const Bytes hash = RandomServerHash();
  EnrollmentOptions options = TestOptions(hash);
  options.max_exchanges_per_minute = 2;
  EnrollmentService service(*ca, options);
  std::vector<TestDevice> devices;
  std::vector<std::int64_t> ids;
  for (const char* name : {"a", "b", "c"}) {
    auto pairing = CreateCodePairing(*ca, {name});
    REQUIRE(pairing.ok());
    ids.push_back(pairing->id);
    devices.push_back(TestDevice::ForSlot(service, std::string(pairing->code.digits()), hash));
    REQUIRE(devices.back().Start().http_status == 200);
  }
  Bytes off_curve(65, 0);
  off_curve[0] = 0x04;
  for (int i = 0; i < 5; ++i) {
    Expect(service, {"exchange",
                     "{\"session\": " + Quoted(devices[0].session_b64()) +
                         ", \"share_p\": " + Quoted(Base64UrlEncode(off_curve)) + "}",
                     400, "bad_point"});
  }
  REQUIRE(ca->pairings().CancelPairing(ids[1], ca.clock.Now(), "cli").ok());
  CHECK(ErrorOf(devices[1].Exchange()) == "no_pairing");
  CHECK(devices[0].Exchange().http_status == 200);
  CHECK(devices[2].Exchange().http_status == 200);
  REQUIRE(devices[1].Start().http_status == 404);
  REQUIRE(devices[0].Start().http_status == 200);
  CHECK(ErrorOf(devices[0].Exchange()) == "rate_limited");
}

TEST_CASE("a reload changes the rate limit and the renew URL for what comes next") {
  TestCa ca;
  const Bytes hash = RandomServerHash();
  EnrollmentOptions options = TestOptions(hash);
  options.max_exchanges_per_minute = 1;
  EnrollmentService service(*ca, options);
  std::vector<TestDevice> devices;
  for (const char* name : {"a", "b", "c"}) {
    auto pairing = CreateCodePairing(*ca, {name});
    REQUIRE(pairing.ok());
    devices.push_back(TestDevice::ForSlot(service, std::string(pairing->code.digits()), hash));
    REQUIRE(devices.back().Start().http_status == 200);
  }
  REQUIRE(devices[0].Exchange().http_status == 200);
  CHECK(ErrorOf(devices[1].Exchange()) == "rate_limited");

  service.SetMaxExchangesPerMinute(2);
  CHECK(devices[1].Exchange().http_status == 200);  // the grant taken before still counts
  CHECK(ErrorOf(devices[2].Exchange()) == "rate_limited");

  service.SetRenewUrl("https://homeca.home.arpa:8443/enroll/v1/renew");
  EnrollmentResponse finish = devices[1].Finish(NewCsrDer());
  INFO(finish.body);
  REQUIRE(finish.http_status == 200);
  CHECK(devices[1].OpenResult(finish)->getValue<std::string>("renew_url") ==
        "https://homeca.home.arpa:8443/enroll/v1/renew");
}

}  // namespace
}  // namespace homeca::enroll
