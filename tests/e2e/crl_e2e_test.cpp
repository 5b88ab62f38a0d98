// The CRL stays fresh and is served where relying parties look (issue 11,
// defect 7): a real homecad started on a CA whose CRL was published two days
// ago republishes it, serves it at /crl.der and /crl.pem on the plain-HTTP
// onboarding listener (and HTTPS), and openssl checks it against the
// intermediate.
#include <catch2/catch.hpp>
#include <ctime>
#include <regex>

#include "tests/support/appliance.h"

namespace homeca::testing {
namespace {

std::string Asn1Time(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y%m%d%H%M%SZ", &tm);
  return text;
}

std::string Field(const std::string& text, const std::string& key) {
  const auto at = text.find(key + "=");
  if (at == std::string::npos) return "";
  const auto end = text.find('\n', at);
  return text.substr(at + key.size() + 1, end - at - key.size() - 1);
}

// openssl's "Dec  9 08:00:00 2026 GMT" as unix seconds.
std::time_t OpensslTime(const std::string& text) {
  std::tm tm{};
  REQUIRE(strptime(text.c_str(), "%b %d %H:%M:%S %Y GMT", &tm) != nullptr);
  return timegm(&tm);
}

}  // namespace

TEST_CASE("e2e: a homecad whose CRL is old republishes it and serves it over HTTP") {
  TempDir dir;
  const std::string data = (dir / "ca").string();
  ProcessResult init = Run({BuiltProgram("ca/homeca"), "init", "--data-dir=" + data});
  INFO(init.err);
  REQUIRE(init.exit_code == 0);

  // Replace the CRL with one the intermediate signed two days ago, valid a
  // week: not expired, but a day past "republish daily".
  const std::time_t now = std::time(nullptr);
  WriteText(dir / "index.txt", "");
  WriteText(dir / "crlnumber", "0100\n");
  WriteText(dir / "ca.cnf",
            "[ca]\ndefault_ca = d\n[d]\ndatabase = " + (dir / "index.txt").string() +
                "\ncrlnumber = " + (dir / "crlnumber").string() + "\ndefault_md = sha256\n");
  ProcessResult old =
      Run({"openssl", "ca", "-config", (dir / "ca.cnf").string(), "-gencrl", "-keyfile",
           data + "/intermediate-key.pem", "-cert", data + "/intermediate.pem", "-crl_lastupdate",
           Asn1Time(now - 2 * 86400), "-crl_nextupdate", Asn1Time(now + 5 * 86400), "-out",
           data + "/crl.pem"});
  INFO(old.err);
  REQUIRE(old.exit_code == 0);
  REQUIRE(Run({"openssl", "crl", "-in", data + "/crl.pem", "-outform", "DER", "-out",
               data + "/crl.der"})
              .exit_code == 0);
  ProcessResult planted =
      Run({"openssl", "crl", "-inform", "DER", "-in", data + "/crl.der", "-noout", "-lastupdate"});
  REQUIRE(OpensslTime(Field(planted.out, "lastUpdate")) < now - 86400);

  BackgroundProcess homecad({BuiltProgram("webui/homecad"), "--dev", "--data-dir=" + data,
                             "--https-port=0", "--http-port=0"},
                            dir / "homecad.log");
  REQUIRE(homecad.WaitForLog("onboarding at"));
  std::smatch match;
  const std::string log = homecad.Log();
  REQUIRE(std::regex_search(log, match, std::regex(R"(onboarding at (http://[^ ]*:\d+)/)")));
  const std::string http = match[1];
  CHECK_THAT(log, Catch::Contains("republished the CRL"));

  // Fetched over plain HTTP, as a relying party would, and judged by openssl.
  ProcessResult head = Run({"curl", "-sS", "--max-time", "10", "-o", (dir / "fetched.der").string(),
                            "-w", "%{http_code} %{content_type}", http + "/crl.der"});
  INFO(head.err);
  REQUIRE(head.exit_code == 0);
  CHECK(head.out == "200 application/pkix-crl");
  ProcessResult dates =
      Run({"openssl", "crl", "-inform", "DER", "-in", (dir / "fetched.der").string(), "-noout",
           "-lastupdate", "-nextupdate", "-CAfile", data + "/intermediate.pem"});
  INFO(dates.out << dates.err);
  REQUIRE(dates.exit_code == 0);
  CHECK_THAT(dates.err + dates.out, Catch::Contains("verify OK"));
  const std::time_t last = OpensslTime(Field(dates.out, "lastUpdate"));
  const std::time_t next = OpensslTime(Field(dates.out, "nextUpdate"));
  CHECK(last >= now - 600);  // fresh (the CA backdates a little for clock skew at most)
  CHECK(next - last >= 6 * 86400);

  ProcessResult pem = Run({"curl", "-sS", "--max-time", "10", http + "/crl.pem"});
  REQUIRE(pem.exit_code == 0);
  CHECK_THAT(pem.out, Catch::StartsWith("-----BEGIN X509 CRL-----"));
  // Only GET and HEAD: nothing on plain HTTP changes state.
  ProcessResult post = Run({"curl", "-s", "--max-time", "10", "-o", "/dev/null", "-w",
                            "%{http_code}", "-X", "POST", http + "/crl.der"});
  CHECK(post.out == "405");

  // A fresh CRL is left alone by the next start.
  REQUIRE(homecad.Stop() == 0);
  BackgroundProcess again({BuiltProgram("webui/homecad"), "--dev", "--data-dir=" + data,
                           "--https-port=0", "--http-port=0"},
                          dir / "homecad2.log");
  REQUIRE(again.WaitForLog("onboarding at"));
  CHECK(again.Log().find("republished the CRL") == std::string::npos);
}

}  // namespace homeca::testing
