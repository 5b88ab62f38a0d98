#include "enroll/device/endpoint_url.h"

#include <catch2/catch.hpp>

#include "enroll/device/device_enroller.h"

namespace homeca::enroll {
namespace {

TEST_CASE("CA URLs: full https URLs and bare hosts", "[device]") {
  auto full = ParseCaUrl("https://ca.home.arpa:9443/enroll/v1/");
  REQUIRE(full.ok());
  CHECK(full->host == "ca.home.arpa");
  CHECK(full->port == 9443);
  CHECK(full->path == "/enroll/v1");
  CHECK(full->Url() == "https://ca.home.arpa:9443/enroll/v1");

  auto no_port = ParseCaUrl("https://ca.home.arpa");
  REQUIRE(no_port.ok());
  CHECK(no_port->port == 443);  // a URL means what URLs mean
  CHECK(no_port->path == "/enroll/v1");

  auto bare = ParseCaUrl("ca.home.arpa");
  REQUIRE(bare.ok());
  CHECK(bare->port == 8443);  // the CA's default
  CHECK(bare->path == "/enroll/v1");
  auto bare_port = ParseCaUrl("192.168.1.20:9000");
  REQUIRE(bare_port.ok());
  CHECK(bare_port->host == "192.168.1.20");
  CHECK(bare_port->port == 9000);
  auto v6 = ParseCaUrl("[fd00::1]");
  REQUIRE(v6.ok());
  CHECK(v6->host == "fd00::1");
  CHECK(v6->port == 8443);
  CHECK(v6->Url() == "https://[fd00::1]:8443/enroll/v1");

  for (const char* bad : {"", "http://ca.home.arpa", "ftp://x", "https://user@ca.home.arpa",
                          "https://ca.home.arpa/?q=1", "https://ca.home.arpa/#f", "https://",
                          "ca.home.arpa/enroll", "https://ca.home.arpa:99999"}) {
    INFO(bad);
    CHECK(ParseCaUrl(bad).status().IsInvalidArgument());
  }
}

TEST_CASE("renew URLs keep their path", "[device]") {
  auto url = ParseHttpsUrl("https://ca.home.arpa:8443/enroll/v1/renew");
  REQUIRE(url.ok());
  CHECK(url->path == "/enroll/v1/renew");
  CHECK_FALSE(ParseHttpsUrl("https://ca.home.arpa").ok());
  CHECK_FALSE(ParseHttpsUrl("ca.home.arpa/renew").ok());
}

TEST_CASE("renewal reaches the CA where it can, and demands the CA's own name", "[device]") {
  EnrollerConfig config;
  const std::string renew_url = "https://ca.home.arpa:8443/enroll/v1/renew";
  auto target = ResolveRenewalTarget(config, renew_url, "https://192.168.1.20:8443");
  REQUIRE(target.ok());
  CHECK(target->connect.Url() == "https://192.168.1.20:8443/enroll/v1/renew");
  CHECK(target->verify_host == "ca.home.arpa");

  config.ca_url = "10.0.0.5";  // given now: wins over the address stored at pairing
  target = ResolveRenewalTarget(config, renew_url, "https://192.168.1.20:8443");
  REQUIRE(target.ok());
  CHECK(target->connect.Url() == "https://10.0.0.5:8443/enroll/v1/renew");
  CHECK(target->verify_host == "ca.home.arpa");

  target = ResolveRenewalTarget(config, "", "");  // files installed by hand
  REQUIRE(target.ok());
  CHECK(target->connect.Url() == "https://10.0.0.5:8443/enroll/v1/renew");
  CHECK(target->verify_host == "10.0.0.5");

  config.ca_url.clear();
  target = ResolveRenewalTarget(config, renew_url, "");
  REQUIRE(target.ok());
  CHECK(target->connect.Url() == "https://ca.home.arpa:8443/enroll/v1/renew");
  CHECK(ErrorOf(ResolveRenewalTarget(config, "", "")) == EnrollError::kInvalidArgument);
  CHECK(ErrorOf(ResolveRenewalTarget(config, "http://x/renew", "")) == EnrollError::kIo);
}

}  // namespace
}  // namespace homeca::enroll
