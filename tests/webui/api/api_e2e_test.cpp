// The JSON API of a real homecad with curl: tokens made in Settings (shown
// once), refused when missing, malformed or revoked; the operations work,
// including a pairing completed by a real homeca-enroll.
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <regex>
#include <thread>

#include "tests/support/appliance.h"

namespace homeca::testing {
namespace {

// Runs `code` in Python with the JSON `body` on stdin; returns its output.
std::string Py(const std::string& code, const std::string& body) {
  ProcessResult r =
      Run({"python3", "-c", "import json,sys\nd=json.load(sys.stdin)\n" + code}, body);
  INFO(body << r.err);
  REQUIRE(r.exit_code == 0);
  std::string out = r.out;
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

struct Api {
  const Appliance& appliance;
  const Browser& client;
  std::string token;
  HttpResult Get(const std::string& path) const {
    return client.Get(appliance.https() + "/api/v1" + path,
                      {"-H", "Authorization: Bearer " + token});
  }
  HttpResult Post(const std::string& path, const std::string& json) const {
    return client.Get(appliance.https() + "/api/v1" + path,
                      {"-H", "Authorization: Bearer " + token, "-H",
                       "Content-Type: application/json", "--data-binary", json});
  }
};

std::string CreateToken(Appliance& appliance, const Browser& admin, const std::string& label) {
  HttpResult created = admin.Submit(appliance.https() + "/settings",
                                    appliance.https() + "/settings/tokens", {{"label", label}});
  REQUIRE(created.status == 303);
  HttpResult shown = admin.Get(appliance.https() + "/settings");
  const std::string token = TestIdText(shown.body, "new-token");
  REQUIRE(std::regex_match(token, std::regex("hca_[A-Za-z0-9_-]{43}")));
  // Shown once: the next visit no longer has it.
  HttpResult again = admin.Get(appliance.https() + "/settings");
  CHECK(CountTestId(again.body, "new-token") == 0);
  CHECK(again.body.find(token) == std::string::npos);
  return token;
}

TEST_CASE("API: tokens are required, and revoked tokens stop working") {
  Appliance appliance;
  Browser admin(appliance.dir());
  appliance.SetUp(admin);
  Browser client(appliance.dir(), "client");

  // A session cookie is not an API credential.
  HttpResult cookie_only = admin.Get(appliance.https() + "/api/v1/overview");
  CHECK(cookie_only.status == 401);
  CHECK(cookie_only.Header("WWW-Authenticate").rfind("Bearer", 0) == 0);
  CHECK(Py("print(d['error'])", cookie_only.body) == "unauthorized");
  for (const std::string& header : {std::string("Authorization: Basic YWRtaW46YWRtaW4="),
                                    std::string("Authorization: Bearer nonsense"),
                                    std::string("Authorization: Bearer hca_AAAAAAAAAAAAAAAAAAAAAA"
                                                "AAAAAAAAAAAAAAAAAAAAA")}) {
    INFO(header);
    CHECK(client.Get(appliance.https() + "/api/v1/overview", {"-H", header}).status == 401);
  }
  // Unknown endpoints are not revealed before authentication.
  CHECK(client.Get(appliance.https() + "/api/v1/nothing-here").status == 401);

  const std::string token = CreateToken(appliance, admin, "script");
  Api api{appliance, client, token};
  HttpResult overview = api.Get("/overview");
  REQUIRE(overview.status == 200);
  CHECK(overview.Header("Content-Type") == "application/json");
  CHECK(Py("print(len(d['root']['fingerprint_sha256']))", overview.body) == "95");
  // The published CRL: its next update a week after its last, and where it is.
  CHECK(Py("import datetime as t; f=lambda s: t.datetime.strptime(s, '%Y-%m-%dT%H:%M:%SZ'); "
           "print((f(d['crl']['next_update']) - f(d['crl']['this_update'])).days)",
           overview.body) == "7");
  CHECK(Py("print(d['crl']['url'])", overview.body) ==
        "http://127.0.0.1:" + std::to_string(appliance.http_port()) + "/crl.der");
  CHECK(api.Get("/nothing-here").status == 404);
  CHECK(api.Post("/overview", "{}").status == 405);

  // Revoke it in Settings: refused from then on.
  HttpResult settings = admin.Get(appliance.https() + "/settings");
  std::smatch match;
  REQUIRE(std::regex_search(settings.body, match, std::regex(R"(/settings/tokens/(\d+)/revoke)")));
  HttpResult revoked =
      admin.Post(appliance.https() + "/settings/tokens/" + match[1].str() + "/revoke",
                 {{"csrf", CsrfToken(settings.body)}});
  CHECK(revoked.status == 303);
  CHECK(api.Get("/overview").status == 401);
  // The token never appears in the log or the audit trail.
  CHECK(appliance.daemon().Log().find(token) == std::string::npos);
  CHECK(appliance.Homeca({"audit"}).out.find(token) == std::string::npos);
}

// A homecad set up, with an admin session and an API client holding a token.
struct ApiFixture {
  Appliance appliance;
  Browser admin{appliance.dir()};
  Browser client{appliance.dir(), "client"};
  Api api{appliance, client, ""};
  ApiFixture() {
    appliance.SetUp(admin);
    api.token = CreateToken(appliance, admin, "automation");
  }
};

TEST_CASE("API: pair a device, list it, revoke its certificate") {
  ApiFixture f;
  Appliance& appliance = f.appliance;
  Api& api = f.api;

  HttpResult bad = api.Post("/pairings", R"({"name": "<img src=x>"})");
  CHECK(bad.status == 400);
  CHECK(Py("print(d['error'])", bad.body) == "policy_violation");
  // The CA's own name, refused in the words every other path uses.
  HttpResult reserved = api.Post("/pairings", R"({"name": "ca"})");
  CHECK(reserved.status == 400);
  CHECK(Py("print(d['error'])", reserved.body) == "policy_violation");
  CHECK(Py("print(d['message'])", reserved.body) == "'ca.home.arpa' is reserved for the CA itself");
  CHECK(api.Post("/pairings", "not json").status == 400);
  CHECK(api.Post("/pairings", R"({"names": [1, 2]})").status == 400);

  HttpResult made = api.Post("/pairings", R"({"name": "printer", "ttl_minutes": 5})");
  INFO(made.body);
  REQUIRE(made.status == 201);
  const std::string code = Py("print(d['code'])", made.body);
  const std::string id = Py("print(d['id'])", made.body);
  // seconds_left is taken after the pairing was stored, so a slow run may lose a second.
  CHECK(Py("print(d['status'], d['names'][0], 290 <= d['seconds_left'] <= 300)", made.body) ==
        "waiting printer.home.arpa True");
  CHECK(Py("print(d['enroll_command'])", made.body) ==
        "homeca-enroll pair --code " + code + " --ca " + appliance.admin_base());
  // The code is only in that answer.
  CHECK(api.Get("/pairings/" + id).body.find(code) == std::string::npos);

  TempDir device;
  ProcessResult paired = Run({BuiltProgram("enroll/cli/homeca-enroll"), "pair", "--code", code,
                              "--ca", appliance.https(), "--dir", device.path().string()});
  INFO(paired.err << appliance.daemon().Log());
  REQUIRE(paired.exit_code == 0);

  HttpResult status = api.Get("/pairings/" + id);
  CHECK(Py("print(d['status'])", status.body) == "paired");
  // A pairing that is over is in the wrong state to cancel: 409, not the 400
  // of a refused name above.
  HttpResult late = api.Post("/pairings/" + id + "/cancel", "{}");
  CHECK(late.status == 409);
  CHECK(Py("print(d['error'])", late.body) == "conflict");
  const std::string serial = Py("print(d['certificate_serial'])", status.body);
  HttpResult devices = api.Get("/devices");
  CHECK(Py("print(len(d['devices']), d['devices'][0]['name'], d['devices'][0]['status'])",
           devices.body) == "1 printer.home.arpa valid");

  HttpResult cert = api.Get("/certificates/" + serial);
  REQUIRE(cert.status == 200);
  CHECK(Py("print(d['pem'].startswith('-----BEGIN CERTIFICATE-----'), d['status'])", cert.body) ==
        "True valid");
  HttpResult list = api.Get("/certificates?q=printer&status=valid");
  CHECK(Py("print(d['total'], d['certificates'][0]['serial'])", list.body) == "1 " + serial);
  CHECK(api.Get("/certificates?status=nonsense").status == 400);
  CHECK(api.Get("/certificates?per_page=0").status == 400);
  CHECK(api.Get("/certificates?per_page=201").status == 400);
  CHECK(api.Get("/certificates/ffff").status == 404);

  CHECK(api.Post("/certificates/" + serial + "/revoke", R"({"reason": "bogus"})").status == 400);
  HttpResult revoked =
      api.Post("/certificates/" + serial + "/revoke", R"({"reason": "keyCompromise"})");
  CHECK(revoked.status == 200);
  CHECK(Py("print(d['status'], d['revocation_reason'])", revoked.body) == "revoked keyCompromise");
  CHECK(api.Post("/certificates/" + serial + "/revoke", "{}").status == 409);
  devices = api.Get("/devices");
  CHECK(Py("print(d['devices'][0]['status'])", devices.body) == "revoked");

  HttpResult audit = api.Get("/audit");
  CHECK(Py("print(any(e['action']=='revoke' and e['actor'].startswith('api:') for e in "
           "d['entries']))",
           audit.body) == "True");
  CHECK(audit.body.find(code) == std::string::npos);
}

// "acme": true makes the pairing of a device that has an ACME client: the
// answer carries its external account binding, once, and a real ACME client
// (tests/e2e/acme_pve_client.py on Debian's python3-acme) enrolls with it.
TEST_CASE("API: an ACME pairing answers its binding once, and an ACME client enrolls with it") {
  ApiFixture f;
  Appliance& appliance = f.appliance;
  Api& api = f.api;

  for (const char* body : {R"({"name": "nas", "acme": "true"})", R"({"name": "nas", "acme": 1})",
                           R"({"name": "nas", "acme": null})"}) {
    INFO(body);
    HttpResult refused = api.Post("/pairings", body);
    CHECK(refused.status == 400);
    CHECK(Py("print(d['error'])", refused.body) == "invalid_argument");
  }
  HttpResult no_name = api.Post("/pairings", R"({"acme": true})");
  CHECK(no_name.status == 400);
  CHECK(appliance.AuditCount("acme-eab") == 0);

  HttpResult made = api.Post("/pairings", R"({"name": "nas", "acme": true})");
  INFO(made.body);
  REQUIRE(made.status == 201);
  const std::string id = Py("print(d['id'])", made.body);
  const std::string kid = Py("print(d['eab_key_id'])", made.body);
  const std::string hmac = Py("print(d['eab_hmac_key'])", made.body);
  CHECK(kid.size() == 22);
  CHECK(hmac.size() == 43);
  const std::string directory = appliance.admin_base() + "/acme/directory";
  CHECK(Py("print(d['acme_directory'])", made.body) == directory);
  // An ACME client sets up at its own pace: the binding waits a day by default.
  CHECK(Py("print(d['status'], d['names'][0], 86390 <= d['seconds_left'] <= 86400, d['acme'], "
           "'code' in d, 'device_id' in d)",
           made.body) == "waiting nas.home.arpa True True False False");
  const std::string command = Py("print(d['certbot_command'])", made.body);
  CHECK(command.find("--server " + directory) != std::string::npos);
  CHECK(command.find("--eab-kid " + kid + " --eab-hmac-key " + hmac) != std::string::npos);
  CHECK(appliance.AuditCount("acme-eab") == 1);

  // Shown once: not in the pairing, the audit log or the daemon's log.
  HttpResult shown = api.Get("/pairings/" + id);
  CHECK(Py("print(d['acme'], 'device_id' in d, 'eab_key_id' in d)", shown.body) ==
        "True False False");
  CHECK(shown.body.find(hmac) == std::string::npos);
  CHECK(api.Get("/audit").body.find(hmac) == std::string::npos);
  CHECK(appliance.daemon().Log().find(hmac) == std::string::npos);
  // A TTL still applies when given.
  HttpResult short_lived =
      api.Post("/pairings", R"({"name": "tv", "acme": true, "ttl_minutes": 5})");
  CHECK(Py("print(290 <= d['seconds_left'] <= 300)", short_lived.body) == "True");
  // The waiting ACME pairing holds its name, as a code pairing would.
  CHECK(api.Post("/pairings", R"({"name": "tv", "acme": false})").status == 409);
  CHECK(api.Post("/pairings", R"({"name": "tv", "acme": true})").status == 409);
  CHECK(api.Post("/pairings", R"({"name": "radio", "acme": false})").body.find("\"code\"") !=
        std::string::npos);

  // The binding enrolls a real ACME client. homecad --dev's URLs name
  // <host>.local, its certificate's first name, while it listens on
  // 127.0.0.1: the client connects there for that name, as curl --resolve.
  if (Run({"/usr/bin/python3", "-c", "import acme, josepy, requests"}).exit_code != 0) {
    if (std::getenv("HOMECA_CI") != nullptr) FAIL("python3-acme is not installed");
    WARN("python3-acme is not installed: the binding was not used by a client");
    return;
  }
  const std::string admin_host = appliance.admin_base().substr(
      8, appliance.admin_base().rfind(':') - 8);  // https://<host>:<port>
  TempDir out;
  ProcessResult enrolled =
      Run({"/usr/bin/python3", std::string(HOMECA_SOURCE_DIR) + "/tests/e2e/acme_pve_client.py",
           directory, appliance.data_dir() + "/root.pem", kid, hmac, out.path().string()},
          "", {"ACME_RESOLVE=" + admin_host + ":127.0.0.1"});
  INFO(enrolled.out << enrolled.err << appliance.daemon().Log());
  REQUIRE(enrolled.exit_code == 0);
  CHECK(Py("print(d['status'], d['certificate_serial'] != '')", api.Get("/pairings/" + id).body) ==
        "paired True");
}

// Where a device is: paired over loopback it has no LAN address (a device on
// the box itself is never published); the admin pins one, and the name map,
// the DNS export in the data directory and the Devices page follow.
TEST_CASE("API: a pinned address is published, and removing the pin takes it back") {
  Appliance appliance;
  Browser admin(appliance.dir());
  appliance.SetUp(admin);
  Browser client(appliance.dir(), "client");
  Api api{appliance, client, CreateToken(appliance, admin, "names")};
  HttpResult made = api.Post("/pairings", R"({"name": "nas"})");
  REQUIRE(made.status == 201);
  TempDir device;
  ProcessResult paired = Run({BuiltProgram("enroll/cli/homeca-enroll"), "pair", "--code",
                              Py("print(d['code'])", made.body), "--ca", appliance.https(), "--dir",
                              device.path().string()});
  INFO(paired.err << appliance.daemon().Log());
  REQUIRE(paired.exit_code == 0);
  const std::string id = Py("print(d['id'])", made.body);
  const std::filesystem::path hosts =
      std::filesystem::path(appliance.data_dir()) / "names" / "hosts";

  HttpResult names = api.Get("/names");
  REQUIRE(names.status == 200);
  CHECK(Py("print(len(d['hosts']))", names.body) == "0");  // loopback is not an address
  CHECK(Py("print(d['devices'][0]['addresses'])", api.Get("/devices").body) == "[]");

  for (const char* refused : {R"({"address": "127.0.0.1"})", R"({"address": "fe80::1"})",
                              R"({"address": "nas.home.arpa"})", R"({"address": 7})", "{}"}) {
    HttpResult r = api.Post("/devices/" + id + "/address", refused);
    INFO(refused << " -> " << r.body);
    CHECK(r.status == 400);
  }
  CHECK(api.Post("/devices/999/address", R"({"address": "192.168.1.20"})").status == 404);

  HttpResult pinned = api.Post("/devices/" + id + "/address", R"({"address": "192.168.1.20"})");
  INFO(pinned.body);
  REQUIRE(pinned.status == 200);
  CHECK(Py("print(d['devices'][0]['addresses'], d['devices'][0]['pinned'])", pinned.body) ==
        "['192.168.1.20'] 192.168.1.20");
  std::string exported;
  for (int i = 0; i < 100 && exported.find("192.168.1.20\tnas.home.arpa") == std::string::npos;
       ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    exported = ReadText(hosts);
  }
  CHECK(exported.find("192.168.1.20\tnas.home.arpa") != std::string::npos);
  CHECK(exported.find("nas.local") == std::string::npos);
  names = api.Get("/names");
  CHECK(Py("print(d['hosts'][0]['names'], d['hosts'][0]['addresses'])", names.body) ==
        "['nas.home.arpa', 'nas.local'] ['192.168.1.20']");
  HttpResult page = admin.Get(appliance.https() + "/devices");
  CHECK(page.body.find("names point to 192.168.1.20 (pinned)") != std::string::npos);

  REQUIRE(api.Post("/devices/" + id + "/address", R"({"address": null})").status == 200);
  for (int i = 0; i < 100 && ReadText(hosts).find("nas.home.arpa") != std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  CHECK(ReadText(hosts).find("nas.home.arpa") == std::string::npos);
  // The directory writes the file before it updates what /names reports.
  std::string left = "1";
  for (int i = 0; i < 100 && left != "0"; ++i) {
    left = Py("print(len(d['hosts']))", api.Get("/names").body);
    if (left != "0") std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  CHECK(left == "0");
  HttpResult audit = api.Get("/audit");
  CHECK(Py("print(sum(e['action'] == 'device-pin' for e in d['entries']))", audit.body) == "2");
}

ProcessResult Renew(const Appliance& appliance, const TempDir& device) {
  return Run({BuiltProgram("enroll/cli/homeca-enroll"), "renew", "--ca", appliance.https(), "--dir",
              device.path().string()});
}

// Issue 11's reproduction with the real programs: a copy of a device's files
// taken once cannot renew past the device, and revoke device ends it all.
TEST_CASE("API: a copied device cannot outlive the real one, revoke device ends the lineage") {
  Appliance appliance;
  Browser admin(appliance.dir());
  appliance.SetUp(admin);
  Browser client(appliance.dir(), "client");
  Api api{appliance, client, CreateToken(appliance, admin, "automation")};
  HttpResult made = api.Post("/pairings", R"({"name": "nas"})");
  REQUIRE(made.status == 201);
  const std::string id = Py("print(d['id'])", made.body);
  TempDir device;
  ProcessResult paired = Run({BuiltProgram("enroll/cli/homeca-enroll"), "pair", "--code",
                              Py("print(d['code'])", made.body), "--ca", appliance.https(), "--dir",
                              device.path().string()});
  INFO(paired.err << appliance.daemon().Log());
  REQUIRE(paired.exit_code == 0);
  // Someone copies the device's key and certificate (A) once.
  TempDir copy;
  REQUIRE(Run({"cp", "-a", device.path().string() + "/.", copy.path().string()}).exit_code == 0);

  // The device renews: A -> B.
  ProcessResult renewed = Renew(appliance, device);
  INFO(renewed.err);
  REQUIRE(renewed.exit_code == 0);
  HttpResult devices = api.Get("/devices");
  const std::string b = Py("print(d['devices'][0]['certificate_serial'])", devices.body);
  CHECK(Py("print(d['devices'][0]['id'], d['devices'][0]['state'], d['devices'][0]['renewals'])",
           devices.body) == id + " active 1");
  // The admin revokes the current certificate B; the copy of A cannot renew.
  REQUIRE(api.Post("/certificates/" + b + "/revoke", R"({"reason": "keyCompromise"})").status ==
          200);
  ProcessResult stolen = Renew(appliance, copy);
  CHECK(stolen.exit_code != 0);
  CHECK_THAT(stolen.err, Catch::Contains("[superseded]"));
  devices = api.Get("/devices");
  CHECK(Py("print(d['devices'][0]['certificate_serial'], d['devices'][0]['renewals'])",
           devices.body) == b + " 1");

  // Revoke device: every certificate, and the lineage ends.
  CHECK(api.Post("/devices/" + id + "/revoke", R"({"reason": "bogus"})").status == 400);
  CHECK(api.Post("/devices/999/revoke", "{}").status == 404);
  HttpResult ended = api.Post("/devices/" + id + "/revoke", R"({"reason": "keyCompromise"})");
  INFO(ended.body);
  CHECK(ended.status == 200);
  CHECK(Py("print(d['id'], d['state'], d['revoked_certificates'])", ended.body) ==
        id + " revoked 1");  // A; B was revoked already
  CHECK(api.Post("/devices/" + id + "/revoke", "{}").status == 409);
  devices = api.Get("/devices");
  CHECK(Py("print(d['devices'][0]['state'], d['devices'][0]['status'], "
           "'revoked_at' in d['devices'][0])",
           devices.body) == "revoked revoked True");
  for (const TempDir* files : {&device, &copy}) {
    ProcessResult r = Renew(appliance, *files);
    CHECK(r.exit_code != 0);
    CHECK_THAT(r.err, Catch::Contains("[revoked]"));
  }
  HttpResult audit = api.Get("/audit");
  CHECK(Py("print(any(e['action']=='device-revoke' and e['actor'].startswith('api:') for e in "
           "d['entries']))",
           audit.body) == "True");
}

TEST_CASE("API: a device without a shell from its CSR, and another name issues nothing") {
  Appliance appliance;
  Browser admin(appliance.dir());
  appliance.SetUp(admin);
  Browser client(appliance.dir(), "client");
  Api api{appliance, client, CreateToken(appliance, admin, "nas-script")};
  const std::string key = (appliance.dir() / "nas.key").string();
  const std::string csr_file = (appliance.dir() / "nas.csr").string();
  REQUIRE(Run({"openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
               "-nodes", "-keyout", key, "-subj", "/CN=nas.home.arpa", "-out", csr_file})
              .exit_code == 0);
  auto body = [&](const std::string& device) {
    return Py("import json\nprint(json.dumps({'device': '" + device + "', 'csr': d}))",
              "\"" + std::regex_replace(ReadText(csr_file), std::regex("\n"), "\\n") + "\"");
  };
  const int before = appliance.CertificateCount();
  HttpResult refused = api.Post("/certificates", body("printer"));
  CHECK(refused.status == 400);
  CHECK(Py("print(d['error'])", refused.body) == "policy_violation");
  CHECK_THAT(Py("print(d['message'])", refused.body),
             Catch::Contains("the CSR asks for 'nas.home.arpa', but this device's names are "
                             "printer.home.arpa and printer.local"));
  CHECK(appliance.CertificateCount() == before);

  HttpResult issued = api.Post("/certificates", body("nas"));
  INFO(issued.body);
  REQUIRE(issued.status == 201);
  CHECK(Py("print(d['certificate']['names'])", issued.body) == "['nas.home.arpa', 'nas.local']");
  CHECK(Py("print(d['renewed'], d['renewed_by_hand'])", issued.body) == "False True");
  CHECK(appliance.CertificateCount() == before + 1);
  WriteText(appliance.dir() / "chain.pem", Py("print(d['chain_pem'])", issued.body));
  ProcessResult verified =
      Run({"openssl", "verify", "-purpose", "sslserver", "-verify_hostname", "nas.home.arpa",
           "-CAfile", appliance.data_dir() + "/root.pem", "-untrusted",
           (appliance.dir() / "chain.pem").string(), (appliance.dir() / "chain.pem").string()});
  INFO(verified.err);
  CHECK(verified.exit_code == 0);
  HttpResult devices = api.Get("/devices");
  CHECK(Py("print([x['renewed_by_hand'] for x in d['devices'] if x['name']=='nas.home.arpa'])",
           devices.body) == "[True]");
}

}  // namespace
}  // namespace homeca::testing
