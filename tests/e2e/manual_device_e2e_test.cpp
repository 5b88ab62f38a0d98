// Devices without a shell, end to end through the real admin web UI of a
// real homecad (issue 14): a CSR made by `openssl req`, as a NAS's screen
// would make one, is uploaded and its chain verifies with `openssl verify
// -purpose sslserver`; a key the CA makes comes back as a PKCS#12 that
// `openssl pkcs12` opens (AES and legacy) and whose certificate verifies; a
// CSR for someone else's name issues nothing.
#include <catch2/catch.hpp>

#include "tests/support/appliance.h"

namespace homeca::testing {
namespace {

struct Admin {
  Appliance ca;
  Browser browser{ca.dir(), "admin"};
  Admin() { ca.SetUp(browser); }
  std::string Page(const std::string& path) const { return ca.https() + path; }
};

// `openssl req` makes a key and a CSR with these subject and extensions.
std::string OpensslCsr(const TempDir& dir, const std::string& name, const std::string& subject,
                       const std::string& san = "") {
  std::vector<std::string> argv = {"openssl",
                                   "req",
                                   "-new",
                                   "-newkey",
                                   "ec",
                                   "-pkeyopt",
                                   "ec_paramgen_curve:P-256",
                                   "-nodes",
                                   "-keyout",
                                   (dir / (name + ".key")).string(),
                                   "-subj",
                                   subject,
                                   "-out",
                                   (dir / (name + ".csr")).string()};
  if (!san.empty()) {
    argv.push_back("-addext");
    argv.push_back("subjectAltName=" + san);
  }
  ProcessResult made = Run(argv);
  INFO(made.err);
  REQUIRE(made.exit_code == 0);
  return ReadText(dir / (name + ".csr"));
}

// `openssl verify -purpose sslserver` of `leaf_file` against the CA's root,
// with `untrusted` for the intermediate.
ProcessResult Verify(const Appliance& ca, const std::string& untrusted,
                     const std::string& leaf_file, const std::string& host) {
  return Run({"openssl", "verify", "-x509_strict", "-purpose", "sslserver", "-verify_hostname",
              host, "-CAfile", ca.data_dir() + "/root.pem", "-untrusted", untrusted, leaf_file});
}

}  // namespace

TEST_CASE("e2e: a NAS's CSR uploaded in the web UI gives a chain that verifies") {
  Admin admin;
  const std::string csr =
      OpensslCsr(admin.ca.dir(), "nas", "/CN=nas.home.arpa/O=Synology", "DNS:nas.local");
  const int before = admin.ca.CertificateCount();
  HttpResult posted =
      admin.browser.Submit(admin.Page("/devices/manual"), admin.Page("/devices/manual/csr"),
                           {{"name", "nas"}, {"csr", csr}});
  INFO(posted.body);
  REQUIRE(posted.status == 303);
  const std::string issued_page = posted.Header("Location");
  REQUIRE(issued_page.find("/issued") != std::string::npos);
  CHECK(admin.ca.CertificateCount() == before + 1);

  HttpResult page = admin.browser.Get(admin.Page(issued_page));
  REQUIRE(page.status == 200);
  CHECK(CountTestId(page.body, "renew-by-hand") == 1);
  CHECK_THAT(page.body, Catch::Contains("<strong>renewed by hand</strong>"));
  const std::string chain_url = issued_page.substr(0, issued_page.rfind('/')) + "/chain.pem";
  HttpResult chain = admin.browser.Get(admin.Page(chain_url));
  REQUIRE(chain.status == 200);
  CHECK(chain.Header("Content-Disposition") == "attachment; filename=\"nas-chain.pem\"");
  CHECK(chain.Header("Cache-Control") == "no-store");
  WriteText(admin.ca.dir() / "nas-chain.pem", chain.body);
  for (const char* host : {"nas.home.arpa", "nas.local"}) {
    ProcessResult verified = Verify(admin.ca, (admin.ca.dir() / "nas-chain.pem").string(),
                                    (admin.ca.dir() / "nas-chain.pem").string(), host);
    INFO(verified.out << verified.err);
    CHECK(verified.exit_code == 0);
  }
  // The certificate is for the key the NAS kept.
  ProcessResult cert_key = Run(
      {"openssl", "x509", "-in", (admin.ca.dir() / "nas-chain.pem").string(), "-noout", "-pubkey"});
  ProcessResult nas_key =
      Run({"openssl", "pkey", "-in", (admin.ca.dir() / "nas.key").string(), "-pubout"});
  CHECK(cert_key.out == nas_key.out);

  HttpResult devices = admin.browser.Get(admin.Page("/devices"));
  CHECK(TestIdText(devices.body, "device-name") == "nas.home.arpa");
  CHECK(CountTestId(devices.body, "device-renews-by-hand") == 1);
  CHECK(admin.ca.AuditCount("issue") >= 1);
}

TEST_CASE("e2e: a CSR for someone else's name is refused in plain words, nothing issued") {
  Admin admin;
  const std::string csr = OpensslCsr(admin.ca.dir(), "evil", "/CN=nas.home.arpa",
                                     "DNS:nas.home.arpa,DNS:printer.home.arpa");
  const int before = admin.ca.CertificateCount();
  const int audit_before = admin.ca.AuditCount("issue");
  HttpResult posted =
      admin.browser.Submit(admin.Page("/devices/manual"), admin.Page("/devices/manual/csr"),
                           {{"name", "nas"}, {"csr", csr}});
  CHECK(posted.status == 400);
  CHECK_THAT(TestIdText(posted.body, "error"),
             Catch::Contains("The CSR asks for &#39;printer.home.arpa&#39;, but this device&#39;s "
                             "names are nas.home.arpa and nas.local"));
  CHECK(admin.ca.CertificateCount() == before);
  CHECK(admin.ca.AuditCount("issue") == audit_before);
  HttpResult devices = admin.browser.Get(admin.Page("/devices"));
  CHECK(CountTestId(devices.body, "device-row") == 0);

  // The same mistake in the CLI, in the same words.
  WriteText(admin.ca.dir() / "evil-again.csr", csr);
  ProcessResult cli = admin.ca.Homeca(
      {"issue", "--device", "nas", "--csr", (admin.ca.dir() / "evil-again.csr").string()});
  CHECK(cli.exit_code == 1);
  CHECK_THAT(cli.err, Catch::Contains("the CSR asks for 'printer.home.arpa', but this device's "
                                      "names are nas.home.arpa and nas.local"));
  CHECK(admin.ca.CertificateCount() == before);
}

TEST_CASE("e2e: a key the CA makes comes as a PKCS#12 that openssl opens, AES and legacy") {
  Admin admin;
  struct Case {
    const char* name;
    const char* format;
    const char* key_type;
    const char* mac;
  };
  for (const Case& c : {Case{"camera", "p12", "p256", "MAC: sha256"},
                        Case{"printer", "p12-legacy", "rsa2048", "MAC: sha1"}}) {
    INFO(c.format);
    const int before = admin.ca.CertificateCount();
    HttpResult download =
        admin.browser.Submit(admin.Page("/devices/manual"), admin.Page("/devices/manual/key"),
                             {{"name", c.name},
                              {"key_type", c.key_type},
                              {"format", c.format},
                              {"password", "import me please"},
                              {"password2", "import me please"},
                              {"confirm", "yes"}});
    REQUIRE(download.status == 200);
    CHECK(download.Header("Content-Type") == "application/x-pkcs12");
    CHECK(download.Header("Content-Disposition") ==
          "attachment; filename=\"" + std::string(c.name) + ".p12\"");
    CHECK(download.Header("Cache-Control") == "no-store");
    CHECK(admin.ca.CertificateCount() == before + 1);
    const std::string p12 = (admin.ca.dir() / (std::string(c.name) + ".p12")).string();
    WriteText(p12, download.body);
    // Debian 12's OpenSSL 3 opens both without -legacy: 3DES is in its
    // default provider (only RC2, which homeca never uses, would need it).
    ProcessResult info = Run(
        {"openssl", "pkcs12", "-in", p12, "-info", "-noout", "-passin", "pass:import me please"});
    INFO(info.err);
    REQUIRE(info.exit_code == 0);
    CHECK_THAT(info.err, Catch::Contains(c.mac));
    const std::string pem = (admin.ca.dir() / (std::string(c.name) + ".pem")).string();
    ProcessResult opened = Run({"openssl", "pkcs12", "-in", p12, "-nodes", "-passin",
                                "pass:import me please", "-out", pem});
    REQUIRE(opened.exit_code == 0);
    ProcessResult leaf = Run({"openssl", "pkcs12", "-in", p12, "-clcerts", "-nokeys", "-passin",
                              "pass:import me please"});
    WriteText(admin.ca.dir() / "leaf.pem", leaf.out);
    ProcessResult verified = Verify(admin.ca, pem, (admin.ca.dir() / "leaf.pem").string(),
                                    std::string(c.name) + ".home.arpa");
    INFO(verified.out << verified.err);
    CHECK(verified.exit_code == 0);
    CHECK(Run({"openssl", "pkcs12", "-in", p12, "-noout", "-passin", "pass:wrong password"})
              .exit_code != 0);
    // The key is in nothing the box keeps: not the log, the store or the audit log.
    ProcessResult key = Run({"openssl", "pkey", "-in", pem});
    REQUIRE(key.exit_code == 0);
    const std::string key_line = key.out.substr(key.out.find('\n') + 1, 60);
    CHECK(admin.ca.daemon().Log().find(key_line) == std::string::npos);
    CHECK(admin.ca.Homeca({"audit", "--limit", "1000"}).out.find(key_line) == std::string::npos);
  }
  CHECK(admin.ca.AuditCount("device-key") == 2);

  // Too short, or not confirmed: refused, nothing made.
  const int before = admin.ca.CertificateCount();
  HttpResult short_password =
      admin.browser.Submit(admin.Page("/devices/manual"), admin.Page("/devices/manual/key"),
                           {{"name", "tv"},
                            {"key_type", "p256"},
                            {"format", "p12"},
                            {"password", "short"},
                            {"password2", "short"},
                            {"confirm", "yes"}});
  CHECK(short_password.status == 400);
  CHECK_THAT(TestIdText(short_password.body, "error"), Catch::Contains("at least 8 characters"));
  HttpResult unconfirmed =
      admin.browser.Submit(admin.Page("/devices/manual"), admin.Page("/devices/manual/key"),
                           {{"name", "tv"}, {"key_type", "p256"}, {"format", "pem"}});
  CHECK(unconfirmed.status == 400);
  CHECK(admin.ca.CertificateCount() == before);
}

TEST_CASE("e2e: homeca issue --device makes a PKCS#12 with the password from standard input") {
  Appliance ca;
  const std::string out = (ca.dir() / "nas.p12").string();
  ProcessResult made = ca.Homeca({"issue", "--device", "nas", "--p12", out, "--passphrase-fd", "0"},
                                 "long enough password\n");
  INFO(made.err);
  REQUIRE(made.exit_code == 0);
  ProcessResult opened =
      Run({"openssl", "pkcs12", "-in", out, "-nodes", "-passin", "pass:long enough password"});
  CHECK(opened.exit_code == 0);
  CHECK(opened.out.find("PRIVATE KEY") != std::string::npos);
  ProcessResult devices = ca.Homeca({"device", "list"});
  CHECK_THAT(devices.out, Catch::Contains("nas.home.arpa"));
  CHECK_THAT(devices.out, Catch::Contains("(renewed by hand: issue --device)"));
}

}  // namespace homeca::testing
