// Check-in end to end on loopback: a real homecad, the real homeca-enroll.
// The device tells the CA where it is over mutual TLS, and the CA answers
// with the address it saw; curl without a client certificate is refused.
// (`run` checking in when addresses change: checkin_netns_test.sh.)
#include <catch2/catch.hpp>

#include "tests/support/appliance.h"

namespace homeca::testing {
namespace {

TEST_CASE("e2e: homeca-enroll checkin reaches homecad, which saw 127.0.0.1") {
  Appliance appliance;
  TempDir device;
  const std::string dir = (device / "tls").string();
  ProcessResult paired = HomecaEnroll(
      {"pair", "--code", appliance.AddPairing("nas"), "--ca", appliance.https(), "--dir", dir});
  INFO(paired.out << paired.err);
  REQUIRE(paired.exit_code == 0);
  const int certificates = appliance.CertificateCount();

  ProcessResult checked = HomecaEnroll({"checkin", "--dir", dir});
  INFO(checked.out << checked.err << appliance.daemon().Log());
  REQUIRE(checked.exit_code == 0);
  CHECK(checked.out.find("checked in: the CA sees this device at 127.0.0.1\n") == 0);
  CHECK_THAT(checked.out, Catch::Contains("names:      nas.home.arpa"));
  CHECK(appliance.CertificateCount() == certificates);  // nothing issued

  SECTION("a copy of a certificate the device has renewed since cannot check in") {
    TempDir copy;
    std::filesystem::copy(dir, copy / "tls", std::filesystem::copy_options::recursive);
    REQUIRE(HomecaEnroll({"renew", "--dir", dir}).exit_code == 0);
    ProcessResult stale = HomecaEnroll({"checkin", "--dir", (copy / "tls").string()});
    CHECK(stale.exit_code == 1);
    CHECK_THAT(stale.err, Catch::Contains("[superseded]"));
    // The renewed certificate checks in (it is another certificate: no wait).
    ProcessResult renewed = HomecaEnroll({"checkin", "--dir", dir});
    INFO(renewed.err);
    CHECK(renewed.exit_code == 0);
  }
  SECTION("without a client certificate, or with a body that is not an object") {
    const std::string url = appliance.https() + "/enroll/v1/checkin";
    ProcessResult anonymous = CurlPost(url, "{}");
    REQUIRE(anonymous.exit_code == 0);
    CHECK(anonymous.out.substr(anonymous.out.rfind('\n') + 1) == "401");
    CHECK_THAT(anonymous.out, Catch::Contains("no_client_certificate"));
    ProcessResult big = CurlPost(url, "{\"x\": \"" + std::string(70 * 1024, 'x') + "\"}");
    REQUIRE(big.exit_code == 0);
    CHECK(big.out.substr(big.out.rfind('\n') + 1) == "400");
    ProcessResult tls_but_array = Run(
        {"curl", "-sk", "--max-time", "10", "-o", "-", "-w", "\n%{http_code}", "--cert",
         (device / "tls" / "chain.pem").string(), "--key", (device / "tls" / "key.pem").string(),
         "-H", "Content-Type: application/json", "--data-binary", "[]", url});
    INFO(tls_but_array.out << tls_but_array.err);
    CHECK(tls_but_array.out.substr(tls_but_array.out.rfind('\n') + 1) == "400");
    CHECK_THAT(tls_but_array.out, Catch::Contains("bad_request"));
  }
}

}  // namespace
}  // namespace homeca::testing
