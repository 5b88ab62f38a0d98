// homecad's TLS key exchange, seen by `openssl s_client`: X25519 even for a
// client that prefers X448 (Poco's default list starts with X448, and a
// client built on Poco's defaults would make the CA do X448 on every
// pairing), and no handshake at all for a client that offers only X448.
// And the device's side: homeca-enroll offers X25519 and P-256, never X448.
#include <catch2/catch.hpp>

#include "enroll/pake/pairing_code.h"
#include "tests/support/appliance.h"

namespace homeca::testing {
namespace {

ProcessResult Handshake(const Appliance& ca, const std::string& groups) {
  return Run({"openssl", "s_client", "-connect", "127.0.0.1:" + std::to_string(ca.https_port()),
              "-servername", "ca.home.arpa", "-groups", groups},
             "");
}

TEST_CASE("e2e: homecad answers a client that prefers X448 with X25519") {
  Appliance ca;
  ProcessResult prefers_x448 = Handshake(ca, "X448:X25519:P-256");
  INFO(prefers_x448.out << prefers_x448.err);
  CHECK_THAT(prefers_x448.out, Catch::Contains("Server Temp Key: X25519"));
  ProcessResult p256_only = Handshake(ca, "P-256");
  INFO(p256_only.out << p256_only.err);
  CHECK_THAT(p256_only.out, Catch::Contains("Server Temp Key: ECDH, prime256v1"));
  ProcessResult x448_only = Handshake(ca, "X448");
  INFO(x448_only.out << x448_only.err);
  CHECK_THAT(x448_only.out, !Catch::Contains("Server Temp Key"));
  CHECK_THAT(x448_only.err, Catch::Contains("handshake failure"));
}

TEST_CASE("e2e: homeca-enroll offers X25519 first and never X448") {
  // A plain `openssl s_server -trace` stands in for the CA: the pairing
  // cannot go far, but the device's ClientHello is in the trace.
  TempDir dir;
  const std::string key = (dir / "key.pem").string();
  const std::string cert = (dir / "cert.pem").string();
  REQUIRE(Run({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
               "-nodes", "-keyout", key, "-out", cert, "-subj", "/CN=ca.home.arpa", "-days", "1"})
              .exit_code == 0);
  const unsigned short port = FreeLoopbackPort();
  BackgroundProcess server({"openssl", "s_server", "-accept", std::to_string(port), "-cert", cert,
                            "-key", key, "-groups", "X448:P-256:X25519", "-trace", "-www"},
                           dir / "s_server.log");
  REQUIRE(server.WaitForLog("ACCEPT"));
  auto code = enroll::PairingCode::Generate(7);
  REQUIRE(code.ok());
  ProcessResult paired = Run({BuiltProgram("enroll/cli/homeca-enroll"), "pair", "--code", "-",
                              "--ca", "https://127.0.0.1:" + std::to_string(port), "--dir",
                              (dir / "device").string(), "--timeout", "3"},
                             code->Display() + "\n");
  CHECK(paired.exit_code != 0);  // s_server is no CA
  REQUIRE(server.WaitForLog("ClientHello"));
  const std::string trace = server.Log();
  // The ClientHello's supported_groups list, up to the next extension.
  const std::size_t groups = trace.find("extension_type=supported_groups");
  REQUIRE(groups != std::string::npos);
  const std::string offered =
      trace.substr(groups, trace.find("extension_type=", groups + 1) - groups);
  INFO(offered);
  CHECK(offered.find("ecdh_x25519") < offered.find("secp256r1"));
  CHECK(offered.find("secp256r1") != std::string::npos);
  CHECK(offered.find("x448") == std::string::npos);
}

}  // namespace
}  // namespace homeca::testing
