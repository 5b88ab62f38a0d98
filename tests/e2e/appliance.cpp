#include "tests/e2e/appliance.h"

#include <catch2/catch.hpp>
#include <regex>

namespace homeca::testing {

// Port 0: homecad takes any free port and logs it, so parallel tests never
// race for one, and every pairing here checks that devices are told the
// bound port (not 0) to renew at.
Appliance::Appliance()
    : daemon_({BuiltProgram("webui/homecad"), "--dev", "--data-dir=" + (dir_ / "ca").string(),
               "--https-port=0", "--http-port=0"},
              dir_ / "homecad.log") {
  if (!daemon_.WaitForLog("listening on")) {
    FAIL("homecad did not start:\n" << daemon_.Log());
  }
  std::smatch match;
  static const std::regex kListening(R"(listening on https://[^ ]*:(\d+))");
  const std::string log = daemon_.Log();
  REQUIRE(std::regex_search(log, match, kListening));
  port_ = static_cast<unsigned short>(std::stoi(match[1]));
}

ProcessResult Appliance::Homeca(std::vector<std::string> args) const {
  args.insert(args.begin(), BuiltProgram("ca/homeca"));
  args.push_back("--data-dir=" + (dir_ / "ca").string());
  return Run(args);
}

std::string Appliance::AddPairing(const std::string& name) const {
  ProcessResult added = Homeca({"pair", "add", "--name", name});
  INFO(added.err);
  REQUIRE(added.exit_code == 0);
  std::smatch match;
  static const std::regex kCode(R"(\b(\d{4}-\d{4}-\d{4})\b)");
  REQUIRE(std::regex_search(added.out, match, kCode));
  return match[1];
}

int Appliance::CertificateCount() const {
  ProcessResult list = Homeca({"list", "--json", "--limit", "1000"});
  REQUIRE(list.exit_code == 0);
  ProcessResult count =
      Run({"python3", "-c", "import json,sys; print(len(json.load(sys.stdin)))"}, list.out);
  REQUIRE(count.exit_code == 0);
  return std::stoi(count.out);
}

ProcessResult HomecaEnroll(std::vector<std::string> args) {
  args.insert(args.begin(), BuiltProgram("enroll/cli/homeca-enroll"));
  return Run(args);
}

ProcessResult CurlPost(const std::string& url, const std::string& body) {
  return Run({"curl", "-sk", "--max-time", "10", "-o", "-", "-w", "\n%{http_code}", "-H",
              "Content-Type: application/json", "--data-binary", "@-", url},
             body);
}

}  // namespace homeca::testing
