// Settings through a real homecad over HTTPS, as a browser would: changing
// the admin password (the current one proven and counted like a login, every
// other session ended) and downloading an encrypted backup that stock OpenSSL
// opens and `homeca restore` brings back.
#include <catch2/catch.hpp>

#include "tests/support/appliance.h"

namespace homeca::testing {
namespace {

constexpr const char* kNewPassword = "a brand new password";
constexpr const char* kBackupPassphrase = "a long passphrase for the backup";

TEST_CASE("the admin password is changed from Settings") {
  Appliance appliance;
  Browser admin(appliance.dir());
  appliance.SetUp(admin);
  Browser elsewhere(appliance.dir(), "elsewhere");
  appliance.LogIn(elsewhere);
  const std::string settings = appliance.https() + "/settings";
  CHECK(CountTestId(admin.Get(settings).body, "change-password") == 1);

  // Without the session's CSRF token, nothing changes.
  HttpResult forged = admin.Post(
      settings + "/password",
      {{"current", Appliance::kPassword}, {"password", kNewPassword}, {"password2", kNewPassword}});
  CHECK(forged.status == 403);
  // Mismatched, too short, or a wrong current password: refused with the reason.
  HttpResult differ = admin.Submit(settings, settings + "/password",
                                   {{"current", Appliance::kPassword},
                                    {"password", kNewPassword},
                                    {"password2", "something else"}});
  CHECK(differ.status == 400);
  CHECK(TestIdText(differ.body, "error") ==
        "The two new passwords differ; the password was not changed.");
  HttpResult shorty = admin.Submit(
      settings, settings + "/password",
      {{"current", Appliance::kPassword}, {"password", "short"}, {"password2", "short"}});
  CHECK(shorty.status == 400);
  CHECK_THAT(TestIdText(shorty.body, "error"), Catch::Contains("at least 8"));
  HttpResult wrong = admin.Submit(
      settings, settings + "/password",
      {{"current", "not the password"}, {"password", kNewPassword}, {"password2", kNewPassword}});
  CHECK(wrong.status == 403);
  CHECK(TestIdText(wrong.body, "error") ==
        "That is not the current password; the password was not changed.");
  CHECK(appliance.AuditCount("password-change-refused") == 1);
  CHECK(appliance.AuditCount("admin-password") == 1);  // the setup's only
  CHECK(elsewhere.Get(appliance.https() + "/").status == 200);

  HttpResult changed = admin.Submit(
      settings, settings + "/password",
      {{"current", Appliance::kPassword}, {"password", kNewPassword}, {"password2", kNewPassword}});
  REQUIRE(changed.status == 303);
  CHECK(changed.Header("Location") == "/settings?saved=password");
  CHECK(appliance.AuditCount("admin-password") == 2);
  // This browser carries on with a fresh session; the other one is logged out.
  HttpResult after = admin.Get(appliance.https() + "/settings?saved=password");
  CHECK(after.status == 200);
  CHECK_THAT(TestIdText(after.body, "notice"), Catch::StartsWith("Password changed."));
  CHECK(elsewhere.Get(appliance.https() + "/").status == 303);
  Browser fresh(appliance.dir(), "fresh");
  HttpResult old_password = fresh.Submit(appliance.https() + "/login", appliance.https() + "/login",
                                         {{"password", Appliance::kPassword}});
  CHECK(old_password.status == 401);
  appliance.LogIn(fresh, kNewPassword);
  // Neither password reached the log or the audit trail.
  const std::string log = appliance.daemon().Log();
  CHECK(log.find(kNewPassword) == std::string::npos);
  CHECK(log.find(Appliance::kPassword) == std::string::npos);
  CHECK(appliance.Homeca({"audit", "--limit", "100"}).out.find(kNewPassword) == std::string::npos);
}

TEST_CASE("wrong current passwords in Settings count toward the login lockout") {
  Appliance appliance;
  Browser admin(appliance.dir());
  appliance.SetUp(admin);
  const std::string settings = appliance.https() + "/settings";
  int last_status = 0;
  for (int i = 0; i < 12 && last_status != 429; ++i) {
    last_status = admin
                      .Submit(settings, settings + "/password",
                              {{"current", "guess " + std::to_string(i)},
                               {"password", kNewPassword},
                               {"password2", kNewPassword}})
                      .status;
  }
  CHECK(last_status == 429);
  // Locked out now: even the right current password is not checked.
  HttpResult locked = admin.Submit(
      settings, settings + "/password",
      {{"current", Appliance::kPassword}, {"password", kNewPassword}, {"password2", kNewPassword}});
  CHECK(locked.status == 429);
  CHECK(appliance.AuditCount("admin-password") == 1);
}

TEST_CASE("a backup is downloaded from Settings, opened by openssl and restored") {
  Appliance appliance;
  Browser admin(appliance.dir());
  appliance.SetUp(admin);
  const std::string settings = appliance.https() + "/settings";
  CHECK(CountTestId(admin.Get(settings).body, "download-backup") == 1);

  HttpResult forged = admin.Post(settings + "/backup", {{"passphrase", kBackupPassphrase},
                                                        {"passphrase2", kBackupPassphrase}});
  CHECK(forged.status == 403);
  HttpResult differ = admin.Submit(settings, settings + "/backup",
                                   {{"passphrase", kBackupPassphrase}, {"passphrase2", "other"}});
  CHECK(differ.status == 400);
  CHECK(TestIdText(differ.body, "error") == "The two passphrases differ; nothing was downloaded.");
  HttpResult shorty = admin.Submit(settings, settings + "/backup",
                                   {{"passphrase", "short"}, {"passphrase2", "short"}});
  CHECK(shorty.status == 400);
  CHECK_THAT(TestIdText(shorty.body, "error"), Catch::Contains("at least 12"));
  CHECK(appliance.AuditCount("backup") == 0);

  HttpResult download =
      admin.Submit(settings, settings + "/backup",
                   {{"passphrase", kBackupPassphrase}, {"passphrase2", kBackupPassphrase}});
  REQUIRE(download.status == 200);
  CHECK_THAT(
      download.Header("Content-Disposition"),
      Catch::StartsWith("attachment; filename=\"homeca-backup-") && Catch::EndsWith(".homeca\""));
  CHECK(download.Header("Cache-Control") == "no-store");
  CHECK(appliance.AuditCount("backup") == 1);
  // Nothing is left behind in the data directory (the database's moment copy).
  for (const auto& entry : std::filesystem::directory_iterator(appliance.data_dir())) {
    CHECK(entry.path().filename().string().rfind(".backup", 0) != 0);
  }
  const std::filesystem::path file = appliance.dir() / "downloaded.homeca";
  WriteText(file, download.body);

  // Stock OpenSSL opens it with the passphrase: a tar.gz holding the CA.
  ProcessResult listed = Run({"sh", "-c",
                              "openssl cms -decrypt -inform DER -in '" + file.string() +
                                  "' -pwri_password '" + kBackupPassphrase + "' | tar -tz"});
  INFO(listed.err);
  REQUIRE(listed.exit_code == 0);
  CHECK_THAT(listed.out, Catch::Contains("ca.db") && Catch::Contains("intermediate-key.pem") &&
                             Catch::Contains("root.pem"));

  // And homeca restores it into a new data directory, the same root.
  const std::filesystem::path restored = appliance.dir() / "restored";
  ProcessResult restore =
      Run({BuiltProgram("ca/homeca"), "restore", "--data-dir=" + restored.string(), "--from",
           file.string(), "--passphrase-fd", "0"},
          std::string(kBackupPassphrase) + "\n");
  INFO(restore.err);
  REQUIRE(restore.exit_code == 0);
  CHECK(ReadText(restored / "root.pem") == ReadText(appliance.data_dir() + "/root.pem"));
  CHECK(appliance.daemon().Log().find(kBackupPassphrase) == std::string::npos);
}

}  // namespace
}  // namespace homeca::testing
