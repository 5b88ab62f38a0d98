#include "tests/support/appliance.h"

#include <catch2/catch.hpp>
#include <regex>
#include <sstream>

namespace homeca::testing {
namespace {

unsigned short PortIn(const std::string& log, const std::regex& pattern) {
  std::smatch match;
  REQUIRE(std::regex_search(log, match, pattern));
  return static_cast<unsigned short>(std::stoi(match[1]));
}

}  // namespace

// Port 0 for both listeners: the bound ports are read from the log, and
// every pairing in the tests checks that devices are told the bound port
// (not 0) to renew at.
Appliance::Appliance()
    : daemon_({BuiltProgram("webui/homecad"), "--dev", "--data-dir=" + data_dir(), "--https-port=0",
               "--http-port=0"},
              dir_ / "homecad.log") {
  // The last line of a start: both listeners are up, the setup link logged.
  if (!daemon_.WaitForLog("root CA:")) FAIL("homecad did not start:\n" << daemon_.Log());
  const std::string log = daemon_.Log();
  static const std::regex kListening(R"(listening on https://127\.0\.0\.1:(\d+))");
  static const std::regex kOnboarding(R"(onboarding at http://127\.0\.0\.1:(\d+)/)");
  https_port_ = PortIn(log, kListening);
  http_port_ = PortIn(log, kOnboarding);
  std::smatch match;
  static const std::regex kSetup(
      R"(first-run setup: (https://[^\s]+)/setup\?token=([A-Za-z0-9_-]+))");
  REQUIRE(std::regex_search(log, match, kSetup));
  // By the name homecad's certificate puts first (<host>.local), never by
  // the address the tests reach it at: no certificate names an address.
  admin_base_ = match[1];
  CHECK(admin_base_.ends_with(".local:" + std::to_string(https_port_)));
  setup_token_ = match[2];
}

ProcessResult Appliance::Homeca(std::vector<std::string> args, const std::string& input) const {
  args.insert(args.begin(), BuiltProgram("ca/homeca"));
  args.push_back("--data-dir=" + data_dir());
  return Run(args, input);
}

void Appliance::SetUp(const Browser& browser, const std::string& password) {
  HttpResult result = browser.Submit(
      https() + "/setup?token=" + setup_token_, https() + "/setup",
      {{"token", setup_token_}, {"password", password}, {"password-confirm", password}});
  INFO(result.body);
  REQUIRE(result.status == 303);
  REQUIRE(result.Header("Location") == "/");
}

void Appliance::LogIn(const Browser& browser, const std::string& password) {
  HttpResult result =
      browser.Submit(https() + "/login", https() + "/login", {{"password", password}});
  INFO(result.body);
  REQUIRE(result.status == 303);
  REQUIRE(result.Header("Location") == "/");
}

int Appliance::AuditCount(const std::string& action) const {
  ProcessResult audit = Homeca({"audit", "--limit", "1000"});
  REQUIRE(audit.exit_code == 0);
  int count = 0;
  std::istringstream in(audit.out);
  std::string line;
  while (std::getline(in, line)) {
    if (line.find(" " + action + " ") != std::string::npos) ++count;
  }
  return count;
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
