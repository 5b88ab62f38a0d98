// One LAN host must not take the appliance's service away from the others
// (issue 11, defect 4): a real homecad on loopback, slow clients from
// 127.0.0.2 (loopback accepts any 127/8 source) dribbling a byte every few
// seconds into the TLS handshake and the plain-HTTP headers, while a client
// at 127.0.0.1 checks /healthz and the real homeca-enroll pairs and renews.
// The criterion is that everything completes within its normal timeouts,
// not a latency figure.
#include <unistd.h>

#include <catch2/catch.hpp>

#include "tests/support/appliance.h"

namespace homeca::testing {
namespace {

std::string SlowClients() { return std::string(HOMECA_SOURCE_DIR) + "/tests/e2e/slow_clients.py"; }

// The last status line the slow-clients script printed, as "key=value" fields.
int SlowStat(const BackgroundProcess& slow, const std::string& key) {
  const std::string log = slow.Log();
  const auto at = log.rfind(key + "=");
  if (at == std::string::npos) return -1;
  return std::stoi(log.substr(at + key.size() + 1));
}

ProcessResult CurlFrom127001(const std::string& url) {
  // --interface pins the admin's source to 127.0.0.1; 10 s is curl's budget
  // in the other tests, and a healthy homecad answers in milliseconds.
  return Run({"curl", "-sk", "--interface", "127.0.0.1", "--max-time", "10", "-o", "-", "-w",
              "\n%{http_code}", url});
}

std::vector<std::string> DeviceFiles(const TempDir& device) {
  return {"--key",   (device / "key.pem").string(),   "--cert", (device / "cert.pem").string(),
          "--chain", (device / "chain.pem").string(), "--root", (device / "root.pem").string()};
}

}  // namespace

TEST_CASE("e2e: 50 slow connections from one address do not stop others pairing and renewing") {
  Appliance appliance;
  const unsigned short http_port = appliance.http_port();
  const TempDir& dir = appliance.dir();
  BackgroundProcess slow_tls(
      {"python3", SlowClients(), "--port", std::to_string(appliance.https_port()), "--source",
       "127.0.0.2", "--connections", "50", "--interval", "4", "--mode", "tls"},
      dir / "slow_tls.log");
  BackgroundProcess slow_http(
      {"python3", SlowClients(), "--port", std::to_string(http_port), "--source", "127.0.0.2",
       "--connections", "50", "--interval", "4", "--mode", "http"},
      dir / "slow_http.log");
  // The attack is on: every worker the attacker may take is taken.
  REQUIRE(slow_tls.WaitForLog("max_open="));
  REQUIRE(slow_http.WaitForLog("max_open="));
  sleep(3);

  ProcessResult health = CurlFrom127001(appliance.https() + "/healthz");
  INFO(health.out << health.err << slow_tls.Log().substr(0, 400));
  CHECK(health.exit_code == 0);
  CHECK(health.out.substr(health.out.rfind('\n') + 1) == "200");
  ProcessResult onboarding = CurlFrom127001("http://127.0.0.1:" + std::to_string(http_port) + "/");
  INFO(onboarding.out.substr(0, 200) << onboarding.err);
  CHECK(onboarding.exit_code == 0);
  CHECK(onboarding.out.substr(onboarding.out.rfind('\n') + 1) == "200");

  const std::string code = appliance.AddPairing("nas");
  TempDir device;
  auto pair = DeviceFiles(device);
  pair.insert(pair.begin(), {"pair", "--code", code, "--ca", appliance.https()});
  ProcessResult paired = HomecaEnroll(pair);
  INFO(paired.out << paired.err);
  REQUIRE(paired.exit_code == 0);
  auto renew = DeviceFiles(device);
  renew.insert(renew.begin(), {"renew", "--ca", appliance.https()});
  const std::string old_cert = ReadText(device / "cert.pem");
  ProcessResult renewed = HomecaEnroll(renew);
  INFO(renewed.err);
  REQUIRE(renewed.exit_code == 0);
  CHECK(ReadText(device / "cert.pem") != old_cert);

  // The attacker really was connected the whole time, and was cut back.
  CHECK(slow_tls.Running());
  CHECK(slow_http.Running());
  CHECK(SlowStat(slow_tls, "opened") >= 50);
  CHECK(SlowStat(slow_http, "opened") >= 50);
  CHECK(appliance.daemon().Running());
}

TEST_CASE("e2e: a connection dribbling its handshake or headers is closed at the deadline") {
  Appliance appliance;
  const unsigned short http_port = appliance.http_port();
  // One byte a second never trips the 10 s per-read timeout; only a total
  // deadline ends it. 40 s is far beyond the deadline and far short of never.
  for (const auto& [mode, port] :
       {std::pair<std::string, unsigned short>{"tls", appliance.https_port()},
        {"http", http_port}}) {
    DYNAMIC_SECTION(mode) {
      ProcessResult once = Run({"python3", SlowClients(), "--port", std::to_string(port),
                                "--source", "127.0.0.3", "--connections", "1", "--interval", "1",
                                "--mode", mode, "--once", "--max-seconds", "40"});
      INFO(once.out.substr(once.out.size() > 300 ? once.out.size() - 300 : 0) << once.err);
      CHECK(once.exit_code == 0);
      CHECK_THAT(once.out, Catch::Contains("all closed after"));
    }
  }
}

}  // namespace homeca::testing
