// The same mistake gets the same words in the CLI and the web UI: a device
// name that is too long, outside home.arpa, with a character a host name
// cannot have, with a space, or already in use. One function
// (enroll::CheckPairingNames, ca::CheckNames, enroll::NameInUseMessage)
// says it; this test holds both surfaces to it, against a real homecad.
#include <catch2/catch.hpp>

#include "tests/support/appliance.h"

namespace homeca::testing {
namespace {

// The page's text as a person reads it.
std::string Unescape(std::string s) {
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"&#39;", "'"}, {"&quot;", "\""}, {"&lt;", "<"}, {"&gt;", ">"}, {"&amp;", "&"}}) {
    for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + 1)) {
      s.replace(at, from.size(), to);
    }
  }
  return s;
}

// "homeca pair add: <message>\n" -> "<message>"
std::string CliMessage(const ProcessResult& r) {
  std::string err = r.err;
  const std::string prefix = "homeca pair add: ";
  if (err.rfind(prefix, 0) == 0) err = err.substr(prefix.size());
  while (!err.empty() && err.back() == '\n') err.pop_back();
  return err;
}

TEST_CASE("a bad device name reads the same in the CLI and the web UI, in plain words") {
  Appliance appliance;
  Browser admin(appliance.dir());
  appliance.SetUp(admin);
  const std::string seventy(70, 'a');
  const std::vector<std::pair<std::string, std::string>> cases = {
      {seventy, "'" + seventy + "' is 70 characters, at most 63 between dots"},
      {"www.bank.com", "only names under home.arpa or local"},
      {"my_nas", "letters, digits and hyphens only"},
      {"-nas", "a hyphen cannot start or end a part"},
      {"my nas", "use hyphens instead, like living-room-tv"},
      {" ", "Enter a name for the device, like nas or living-room-tv."},
  };
  for (const auto& [name, words] : cases) {
    INFO("name '" << name << "'");
    ProcessResult cli = appliance.Homeca({"pair", "add", "--name", name});
    CHECK(cli.exit_code != 0);
    HttpResult web = admin.Submit(appliance.https() + "/devices/add",
                                  appliance.https() + "/devices/add", {{"name", name}});
    CHECK(web.status == 400);
    const std::string shown = Unescape(TestIdText(web.body, "error"));
    CHECK_THAT(shown, Catch::Contains(words));
    CHECK(shown == CliMessage(cli));
  }
  CHECK(appliance.AuditCount("pairing-created") == 0);  // nothing was made

  // A name in use: the same sentence; the CLI adds how to confirm there.
  REQUIRE(appliance.Homeca({"pair", "add", "--name", "nas"}).exit_code == 0);
  ProcessResult cli = appliance.Homeca({"pair", "add", "--name", "nas"});
  HttpResult web = admin.Submit(appliance.https() + "/devices/add",
                                appliance.https() + "/devices/add", {{"name", "nas"}});
  CHECK(web.status == 409);
  const std::string shown = Unescape(TestIdText(web.body, "error"));
  CHECK_THAT(shown, Catch::StartsWith("nas.home.arpa is already waiting to pair (pairing 1)."));
  CHECK(CliMessage(cli) == shown + " Add --replace to do so.");
  CHECK(CountTestId(web.body, "replace-device") == 1);
  CHECK(appliance.AuditCount("pairing-created") == 1);
}

}  // namespace
}  // namespace homeca::testing
