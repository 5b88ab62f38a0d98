// The plain-HTTP side of a real homecad, judged with curl, openssl and
// Python's plistlib: the onboarding page, every download with its MIME type,
// the QR code; admin paths redirect to HTTPS and nothing on HTTP changes state.
#include <catch2/catch.hpp>

#include "tests/support/appliance.h"

namespace homeca::testing {
namespace {

// SHA-256 fingerprint of a certificate file as openssl prints it ("AB:CD:...").
std::string Fingerprint(const std::string& file, const std::string& inform) {
  ProcessResult out =
      Run({"openssl", "x509", "-inform", inform, "-in", file, "-noout", "-fingerprint", "-sha256"});
  INFO(out.err);
  REQUIRE(out.exit_code == 0);
  const std::size_t eq = out.out.find('=');
  REQUIRE(eq != std::string::npos);
  std::string fp = out.out.substr(eq + 1);
  while (!fp.empty() && (fp.back() == '\n' || fp.back() == '\r')) fp.pop_back();
  return fp;
}

TEST_CASE("onboarding over HTTP: page, downloads and QR code") {
  Appliance appliance;
  Browser phone(appliance.dir(), "phone");
  const std::string root_pem = appliance.data_dir() + "/root.pem";
  const std::string root_fp = Fingerprint(root_pem, "PEM");

  HttpResult page = phone.Get(appliance.http() + "/");
  REQUIRE(page.status == 200);
  CHECK(page.Header("Content-Type") == "text/html; charset=utf-8");
  CHECK(TestIdText(page.body, "root-fingerprint") == root_fp);
  CHECK(page.body.find("<img class=\"qr\" data-testid=\"qr\" src=\"/qr.svg\"") !=
        std::string::npos);
  for (const char* step :
       {"Profile Downloaded", "Certificate Trust Settings", "Encryption &amp; credentials",
        "Install a certificate", "CA certificate", "update-ca-certificates",
        "security.enterprise_roots.enabled", "Trusted Root Certification"}) {
    INFO(step);
    CHECK(page.body.find(step) != std::string::npos);
  }
  CHECK(page.Header("Content-Security-Policy").find("script-src 'self'") != std::string::npos);
  CHECK(page.Header("X-Content-Type-Options") == "nosniff");
  CHECK(page.Header("Strict-Transport-Security").empty());  // never on plain HTTP

  struct Download {
    const char* path;
    const char* mime;
  };
  for (const Download& d :
       {Download{"/homeca-root.mobileconfig", "application/x-apple-aspen-config"},
        Download{"/homeca-root.crt", "application/x-x509-ca-cert"},
        Download{"/homeca-root.cer", "application/pkix-cert"},
        Download{"/homeca-root.pem", "application/x-pem-file"}}) {
    INFO(d.path);
    HttpResult file = phone.Get(appliance.http() + d.path);
    CHECK(file.status == 200);
    CHECK(file.Header("Content-Type") == d.mime);
    CHECK(file.Header("Content-Disposition").find("attachment") != std::string::npos);
  }

  // The DER files are the root: openssl parses them and the fingerprint matches.
  for (const char* der : {"/homeca-root.crt", "/homeca-root.cer"}) {
    const std::string file = (appliance.dir() / "root.der").string();
    REQUIRE(Run({"curl", "-sS", "-o", file, appliance.http() + der}).exit_code == 0);
    CHECK(Fingerprint(file, "DER") == root_fp);
  }
  const std::string pem_file = (appliance.dir() / "root-download.pem").string();
  REQUIRE(Run({"curl", "-sS", "-o", pem_file, appliance.http() + "/homeca-root.pem"}).exit_code ==
          0);
  CHECK(ReadText(pem_file) == ReadText(root_pem));

  // The profile is a property list whose root payload is the root's DER.
  const std::string profile = (appliance.dir() / "root.mobileconfig").string();
  REQUIRE(Run({"curl", "-sS", "-o", profile, appliance.http() + "/homeca-root.mobileconfig"})
              .exit_code == 0);
  ProcessResult plist =
      Run({"python3", "-c",
           "import plistlib,sys,hashlib\n"
           "p=plistlib.load(open(sys.argv[1],'rb'))\n"
           "roots=[x for x in p['PayloadContent'] if x['PayloadType']=='com.apple.security.root']\n"
           "assert len(roots)==1, roots\n"
           "print(':'.join('%02X'%b for b in hashlib.sha256(roots[0]['PayloadContent']).digest()))",
           profile});
  INFO(plist.err);
  REQUIRE(plist.exit_code == 0);
  CHECK(plist.out == root_fp + "\n");

  HttpResult qr = phone.Get(appliance.http() + "/qr.svg");
  CHECK(qr.status == 200);
  CHECK(qr.Header("Content-Type") == "image/svg+xml");
  CHECK(qr.body.rfind("<svg", 0) == 0);

  HttpResult css = phone.Get(appliance.http() + "/assets/app.css");
  CHECK(css.status == 200);
  CHECK(css.Header("Content-Type") == "text/css; charset=utf-8");
  HttpResult js = phone.Get(appliance.http() + "/assets/app.js");
  CHECK(js.status == 200);
  CHECK(js.Header("Content-Type") == "text/javascript; charset=utf-8");
  CHECK(js.body.find("data-status-url") != std::string::npos);
}

TEST_CASE("HTTP: admin paths redirect to HTTPS, and posts change nothing") {
  Appliance appliance;
  Browser browser(appliance.dir());
  for (const std::string path : {"/login", "/devices", "/api/v1/overview", "/setup?token=abc",
                                 "/certificates/00", "/anything"}) {
    INFO(path);
    HttpResult r = browser.Get(appliance.http() + path);
    CHECK(r.status == 301);
    CHECK(r.Header("Location") == appliance.admin_base() + path);
  }

  // A complete, valid setup form sent over plain HTTP: refused, and the
  // password stays unset (the link still works afterwards, over HTTPS).
  HttpResult setup_page =
      browser.Get(appliance.https() + "/setup?token=" + appliance.setup_token());
  REQUIRE(setup_page.status == 200);
  const std::string csrf = CsrfToken(setup_page.body);
  for (const std::string path : {"/setup", "/login", "/devices/add", "/", "/homeca-root.pem"}) {
    INFO(path);
    HttpResult r =
        browser.Post(appliance.http() + path, {{"token", appliance.setup_token()},
                                               {"csrf", csrf},
                                               {"password", Appliance::kPassword},
                                               {"password-confirm", Appliance::kPassword},
                                               {"name", "sneaky"}});
    CHECK(r.status == 405);
    CHECK(r.Header("Location").empty());
    CHECK(r.Header("Allow") == "GET, HEAD");
  }
  CHECK(appliance.AuditCount("admin-password") == 0);
  ProcessResult pairings = appliance.Homeca({"pair", "list"});
  CHECK(pairings.out.find("sneaky") == std::string::npos);
  appliance.SetUp(browser);  // the link was not spent
  CHECK(appliance.AuditCount("admin-password") == 1);
}

}  // namespace
}  // namespace homeca::testing
