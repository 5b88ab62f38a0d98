// The ACME server as homecad serves it, and the Add device form's "it has an
// ACME client" box, against a real homecad on loopback.
#include <catch2/catch.hpp>

#include "tests/support/appliance.h"
#include "tests/support/browser.h"

namespace homeca::testing {

TEST_CASE("homecad serves the ACME directory and nonces under /acme/") {
  Appliance appliance;
  Browser client(appliance.dir());
  HttpResult directory = client.Get(appliance.https() + "/acme/directory");
  REQUIRE(directory.status == 200);
  CHECK(directory.body.find("\"externalAccountRequired\":true") != std::string::npos);
  // The directory's URLs start with the admin base (https://<host>.local:<port>).
  CHECK(directory.body.find("\"newAccount\":\"" + appliance.admin_base() + "/acme/new-account\"") !=
        std::string::npos);
  CHECK_FALSE(directory.Header("Replay-Nonce").empty());
  CHECK(directory.Header("Link") ==
        "<" + appliance.admin_base() + "/acme/directory>;rel=\"index\"");
  HttpResult nonce = client.Get(appliance.https() + "/acme/new-nonce");
  CHECK(nonce.status == 204);
  CHECK(nonce.Header("Cache-Control") == "no-store");
  // A bad request is a problem document, with a nonce, and changes nothing.
  HttpResult bad = client.Get(appliance.https() + "/acme/new-account");
  CHECK(bad.status == 405);
  CHECK(bad.Header("Content-Type") == "application/problem+json");
  CHECK_FALSE(bad.Header("Replay-Nonce").empty());
}

TEST_CASE("the Add device form makes an ACME pairing shown once with a certbot command") {
  Appliance appliance;
  Browser admin(appliance.dir());
  appliance.SetUp(admin);
  HttpResult made =
      admin.Submit(appliance.https() + "/devices/add", appliance.https() + "/devices/add",
                   {{"name", "nas"}, {"ttl", "10"}, {"acme", "on"}});
  REQUIRE(made.status == 303);
  const std::string page_url = appliance.https() + made.Header("Location");
  HttpResult page = admin.Get(page_url);
  REQUIRE(page.status == 200);
  const std::string key_id = TestIdText(page.body, "acme-key-id");
  const std::string hmac = TestIdText(page.body, "acme-hmac-key");
  CHECK(key_id.size() == 22);
  CHECK(hmac.size() == 43);
  CHECK(TestIdText(page.body, "acme-directory") == appliance.admin_base() + "/acme/directory");
  const std::string command = TestIdText(page.body, "acme-command");
  CHECK(command.find("--eab-kid " + key_id) != std::string::npos);
  CHECK(command.find("--eab-hmac-key " + hmac) != std::string::npos);
  CHECK(command.find("-d nas.home.arpa") != std::string::npos);
  CHECK(TestIdText(page.body, "pairing-code").empty());
  CHECK(appliance.AuditCount("acme-eab") == 1);

  // The Devices page lists it, waiting for its ACME client.
  HttpResult devices = admin.Get(appliance.https() + "/devices");
  CHECK(devices.body.find("its ACME client") != std::string::npos);
  // Another session never sees the HMAC key.
  Browser other(appliance.dir(), "other");
  appliance.LogIn(other);
  HttpResult elsewhere = other.Get(page_url);
  CHECK(TestIdText(elsewhere.body, "acme-hmac-key").empty());
  CHECK(elsewhere.body.find(hmac) == std::string::npos);
  CHECK_FALSE(TestIdText(elsewhere.body, "acme-waiting").empty());
}

}  // namespace homeca::testing
