// The ACME server's rate limits (enroll/acme/acme_rate_limits.h), driven
// with real JWS requests against a real CA on a test clock: the certificate
// past a device's daily limit, the window rolling, the pairing's first
// certificate, and the cap on an account's ready orders.
#include <catch2/catch.hpp>
#include <string>

#include "ca/store/acme_records.h"
#include "enroll/acme/acme_service.h"
#include "tests/enroll/acme/acme_client.h"
#include "tests/enroll/acme/acme_server_fixture.h"
#include "tests/enroll/acme/jws_signer.h"
#include "tests/support/csr_factory.h"

namespace homeca::enroll::acme {
namespace {

using testing::AcmeClient;
using testing::HeaderOf;
using testing::JsonOf;
using testing::PathOf;
using testing::ProblemOf;
using testing::Server;
using testing::TestKey;

constexpr std::int64_t kDay = 24 * 3600;

AcmeServiceOptions WithLimit(int certificates_per_day) {
  AcmeServiceOptions options{std::string(testing::kOrigin)};
  options.certificates_per_day = certificates_per_day;
  return options;
}

// A registered client of a fresh "nas" pairing.
AcmeClient Registered(Server& s) {
  AcmeClient client(*s.service, TestKey("p256"), "ES256");
  REQUIRE(client.Register(s.Pair().eab).status == 201);
  return client;
}

// Moves the test clock by `seconds`. The nonce the client holds may then be
// too old (nonces live an hour): like a real client retrying after
// badNonce, it spends one request to get a fresh one.
void Later(Server& s, AcmeClient& client, std::int64_t seconds) {
  s.clock.Advance(seconds);
  client.PostKid(PathOf(client.account_url), "");
}

std::size_t OrderCount(Server& s) { return s.authority->acme().ListOrderIds(1, 1000)->size(); }

// A rateLimited answer: 429, the RFC 8555 type, and a Retry-After of
// `retry_after` seconds.
void CheckRateLimited(const AcmeHttpResponse& answer, int retry_after) {
  INFO(answer.body);
  CHECK(answer.status == 429);
  CHECK(ProblemOf(answer) == "rateLimited");
  CHECK(JsonOf(answer)->getValue<std::string>("type") == "urn:ietf:params:acme:error:rateLimited");
  CHECK(HeaderOf(answer, "Retry-After") == std::to_string(retry_after));
  CHECK_FALSE(HeaderOf(answer, "Replay-Nonce").empty());
}

std::string Detail(const AcmeHttpResponse& answer) {
  return JsonOf(answer)->getValue<std::string>("detail");
}

}  // namespace

TEST_CASE("the certificate past a device's daily limit is refused, and nothing is issued",
          "[acme][server][rate]") {
  Server s(WithLimit(3));
  AcmeClient client = Registered(s);
  testing::Issue(client, {"nas.home.arpa"});  // the pairing's first
  const std::int64_t first_renewal = s.clock.Now();
  for (int i = 0; i < 3; ++i) {
    testing::Issue(client, {"nas.home.arpa"});
    s.clock.Advance(60);
  }
  const std::int64_t certificates = s.CertificateCount();
  const std::size_t orders = OrderCount(s);

  // newOrder: refused before anything is stored.
  AcmeHttpResponse refused = client.Order({"nas.home.arpa"});
  CheckRateLimited(refused, static_cast<int>(first_renewal + kDay - s.clock.Now()));
  CHECK_THAT(Detail(refused), Catch::Contains("3 new certificates in the last 24 hours") &&
                                  Catch::Contains("allows 3 a day") &&
                                  Catch::Contains("acme.certificates_per_day") &&
                                  Catch::Contains("try again in 23 h 57 min"));
  CHECK(OrderCount(s) == orders);
  CHECK(s.CertificateCount() == certificates);

  // A raised limit applies to the next request.
  s.service->SetCertificatesPerDay(4);
  AcmeHttpResponse one = client.Order({"nas.home.arpa"});
  AcmeHttpResponse two = client.Order({"nas.home.arpa"});
  REQUIRE(one.status == 201);
  REQUIRE(two.status == 201);
  ossl::Pkey key = ::homeca::testing::MakeEcKey();
  REQUIRE(client.Finalize(HeaderOf(one, "Location"), testing::Csr(key.get(), {"nas.home.arpa"}))
              .status == 200);
  // finalize checks again: two orders were ready, the day holds one more.
  AcmeHttpResponse late =
      client.Finalize(HeaderOf(two, "Location"), testing::Csr(key.get(), {"nas.home.arpa"}));
  CheckRateLimited(late, static_cast<int>(first_renewal + kDay - s.clock.Now()));
  CHECK_THAT(Detail(late), Catch::Contains("4 new certificates"));
  CHECK(s.CertificateCount() == certificates + 1);
  // The order stays ready, to be finalized once the window allows.
  AcmeHttpResponse still = client.PostKid(PathOf(HeaderOf(two, "Location")), "");
  CHECK(JsonOf(still)->getValue<std::string>("status") == "ready");
}

TEST_CASE("a device's daily limit rolls with the window", "[acme][server][rate]") {
  Server s(WithLimit(2));
  AcmeClient client = Registered(s);
  testing::Issue(client, {"nas.home.arpa"});
  const std::int64_t first_renewal = s.clock.Now();
  testing::Issue(client, {"nas.home.arpa"});
  Later(s, client, 3600);
  testing::Issue(client, {"nas.home.arpa"});
  CheckRateLimited(client.Order({"nas.home.arpa"}), static_cast<int>(kDay - 3600));

  // One second before the oldest renewal leaves the window: still refused.
  Later(s, client, first_renewal + kDay - 1 - s.clock.Now());
  AcmeHttpResponse almost = client.Order({"nas.home.arpa"});
  CheckRateLimited(almost, 1);
  CHECK_THAT(Detail(almost), Catch::Contains("try again in 1 s"));
  // Then it has left, and one more fits; the next waits for the second one.
  s.clock.Advance(1);
  testing::Issue(client, {"nas.home.arpa"});
  CheckRateLimited(client.Order({"nas.home.arpa"}), 3600);
}

TEST_CASE("the pairing's first certificate is never limited nor counted", "[acme][server][rate]") {
  Server s(WithLimit(1));
  AcmeClient client = Registered(s);
  testing::Issue(client, {"nas.home.arpa"});  // completes the pairing
  testing::Issue(client, {"nas.home.arpa"});  // the one renewal of the day
  CheckRateLimited(client.Order({"nas.home.arpa"}), static_cast<int>(kDay));
  // Another device has its own day.
  const AcmePairing printer = s.Pair("printer");
  AcmeClient other(*s.service, TestKey("p384"), "ES384");
  REQUIRE(other.Register(printer.eab).status == 201);
  testing::Issue(other, {"printer.home.arpa"});
  testing::Issue(other, {"printer.home.arpa"});
}

TEST_CASE("an account holds at most 20 ready orders, and finalizing one frees a slot",
          "[acme][server][rate]") {
  Server s;
  AcmeClient client = Registered(s);
  std::string oldest;
  for (int i = 0; i < 20; ++i) {
    AcmeHttpResponse order = client.Order({"nas.home.arpa"});
    REQUIRE(order.status == 201);
    if (oldest.empty()) oldest = HeaderOf(order, "Location");
    s.clock.Advance(10);
  }
  const std::size_t orders = OrderCount(s);
  AcmeHttpResponse refused = client.Order({"nas.home.arpa"});
  // Until the oldest expires: 7 days after it was made, 200 s ago.
  CheckRateLimited(refused, 7 * kDay - 200);
  CHECK_THAT(Detail(refused), Catch::Contains("20 orders that are ready") &&
                                  Catch::Contains("finalize one of them"));
  CHECK(OrderCount(s) == orders);

  ossl::Pkey key = ::homeca::testing::MakeEcKey();
  REQUIRE(client.Finalize(oldest, testing::Csr(key.get(), {"nas.home.arpa"})).status == 200);
  CHECK(client.Order({"nas.home.arpa"}).status == 201);
  CHECK(client.Order({"nas.home.arpa"}).status == 429);

  // Expired orders hold no slot.
  Later(s, client, 7 * kDay);
  CHECK(client.Order({"nas.home.arpa"}).status == 201);
}

}  // namespace homeca::enroll::acme
