// Taking the root key offline through a real homecad's Settings page (with
// CSRF, audited, the download judged by openssl pkey), and a homecad started
// on a data directory without the root key that still pairs, renews, revokes
// and publishes CRLs.
#include <catch2/catch.hpp>
#include <regex>

#include "tests/support/appliance.h"

namespace homeca::testing {
namespace {

constexpr const char* kPassphrase = "a long passphrase for the root";

std::string RootPublicKey(const Appliance& appliance) {
  return Run({"openssl", "x509", "-in", appliance.data_dir() + "/root.pem", "-noout", "-pubkey"})
      .out;
}

// Downloads the encrypted root key through Settings and deletes it from the box.
void TakeRootOffline(Appliance& appliance, const Browser& admin) {
  const std::string settings = appliance.https() + "/settings";
  HttpResult download = admin.Submit(settings, settings + "/root-key/export",
                                     {{"passphrase", kPassphrase}, {"passphrase2", kPassphrase}});
  REQUIRE(download.status == 200);
  REQUIRE(admin.Submit(settings, settings + "/root-key/delete", {{"confirm", "yes"}}).status ==
          303);
  REQUIRE_FALSE(std::filesystem::exists(appliance.data_dir() + "/root-key.pem"));
}

TEST_CASE("the root key goes offline from Settings: encrypted download, then deletion") {
  Appliance appliance;
  Browser admin(appliance.dir());
  appliance.SetUp(admin);
  const std::string settings = appliance.https() + "/settings";
  const std::filesystem::path key_file = appliance.data_dir() + "/root-key.pem";
  // Right after setup, the Overview says where the root key is and offers to move it.
  HttpResult overview = admin.Get(appliance.https() + "/");
  CHECK(TestIdText(overview.body, "root-key-location") == "on this box");
  CHECK(CountTestId(overview.body, "root-key-offer") == 1);
  HttpResult page = admin.Get(settings);
  CHECK(TestIdText(page.body, "root-key-location") == "on this box");
  CHECK(CountTestId(page.body, "root-key-export") == 1);
  CHECK(CountTestId(page.body, "root-key-delete") == 0);  // only after a download

  // Without the session's CSRF token nothing happens, nor before a download.
  HttpResult forged = admin.Post(settings + "/root-key/delete", {{"confirm", "yes"}});
  CHECK(forged.status == 403);
  HttpResult forged_export = admin.Post(
      settings + "/root-key/export", {{"passphrase", kPassphrase}, {"passphrase2", kPassphrase}});
  CHECK(forged_export.status == 403);
  CHECK(forged_export.body.find("PRIVATE KEY") == std::string::npos);
  HttpResult too_early =
      admin.Submit(settings, settings + "/root-key/delete", {{"confirm", "yes"}});
  CHECK(too_early.status == 409);
  CHECK(std::filesystem::exists(key_file));

  // Bad passphrases are refused with a clear message and no download.
  HttpResult differ = admin.Submit(settings, settings + "/root-key/export",
                                   {{"passphrase", kPassphrase}, {"passphrase2", "something"}});
  CHECK(differ.status == 400);
  CHECK_THAT(TestIdText(differ.body, "error"), Catch::Contains("differ"));
  HttpResult short_pass = admin.Submit(settings, settings + "/root-key/export",
                                       {{"passphrase", "short"}, {"passphrase2", "short"}});
  CHECK(short_pass.status == 400);
  CHECK_THAT(TestIdText(short_pass.body, "error"), Catch::Contains("at least 12"));
  CHECK(appliance.AuditCount("root-key-export") == 0);

  HttpResult download = admin.Submit(settings, settings + "/root-key/export",
                                     {{"passphrase", kPassphrase}, {"passphrase2", kPassphrase}});
  REQUIRE(download.status == 200);
  CHECK_THAT(download.Header("Content-Disposition"), Catch::Contains("attachment"));
  CHECK(download.Header("Cache-Control") == "no-store");
  CHECK_THAT(download.body, Catch::StartsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
  WriteText(appliance.dir() / "downloaded.pem", download.body);
  ProcessResult opened =
      Run({"openssl", "pkey", "-in", (appliance.dir() / "downloaded.pem").string(), "-passin",
           std::string("pass:") + kPassphrase, "-pubout"});
  INFO(opened.err);
  REQUIRE(opened.exit_code == 0);
  CHECK(opened.out == RootPublicKey(appliance));
  CHECK(appliance.AuditCount("root-key-export") == 1);

  // Deleting needs the box ticked, then the key is gone and the pages say so.
  page = admin.Get(settings);
  CHECK(CountTestId(page.body, "root-key-delete") == 1);
  HttpResult unticked = admin.Submit(settings, settings + "/root-key/delete", {});
  CHECK(unticked.status == 400);
  CHECK(std::filesystem::exists(key_file));
  HttpResult deleted = admin.Submit(settings, settings + "/root-key/delete", {{"confirm", "yes"}});
  REQUIRE(deleted.status == 303);
  CHECK(deleted.Header("Location") == "/settings?saved=root-key-offline");
  CHECK_FALSE(std::filesystem::exists(key_file));
  CHECK(appliance.AuditCount("root-key-offline") == 1);
  page = admin.Get(settings);
  CHECK_THAT(TestIdText(page.body, "root-key-location"), Catch::StartsWith("offline since "));
  CHECK(CountTestId(page.body, "root-key-export") == 0);
  overview = admin.Get(appliance.https() + "/");
  CHECK_THAT(TestIdText(overview.body, "root-key-location"), Catch::StartsWith("offline since "));
  CHECK(CountTestId(overview.body, "root-key-offer") == 0);
  // Neither the passphrase nor the key reached the log or the audit trail.
  CHECK(appliance.daemon().Log().find(kPassphrase) == std::string::npos);
  ProcessResult audit = appliance.Homeca({"audit", "--limit", "100"});
  CHECK(audit.out.find(kPassphrase) == std::string::npos);
}

TEST_CASE("homecad without the root key pairs, renews, revokes and publishes the CRL") {
  Appliance appliance;
  Browser admin(appliance.dir());
  appliance.SetUp(admin);
  TakeRootOffline(appliance, admin);

  // A fresh homecad on the same data directory and ports, with no root key.
  appliance.daemon().Stop();
  BackgroundProcess daemon(
      {BuiltProgram("webui/homecad"), "--dev", "--data-dir=" + appliance.data_dir(),
       "--https-port=" + std::to_string(appliance.https_port()),
       "--http-port=" + std::to_string(appliance.http_port())},
      appliance.dir() / "homecad-offline.log");
  REQUIRE(daemon.WaitForLog("root CA:"));
  appliance.LogIn(admin);

  HttpResult made = admin.Submit(appliance.https() + "/devices/add",
                                 appliance.https() + "/devices/add", {{"name", "nas"}});
  REQUIRE(made.status == 303);
  const std::string code =
      TestIdText(admin.Get(appliance.https() + made.Header("Location")).body, "pairing-code");
  REQUIRE(std::regex_match(code, std::regex(R"(\d{4}-\d{4}-\d{4})")));
  TempDir device;
  const std::string enroll = BuiltProgram("enroll/cli/homeca-enroll");
  ProcessResult paired = Run(
      {enroll, "pair", "--code", code, "--ca", appliance.https(), "--dir", device.path().string()});
  INFO(paired.out << paired.err << daemon.Log());
  REQUIRE(paired.exit_code == 0);
  const std::string first = ReadText(device / "cert.pem");
  ProcessResult renewed =
      Run({enroll, "renew", "--ca", appliance.https(), "--dir", device.path().string()});
  INFO(renewed.err);
  REQUIRE(renewed.exit_code == 0);
  CHECK(ReadText(device / "cert.pem") != first);
  ProcessResult verified =
      Run({"openssl", "verify", "-CAfile", (device / "root.pem").string(), "-untrusted",
           (device / "chain.pem").string(), (device / "cert.pem").string()});
  CHECK(verified.exit_code == 0);

  // Revoked in the UI: homecad signs a new CRL with the intermediate alone.
  ProcessResult serial_out =
      Run({"openssl", "x509", "-noout", "-serial", "-in", (device / "cert.pem").string()});
  REQUIRE(serial_out.exit_code == 0);
  const std::string serial =
      serial_out.out.substr(serial_out.out.find('=') + 1, serial_out.out.size() - 8);
  const std::string cert_page = appliance.https() + "/certificates/" + serial;
  HttpResult revoked = admin.Submit(cert_page, cert_page + "/revoke",
                                    {{"confirm", "yes"}, {"reason", "keyCompromise"}});
  INFO(revoked.body);
  REQUIRE(revoked.status == 303);
  const std::string crl = appliance.data_dir() + "/crl.pem";
  ProcessResult listed = Run({"openssl", "crl", "-in", crl, "-noout", "-text", "-CAfile",
                              appliance.data_dir() + "/intermediate.pem"});
  INFO(listed.err);
  CHECK(listed.exit_code == 0);
  CHECK_THAT(listed.err + listed.out, Catch::Contains("verify OK"));
  CHECK_THAT(listed.out, Catch::Contains(serial));
  ProcessResult refused =
      Run({enroll, "renew", "--ca", appliance.https(), "--dir", device.path().string()});
  CHECK(refused.exit_code != 0);
  CHECK_FALSE(std::filesystem::exists(appliance.data_dir() + "/root-key.pem"));
  CHECK(daemon.Log().find("root-key") == std::string::npos);
}

}  // namespace
}  // namespace homeca::testing
