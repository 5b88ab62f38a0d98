// SIGHUP end to end: a real homecad reads its configuration file again, and
// `openssl s_client` sees the certificate change; pairing still works (it
// binds the new certificate), devices get the new renew URL and the ACME
// directory names the new origin; a bad file changes nothing.
#include <signal.h>

#include <catch2/catch.hpp>

#include "tests/support/appliance.h"

namespace homeca::testing {
namespace {

// The subjectAltName of the certificate served on 127.0.0.1:`port`.
std::string ServedNames(unsigned short port) {
  ProcessResult served = Run({"openssl", "s_client", "-connect",
                              "127.0.0.1:" + std::to_string(port), "-servername", "ca.home.arpa"},
                             "");
  REQUIRE(served.out.find("BEGIN CERTIFICATE") != std::string::npos);
  ProcessResult san = Run({"openssl", "x509", "-noout", "-ext", "subjectAltName"}, served.out);
  REQUIRE(san.exit_code == 0);
  return san.out;
}

std::string PairCode(const TempDir& dir) {
  ProcessResult added = Run({BuiltProgram("ca/homeca"), "pair", "add", "--name", "nas",
                             "--data-dir=" + (dir / "ca").string()});
  INFO(added.err);
  REQUIRE(added.exit_code == 0);
  const std::size_t dash = added.out.find('-');
  REQUIRE(dash != std::string::npos);
  REQUIRE(dash >= 4);
  return added.out.substr(dash - 4, 14);
}

TEST_CASE("e2e: SIGHUP reloads the configuration and swaps the daemon's certificate") {
  TempDir dir;
  const unsigned short port = FreeLoopbackPort();
  unsigned short http_port = FreeLoopbackPort();
  while (http_port == port || http_port == port + 1) http_port = FreeLoopbackPort();
  const std::string conf = (dir / "homeca.conf").string();
  WriteText(conf, "[homecad]\nhttps_port = " + std::to_string(port) + "\n");
  BackgroundProcess daemon(
      {BuiltProgram("webui/homecad"), "--dev", "--data-dir=" + (dir / "ca").string(),
       "--config=" + conf, "--http-port=" + std::to_string(http_port)},
      dir / "homecad.log");
  REQUIRE(daemon.WaitForLog("listening on"));
  CHECK_THAT(ServedNames(port),
             Catch::Contains("DNS:ca.home.arpa") && !Catch::Contains("homeca.home.arpa"));

  // New names, a public URL and a rate limit apply now; a new port must wait
  // for a restart, and the old one keeps serving.
  WriteText(conf, "[homecad]\nhttps_port = " + std::to_string(port + 1) +
                      "\nserver_names = ca.home.arpa, homeca.home.arpa"
                      "\npublic_url = https://homeca.home.arpa:" +
                      std::to_string(port) + "\nexchanges_per_minute = 60\n");
  REQUIRE(kill(daemon.pid(), SIGHUP) == 0);
  REQUIRE(daemon.WaitForLog("reload: applied"));
  INFO(daemon.Log());
  CHECK_THAT(daemon.Log(),
             Catch::Contains("reload: applied server_names, public_url, exchanges_per_minute; "
                             "needs a restart: https_port (" +
                             std::to_string(port) + " -> " + std::to_string(port + 1) + ")"));
  CHECK_THAT(daemon.Log(), Catch::Contains("serving a new certificate for ca.home.arpa, "
                                           "homeca.home.arpa"));
  CHECK_THAT(ServedNames(port), Catch::Contains("DNS:homeca.home.arpa"));
  // The ACME directory names the new origin, and so checks JWS urls against it.
  const std::string origin = "https://homeca.home.arpa:" + std::to_string(port);
  CHECK_THAT(daemon.Log(),
             Catch::Contains("reload: ACME directory at " + origin + "/acme/directory"));
  ProcessResult directory = Run({"curl", "-sSk", "--max-time", "10",
                                 "https://127.0.0.1:" + std::to_string(port) + "/acme/directory"});
  INFO(directory.err);
  CHECK_THAT(directory.out, Catch::Contains("\"newOrder\":\"" + origin + "/acme/new-order\""));
  // So do the web pages: plain HTTP sends the admin to the new address.
  ProcessResult redirect =
      Run({"curl", "-sS", "-o", "/dev/null", "-w", "%{redirect_url}", "--max-time", "10",
           "http://127.0.0.1:" + std::to_string(http_port) + "/devices"});
  INFO(redirect.err);
  CHECK(redirect.out == origin + "/devices");

  // A device pairs against the new certificate and learns the new renew URL.
  TempDir device;
  ProcessResult paired =
      Run({BuiltProgram("enroll/cli/homeca-enroll"), "pair", "--code", "-", "--ca",
           "https://127.0.0.1:" + std::to_string(port), "--dir", device.path().string()},
          PairCode(dir));
  INFO(paired.err);
  REQUIRE(paired.exit_code == 0);
  ProcessResult status =
      Run({BuiltProgram("enroll/cli/homeca-enroll"), "status", "--dir", device.path().string()});
  CHECK_THAT(status.out, Catch::Contains("https://homeca.home.arpa:" + std::to_string(port) +
                                         "/enroll/v1/renew"));

  // A bad value changes nothing: same certificate, still serving.
  const std::string before = ServedNames(port);
  WriteText(conf, "[homecad]\nserver_names = www.example.com\n");
  REQUIRE(kill(daemon.pid(), SIGHUP) == 0);
  REQUIRE(daemon.WaitForLog("reload failed, nothing changed"));
  CHECK(ServedNames(port) == before);
  WriteText(conf, "[homecad]\nlog_level = loud\n");
  REQUIRE(kill(daemon.pid(), SIGHUP) == 0);
  REQUIRE(daemon.WaitForLog("log level 'loud'"));
  CHECK(ServedNames(port) == before);
  CHECK(daemon.Stop() == 0);
}

}  // namespace
}  // namespace homeca::testing
