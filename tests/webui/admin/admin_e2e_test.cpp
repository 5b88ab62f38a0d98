// The admin side of a real homecad over HTTPS, driven with curl as a browser
// would: first-run setup, login and logout, CSRF and session checks that
// refuse and change nothing, hostile names rendered as text, the login rate
// limit, security headers, and a pairing made in the UI that a real
// homeca-enroll completes.
#include <catch2/catch.hpp>
#include <ctime>
#include <regex>
#include <thread>

#include "enroll/pake/pairing_code.h"
#include "tests/support/appliance.h"

namespace homeca::testing {
namespace {

int PairingCount(const Appliance& appliance) {
  ProcessResult list = appliance.Homeca({"pair", "list", "--json"});
  REQUIRE(list.exit_code == 0);
  ProcessResult count =
      Run({"python3", "-c", "import json,sys; print(len(json.load(sys.stdin)))"}, list.out);
  REQUIRE(count.exit_code == 0);
  return std::stoi(count.out);
}

TEST_CASE("first-run setup link works once") {
  Appliance appliance;
  Browser browser(appliance.dir());
  // The setup page with a wrong token, and the login page before setup.
  CHECK(browser.Get(appliance.https() + "/setup?token=wrong").status == 403);
  HttpResult login = browser.Get(appliance.https() + "/login");
  CHECK(login.body.find("No admin password is set yet") != std::string::npos);
  // Mismatched and short passwords are refused with the reason, the link kept.
  HttpResult mismatch = browser.Submit(
      appliance.https() + "/setup?token=" + appliance.setup_token(), appliance.https() + "/setup",
      {{"token", appliance.setup_token()}, {"password", "abcdefgh1"}, {"password-confirm", "x"}});
  CHECK(mismatch.status == 400);
  CHECK(TestIdText(mismatch.body, "error") == "The two passwords differ.");
  HttpResult shorty = browser.Submit(
      appliance.https() + "/setup?token=" + appliance.setup_token(), appliance.https() + "/setup",
      {{"token", appliance.setup_token()}, {"password", "short"}, {"password-confirm", "short"}});
  CHECK(shorty.status == 400);
  CHECK_THAT(TestIdText(shorty.body, "error"), Catch::Contains("at least 8"));

  appliance.SetUp(browser);
  HttpResult overview = browser.Get(appliance.https() + "/");
  CHECK(overview.status == 200);  // logged in straight away
  CHECK(CountTestId(overview.body, "device-count") == 1);

  Browser other(appliance.dir(), "other");
  CHECK(other.Get(appliance.https() + "/setup?token=" + appliance.setup_token()).status == 200);
  HttpResult again = other.Submit(appliance.https() + "/login", appliance.https() + "/setup",
                                  {{"token", appliance.setup_token()},
                                   {"password", "another password"},
                                   {"password-confirm", "another password"}});
  CHECK(again.status == 403);
  CHECK(appliance.AuditCount("admin-password") == 1);
  appliance.LogIn(other);  // still the first password
  // The token appears in the log once (the link), never again.
  const std::string log = appliance.daemon().Log();
  CHECK(log.find(appliance.setup_token()) == log.rfind(appliance.setup_token()));
  CHECK(log.find(Appliance::kPassword) == std::string::npos);
}

TEST_CASE("login, pages, logout and the session cookie") {
  Appliance appliance;
  Browser admin(appliance.dir());
  appliance.SetUp(admin);
  Browser browser(appliance.dir(), "second");

  CHECK(browser.Get(appliance.https() + "/devices").status == 303);
  HttpResult wrong = browser.Submit(appliance.https() + "/login", appliance.https() + "/login",
                                    {{"password", "not the password"}});
  CHECK(wrong.status == 401);
  CHECK(TestIdText(wrong.body, "error") == "That password is not right.");

  HttpResult ok = browser.Submit(appliance.https() + "/login", appliance.https() + "/login",
                                 {{"password", Appliance::kPassword}});
  REQUIRE(ok.status == 303);
  const std::string cookie = ok.Header("Set-Cookie").empty() ? "" : ok.Headers("Set-Cookie")[0];
  CHECK(cookie.rfind("__Host-homeca-session=", 0) == 0);
  CHECK(cookie.find("; Secure") != std::string::npos);
  CHECK(cookie.find("; HttpOnly") != std::string::npos);
  CHECK(cookie.find("; SameSite=Strict") != std::string::npos);
  CHECK(cookie.size() >= std::string("__Host-homeca-session=").size() + 43);

  for (const char* path :
       {"/", "/devices", "/devices/add", "/certificates", "/trust", "/audit", "/settings"}) {
    INFO(path);
    HttpResult page = browser.Get(appliance.https() + path);
    CHECK(page.status == 200);
    CHECK(page.Header("Content-Security-Policy") ==
          "default-src 'self'; script-src 'self'; style-src 'self'; frame-ancestors 'none'; "
          "base-uri 'none'; form-action 'self'");
    CHECK(page.Header("Strict-Transport-Security") == "max-age=31536000");
    CHECK(page.Header("X-Content-Type-Options") == "nosniff");
    CHECK(page.Header("Referrer-Policy") == "no-referrer");
    CHECK(page.Header("Cache-Control") == "no-store");
    CHECK(CountTestId(page.body, "logout") == 1);
    CHECK(page.body.find("<script>") == std::string::npos);
  }
  HttpResult trust = browser.Get(appliance.https() + "/trust");
  CHECK(TestIdText(trust.body, "root-fingerprint").size() == 95);

  HttpResult logout = browser.Submit(appliance.https() + "/", appliance.https() + "/logout", {});
  CHECK(logout.status == 303);
  CHECK(logout.Header("Location") == "/login?ended=1");
  CHECK(browser.Get(appliance.https() + "/").status == 303);
  CHECK(browser.Get(appliance.https() + "/pairings/1/status").status == 401);
  CHECK(appliance.AuditCount("logout") == 1);
  // The Trust page is for the whole family: no password, no admin navigation.
  HttpResult public_trust = browser.Get(appliance.https() + "/trust");
  CHECK(public_trust.status == 200);
  CHECK(TestIdText(public_trust.body, "root-fingerprint").size() == 95);
  CHECK(CountTestId(public_trust.body, "logout") == 0);
  CHECK(CountTestId(public_trust.body, "nav-devices") == 0);
}

TEST_CASE("state changes need a session, a CSRF token and HTTPS") {
  Appliance appliance;
  Browser admin(appliance.dir());
  appliance.SetUp(admin);
  HttpResult add_page = admin.Get(appliance.https() + "/devices/add");
  const std::string csrf = CsrfToken(add_page.body);
  REQUIRE_FALSE(csrf.empty());

  // No token, a wrong token, and a token from another session.
  CHECK(admin.Post(appliance.https() + "/devices/add", {{"name", "nas"}}).status == 403);
  CHECK(admin.Post(appliance.https() + "/devices/add", {{"name", "nas"}, {"csrf", csrf + "x"}})
            .status == 403);
  Browser other(appliance.dir(), "other");
  appliance.LogIn(other);
  const std::string other_csrf = CsrfToken(other.Get(appliance.https() + "/").body);
  HttpResult foreign =
      admin.Post(appliance.https() + "/devices/add", {{"name", "nas"}, {"csrf", other_csrf}});
  CHECK(foreign.status == 403);
  CHECK(TestIdText(foreign.body, "message").find("nothing was changed") != std::string::npos);
  // No session at all, with a valid-looking token.
  Browser stranger(appliance.dir(), "stranger");
  CHECK(
      stranger.Post(appliance.https() + "/devices/add", {{"name", "nas"}, {"csrf", csrf}}).status ==
      403);
  // Over plain HTTP, even with the session's token.
  CHECK(admin.Post(appliance.http() + "/devices/add", {{"name", "nas"}, {"csrf", csrf}}).status ==
        405);
  CHECK(PairingCount(appliance) == 0);

  // A certificate that all of the above try to revoke stays valid.
  const std::string csr = (appliance.dir() / "lamp.csr").string();
  REQUIRE(Run({"openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
               "-nodes", "-keyout", (appliance.dir() / "lamp.key").string(), "-subj", "/CN=lamp",
               "-out", csr})
              .exit_code == 0);
  REQUIRE(appliance
              .Homeca({"issue", "--csr", csr, "--name", "lamp", "--out",
                       (appliance.dir() / "lamp.pem").string()})
              .exit_code == 0);
  ProcessResult serial_out =
      Run({"openssl", "x509", "-noout", "-serial", "-in", (appliance.dir() / "lamp.pem").string()});
  std::string serial = serial_out.out.substr(serial_out.out.find('=') + 1);
  serial.erase(serial.find_last_not_of("\r\n") + 1);
  for (char& c : serial) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const std::string revoke = appliance.https() + "/certificates/" + serial + "/revoke";
  CHECK(admin.Post(revoke, {{"reason", "keyCompromise"}, {"confirm", "yes"}}).status == 403);
  CHECK(stranger.Post(revoke, {{"reason", "keyCompromise"}, {"confirm", "yes"}, {"csrf", csrf}})
            .status == 403);
  CHECK(admin
            .Post(appliance.http() + "/certificates/" + serial + "/revoke",
                  {{"reason", "keyCompromise"}, {"confirm", "yes"}, {"csrf", csrf}})
            .status == 405);
  // Without the confirmation box: refused with a clear message.
  HttpResult unconfirmed = admin.Post(revoke, {{"reason", "keyCompromise"}, {"csrf", csrf}});
  CHECK(unconfirmed.status == 400);
  CHECK_THAT(TestIdText(unconfirmed.body, "error"), Catch::Contains("confirmation"));
  HttpResult details = admin.Get(appliance.https() + "/certificates/" + serial);
  CHECK(TestIdText(details.body, "cert-status") == "valid");
  CHECK(appliance.AuditCount("revoke") == 0);

  // With everything in order it works, and the page says so.
  HttpResult revoked =
      admin.Post(revoke, {{"reason", "keyCompromise"}, {"confirm", "yes"}, {"csrf", csrf}});
  CHECK(revoked.status == 303);
  details = admin.Get(appliance.https() + "/certificates/" + serial + "?revoked=1");
  CHECK(TestIdText(details.body, "cert-status") == "revoked");
  CHECK(TestIdText(details.body, "notice") == "Certificate revoked.");
  HttpResult pem = admin.Get(appliance.https() + "/certificates/" + serial + ".pem");
  CHECK(pem.status == 200);
  CHECK(pem.body == ReadText(appliance.dir() / "lamp.pem").substr(0, pem.body.size()));
  HttpResult list = admin.Get(appliance.https() + "/certificates?status=revoked&q=lamp");
  CHECK(CountTestId(list.body, "cert-row") == 1);
  CHECK(TestIdText(list.body, "cert-serial") == serial);
}

TEST_CASE("hostile names are shown as text") {
  Appliance appliance;
  Browser admin(appliance.dir());
  appliance.SetUp(admin);
  const std::string img = "<img src=x onerror=alert(1)>";
  HttpResult refused = admin.Submit(appliance.https() + "/devices/add",
                                    appliance.https() + "/devices/add", {{"name", img}});
  CHECK(refused.status == 400);
  CHECK(refused.body.find("&lt;img src=x onerror=alert(1)&gt;") != std::string::npos);
  CHECK(refused.body.find("<img src=x") == std::string::npos);
  CHECK(refused.body.find("value=\"&lt;img src=x onerror=alert(1)&gt;\"") != std::string::npos);

  // Without spaces the CA's name check quotes the name back in its error.
  const std::string compact = "<img/src=x/onerror=alert(1)>";
  HttpResult echoed = admin.Submit(appliance.https() + "/devices/add",
                                   appliance.https() + "/devices/add", {{"name", compact}});
  CHECK(echoed.status == 400);
  CHECK_THAT(TestIdText(echoed.body, "error"),
             Catch::Contains("&#39;&lt;img/src=x/onerror=alert(1)&gt;.home.arpa&#39;") ||
                 Catch::Contains("&#39;&lt;img/src=x/onerror=alert(1)&gt;&#39;"));
  CHECK(echoed.body.find("<img/src") == std::string::npos);

  const std::string quotes = "tv \"den\" & 'co'";
  HttpResult quoted = admin.Submit(appliance.https() + "/devices/add",
                                   appliance.https() + "/devices/add", {{"name", quotes}});
  CHECK(quoted.status == 400);
  CHECK(quoted.body.find("tv &quot;den&quot; &amp; &#39;co&#39;") != std::string::npos);
  CHECK(quoted.body.find("\"den\"") == std::string::npos);
  CHECK(PairingCount(appliance) == 0);

  // A token label is free text: stored as given, shown escaped everywhere.
  HttpResult created = admin.Submit(appliance.https() + "/settings",
                                    appliance.https() + "/settings/tokens", {{"label", img}});
  CHECK(created.status == 303);
  for (const char* path : {"/settings", "/audit"}) {
    INFO(path);
    HttpResult page = admin.Get(appliance.https() + path);
    CHECK(page.body.find("&lt;img src=x onerror=alert(1)&gt;") != std::string::npos);
    CHECK(page.body.find("<img src=x") == std::string::npos);
  }
}

TEST_CASE("logins are rate limited per address") {
  Appliance appliance;
  Browser admin(appliance.dir());
  appliance.SetUp(admin);
  Browser guesser(appliance.dir(), "guesser");
  // The last two wrong passwords warn; the fifth says the lockout began and
  // when it ends.
  const std::vector<std::string> said = {
      "That password is not right.", "That password is not right.",
      "That password is not right. 2 attempts left before a lockout of up to 15 minutes.",
      "That password is not right. 1 attempt left before a lockout of up to 15 minutes."};
  for (int i = 0; i < 5; ++i) {
    HttpResult r = guesser.Submit(appliance.https() + "/login", appliance.https() + "/login",
                                  {{"password", "guess " + std::to_string(i)}});
    INFO("wrong password " << i + 1);
    if (i < 4) {
      CHECK(r.status == 401);
      CHECK(TestIdText(r.body, "error") == said[static_cast<std::size_t>(i)]);
    } else {
      CHECK(r.status == 429);
      CHECK_THAT(TestIdText(r.body, "error"),
                 Catch::StartsWith("That password is not right. Too many failed logins") &&
                     Catch::Contains("Try again at "));
    }
  }
  // Even the right password is refused now, with a clear message.
  HttpResult limited = guesser.Submit(appliance.https() + "/login", appliance.https() + "/login",
                                      {{"password", Appliance::kPassword}});
  CHECK(limited.status == 429);
  CHECK_THAT(TestIdText(limited.body, "error"), Catch::Contains("Too many failed logins") &&
                                                    Catch::Contains("Try again at ") &&
                                                    Catch::Contains(" UTC (in 15 minutes)"));
  // A lockout that ends after midnight UTC names the day as well.
  CHECK(std::regex_search(TestIdText(limited.body, "error"),
                          std::regex(R"(Try again at (\d{4}-\d\d-\d\d )?\d\d:\d\d UTC)")));
  // A client that asks for JSON gets the same words and when it ends.
  HttpResult form = guesser.Get(appliance.https() + "/login");
  HttpResult json =
      guesser.Post(appliance.https() + "/login",
                   {{"password", Appliance::kPassword}, {"csrf", testing::CsrfToken(form.body)}},
                   {"-H", "Accept: application/json"});
  CHECK(json.status == 429);
  CHECK_THAT(json.body,
             Catch::Contains(R"("error":"locked_out")") && Catch::Contains(R"("retry_at":")") &&
                 Catch::Contains(R"("retry_after":)") && Catch::Contains("Try again at "));
  CHECK_FALSE(limited.Header("Retry-After").empty());
  CHECK(limited.Header("Set-Cookie").find("homeca-session") == std::string::npos);
  CHECK(appliance.AuditCount("login-failed") == 5);
  // The logged-in admin is unaffected.
  CHECK(admin.Get(appliance.https() + "/").status == 200);
}

TEST_CASE("a guesser on other addresses locks out itself, not the admin") {
  Appliance appliance;
  Browser setup(appliance.dir());
  appliance.SetUp(setup);
  // Six addresses, five wrong passwords each: 30 failures, as many as the
  // old global limit, which then refused everyone.
  for (int host = 2; host <= 7; ++host) {
    Browser guesser(appliance.dir(), "guesser" + std::to_string(host),
                    "127.0.0." + std::to_string(host));
    for (int i = 0; i < 5; ++i) {
      HttpResult r = guesser.Submit(appliance.https() + "/login", appliance.https() + "/login",
                                    {{"password", "guess " + std::to_string(i)}});
      CHECK(r.status == (i < 4 ? 401 : 429));  // the fifth says the lockout began
    }
    // Each guessing address is refused even with the right password.
    HttpResult limited = guesser.Submit(appliance.https() + "/login", appliance.https() + "/login",
                                        {{"password", Appliance::kPassword}});
    CHECK(limited.status == 429);
    CHECK_THAT(TestIdText(limited.body, "error"), Catch::Contains("Try again at "));
  }
  CHECK(appliance.AuditCount("login-failed") == 30);
  // The admin, in a fresh browser at 127.0.0.1, still gets in.
  Browser admin(appliance.dir(), "admin", "127.0.0.1");
  appliance.LogIn(admin);
  CHECK(admin.Get(appliance.https() + "/").status == 200);
}

TEST_CASE("the Overview shows when the CRL is next updated") {
  Appliance appliance;
  Browser admin(appliance.dir());
  appliance.SetUp(admin);
  ProcessResult next = Run({"openssl", "crl", "-inform", "DER", "-in",
                            appliance.data_dir() + "/crl.der", "-noout", "-nextupdate"});
  REQUIRE(next.exit_code == 0);
  std::tm tm{};
  REQUIRE(strptime(next.out.c_str(), "nextUpdate=%b %d %H:%M:%S %Y GMT", &tm) != nullptr);
  char expected[40];
  std::strftime(expected, sizeof expected, "%Y-%m-%d %H:%M:%S UTC", &tm);
  HttpResult overview = admin.Get(appliance.https() + "/");
  REQUIRE(overview.status == 200);
  CHECK(TestIdText(overview.body, "crl-next-update") == expected);
  CHECK_THAT(overview.body, Catch::Contains("/crl.der\""));
}

TEST_CASE("resetting the password from the server ends every session") {
  Appliance appliance;
  Browser admin(appliance.dir());
  appliance.SetUp(admin);
  CHECK(admin.Get(appliance.https() + "/").status == 200);
  ProcessResult too_short = appliance.Homeca({"admin", "set-password"}, "short\n");
  CHECK(too_short.exit_code != 0);
  CHECK_THAT(too_short.err, Catch::Contains("at least 8"));
  CHECK(admin.Get(appliance.https() + "/").status == 200);

  ProcessResult reset = appliance.Homeca({"admin", "set-password"}, "a brand new password\n");
  INFO(reset.err);
  REQUIRE(reset.exit_code == 0);
  CHECK(reset.out.find("brand new") == std::string::npos);
  CHECK(admin.Get(appliance.https() + "/").status == 303);
  Browser fresh(appliance.dir(), "fresh");
  HttpResult old_password = fresh.Submit(appliance.https() + "/login", appliance.https() + "/login",
                                         {{"password", Appliance::kPassword}});
  CHECK(old_password.status == 401);
  appliance.LogIn(fresh, "a brand new password");
}

TEST_CASE("a pairing made in the UI completes with a real homeca-enroll") {
  Appliance appliance;
  Browser admin(appliance.dir());
  appliance.SetUp(admin);
  HttpResult made = admin.Submit(appliance.https() + "/devices/add",
                                 appliance.https() + "/devices/add", {{"name", "nas"}});
  REQUIRE(made.status == 303);
  const std::string pairing_url = appliance.https() + made.Header("Location");
  HttpResult page = admin.Get(pairing_url);
  REQUIRE(page.status == 200);
  const std::string code = TestIdText(page.body, "pairing-code");
  REQUIRE(std::regex_match(code, std::regex(R"(\d{4}-\d{4}-\d{4})")));
  CHECK(TestIdText(page.body, "pairing-status") == "waiting");
  const std::string command = TestIdText(page.body, "enroll-command");
  CHECK(command == "homeca-enroll pair --code " + code + " --ca " + appliance.admin_base());
  HttpResult status = admin.Get(pairing_url + "/status");
  CHECK(status.Header("Content-Type") == "application/json");
  CHECK(status.body.find("\"status\":\"waiting\"") != std::string::npos);

  // Another session sees the pairing but not its code (held only by the
  // session that made it).
  Browser other(appliance.dir(), "other");
  appliance.LogIn(other);
  HttpResult elsewhere = other.Get(pairing_url);
  CHECK(TestIdText(elsewhere.body, "pairing-status") == "waiting");
  CHECK(CountTestId(elsewhere.body, "code-not-shown") == 1);
  CHECK(elsewhere.body.find(code) == std::string::npos);

  // The pairing shows as waiting on the devices page, not yet as a device.
  HttpResult devices = admin.Get(appliance.https() + "/devices");
  CHECK(CountTestId(devices.body, "device-row") == 0);
  CHECK(CountTestId(devices.body, "pending-row") == 1);
  CHECK(CountTestId(devices.body, "discovery-off") == 1);

  TempDir device;
  ProcessResult paired = Run({BuiltProgram("enroll/cli/homeca-enroll"), "pair", "--code", code,
                              "--ca", appliance.https(), "--dir", device.path().string()});
  INFO(paired.out << paired.err << appliance.daemon().Log());
  REQUIRE(paired.exit_code == 0);

  status = admin.Get(pairing_url + "/status");
  CHECK(status.body.find("\"status\":\"paired\"") != std::string::npos);
  page = admin.Get(pairing_url);
  CHECK(TestIdText(page.body, "pairing-status") == "paired");
  CHECK(CountTestId(page.body, "pairing-code") == 0);  // the code is gone once used
  devices = admin.Get(appliance.https() + "/devices");
  CHECK(CountTestId(devices.body, "device-row") == 1);
  CHECK(TestIdText(devices.body, "device-name") == "nas.home.arpa");
  CHECK(TestIdText(devices.body, "device-status") == "valid");
  HttpResult overview = admin.Get(appliance.https() + "/");
  CHECK(TestIdText(overview.body, "device-count") == "1");
  // The code never reached the daemon's log.
  CHECK(appliance.daemon().Log().find(code) == std::string::npos);

  // Arming a device's own code: a typo is refused without echoing the code.
  const char check = enroll::VerhoeffCheckDigit("38271645093");
  const std::string typo_code = std::string("3827-1645-093") + (check == '0' ? '1' : '0');
  HttpResult typo =
      admin.Submit(appliance.https() + "/devices/add", appliance.https() + "/devices/arm",
                   {{"device_id", "tv-1"}, {"code", typo_code}, {"name", "tv"}});
  CHECK(typo.status == 400);
  CHECK_FALSE(TestIdText(typo.body, "error").empty());
  CHECK(typo.body.find(typo_code) == std::string::npos);
  const std::string good_code = std::string("3827-1645-093") + check;
  HttpResult armed =
      admin.Submit(appliance.https() + "/devices/add", appliance.https() + "/devices/arm",
                   {{"device_id", "tv-1"}, {"code", good_code}, {"name", "tv"}});
  CHECK(armed.status == 303);
  HttpResult armed_page = admin.Get(appliance.https() + armed.Header("Location"));
  CHECK(TestIdText(armed_page.body, "pairing-status") == "waiting");
  CHECK(CountTestId(armed_page.body, "pairing-code") == 0);
  CHECK(armed_page.body.find(good_code) == std::string::npos);
}

// Pairs a device named `name` through the UI and a real homeca-enroll into
// `device`; returns the device's id (its pairing's).
std::string PairInUi(Appliance& appliance, const Browser& admin, const std::string& name,
                     const TempDir& device) {
  HttpResult made = admin.Submit(appliance.https() + "/devices/add",
                                 appliance.https() + "/devices/add", {{"name", name}});
  REQUIRE(made.status == 303);
  const std::string location = made.Header("Location");
  REQUIRE(location.rfind("/pairings/", 0) == 0);
  HttpResult page = admin.Get(appliance.https() + location);
  const std::string code = TestIdText(page.body, "pairing-code");
  ProcessResult paired = Run({BuiltProgram("enroll/cli/homeca-enroll"), "pair", "--code", code,
                              "--ca", appliance.https(), "--dir", device.path().string()});
  INFO(paired.out << paired.err << appliance.daemon().Log());
  REQUIRE(paired.exit_code == 0);
  return location.substr(std::string("/pairings/").size());
}

ProcessResult Renew(const Appliance& appliance, const TempDir& device) {
  return Run({BuiltProgram("enroll/cli/homeca-enroll"), "renew", "--ca", appliance.https(), "--dir",
              device.path().string()});
}

TEST_CASE("revoke device, in the web UI and with the CLI, ends the device's renewals") {
  Appliance appliance;
  Browser admin(appliance.dir());
  appliance.SetUp(admin);
  TempDir nas;
  TempDir tv;
  const std::string nas_id = PairInUi(appliance, admin, "nas", nas);
  const std::string tv_id = PairInUi(appliance, admin, "tv", tv);
  ProcessResult renewed = Renew(appliance, nas);
  INFO(renewed.err);
  REQUIRE(renewed.exit_code == 0);
  HttpResult devices = admin.Get(appliance.https() + "/devices");
  CHECK(CountTestId(devices.body, "revoke-device") == 2);
  const std::string action = appliance.https() + "/devices/" + nas_id + "/revoke";

  // Without the confirmation, without a CSRF token, or over plain HTTP:
  // refused, and nothing changes.
  CHECK(
      admin.Submit(appliance.https() + "/devices", action, {{"reason", "keyCompromise"}}).status ==
      400);
  CHECK(admin.Post(action, {{"confirm", "yes"}}).status == 403);
  CHECK(admin
            .Post(appliance.http() + "/devices/" + nas_id + "/revoke",
                  {{"confirm", "yes"}, {"csrf", CsrfToken(devices.body)}})
            .status == 405);
  CHECK(appliance.AuditCount("device-revoke") == 0);

  HttpResult revoked = admin.Submit(appliance.https() + "/devices", action,
                                    {{"confirm", "yes"}, {"reason", "keyCompromise"}});
  CHECK(revoked.status == 303);
  CHECK(admin.Submit(appliance.https() + "/devices", action, {{"confirm", "yes"}}).status == 409);
  CHECK(admin
            .Submit(appliance.https() + "/devices", appliance.https() + "/devices/9999/revoke",
                    {{"confirm", "yes"}})
            .status == 404);
  devices = admin.Get(appliance.https() + "/devices");
  CHECK(devices.body.find("data-device-id=\"" + nas_id + "\"") != std::string::npos);
  CHECK(CountTestId(devices.body, "revoke-device") == 1);       // only tv's form is left
  CHECK(TestIdText(devices.body, "device-state") == "active");  // tv, newest first
  CHECK(devices.body.find(">revoked</span>") != std::string::npos);
  ProcessResult refused = Renew(appliance, nas);
  CHECK(refused.exit_code != 0);
  CHECK_THAT(refused.err, Catch::Contains("[revoked]"));

  // The CLI: `homeca device list` and `homeca device revoke`.
  ProcessResult list = appliance.Homeca({"device", "list", "--json"});
  REQUIRE(list.exit_code == 0);
  ProcessResult states =
      Run({"python3", "-c",
           "import json,sys; print(' '.join(f\"{d['id']}:{d['state']}:{d['renewals']}\" for d in "
           "json.load(sys.stdin)))"},
          list.out);
  CHECK(states.out == tv_id + ":active:0 " + nas_id + ":revoked:1\n");
  ProcessResult cli = appliance.Homeca({"device", "revoke", tv_id, "--reason", "superseded"});
  INFO(cli.out << cli.err);
  CHECK(cli.exit_code == 0);
  CHECK_THAT(cli.out, Catch::Contains("1 certificate(s) revoked"));
  CHECK(appliance.Homeca({"device", "revoke", tv_id}).exit_code != 0);
  CHECK(appliance.Homeca({"device", "revoke", "nonsense"}).exit_code != 0);
  CHECK_THAT(Renew(appliance, tv).err, Catch::Contains("[revoked]"));
  CHECK(appliance.AuditCount("device-revoke") == 2);
  devices = admin.Get(appliance.https() + "/devices");
  CHECK(CountTestId(devices.body, "revoke-device") == 0);
}

}  // namespace
}  // namespace homeca::testing
