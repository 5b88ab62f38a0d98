// Hostile and malformed requests: each is refused with a clear error and
// leaves no certificate and no audit row behind.
#include <catch2/catch.hpp>

#include "ca/authority.h"
#include "tests/ca/ca_fixture.h"
#include "tests/support/csr_factory.h"
#include "tests/support/process.h"

namespace homeca::ca {
namespace {

using testing::MakeCsrPem;

struct Counts {
  std::int64_t certificates;
  std::size_t audit;
  bool operator==(const Counts& o) const {
    return certificates == o.certificates && audit == o.audit;
  }
};

Counts CountRows(Authority& ca) {
  CertificateFilter all;
  auto n = ca.certificates().Count(all);
  auto audit = ca.audit_log().ListAudit(1000, 0);
  REQUIRE(n.ok());
  REQUIRE(audit.ok());
  return {*n, audit->size()};
}

std::string CorruptSignature(std::string der) {
  der[der.size() - 5] = static_cast<char>(der[der.size() - 5] ^ 0x01);
  return der;
}

TEST_CASE("hostile certificate requests are refused and change nothing") {
  testing::TempDir dir;
  InitOptions no_local;  // .local is permitted by default; this CA opted out
  no_local.permit_local = false;
  auto created = testing::NewAuthority(dir / "ca", no_local);
  Authority& ca = *created;
  auto good_key = testing::MakeEcKey();
  const std::string good_csr = MakeCsrPem(good_key.get());
  const Counts before = CountRows(ca);

  struct Case {
    std::string what;
    std::string csr;
    std::vector<std::string> names;
    std::string expected;  // part of the error message
  };
  auto rsa1024 = testing::MakeRsaKey(1024);
  auto ed25519 = testing::MakeEd25519Key();
  auto k1 = testing::MakeEcKey("secp256k1");
  testing::CsrOptions ca_request;
  ca_request.request_ca = true;
  testing::CsrOptions sha1;
  sha1.digest = "SHA1";
  testing::CsrOptions no_digest;
  no_digest.digest = nullptr;
  std::vector<std::string> seventeen;
  for (int i = 0; i < 17; ++i) seventeen.push_back("host" + std::to_string(i));

  const std::vector<Case> cases = {
      {"bad signature",
       CorruptSignature(testing::MakeCsrDer(good_key.get())),
       {"nas"},
       "signature does not verify"},
      {"weak RSA key", MakeCsrPem(rsa1024.get()), {"nas"}, "too weak"},
      {"unsupported key type", MakeCsrPem(ed25519.get(), no_digest), {"nas"}, "not allowed"},
      {"unsupported curve", MakeCsrPem(k1.get()), {"nas"}, "not allowed"},
      {"SHA-1 signature", MakeCsrPem(good_key.get(), sha1), {"nas"}, "SHA-256"},
      {"CA:TRUE request", MakeCsrPem(good_key.get(), ca_request), {"nas"}, "CA:TRUE"},
      {"public name", good_csr, {"www.bank.com"}, "not under a permitted domain"},
      {"look-alike suffix", good_csr, {"evilhome.arpa"}, "not under a permitted domain"},
      {"suffix as a label", good_csr, {"home.arpa.evil.com"}, "not under a permitted domain"},
      {"the apex itself", good_csr, {"home.arpa"}, "not under a permitted domain"},
      {"one bad name among good ones", good_csr, {"nas", "www.bank.com"}, "www.bank.com"},
      {"wildcard", good_csr, {"*.lab.home.arpa"}, "wildcard"},
      {"IP address", good_csr, {"192.168.1.10"}, "IP addresses"},
      {".local after opting out", good_csr, {"printer.local"}, "not under a permitted domain"},
      {"underscore", good_csr, {"my_nas.home.arpa"}, "not a valid host name"},
      {"HTML in a name", good_csr, {"<script>.home.arpa"}, "not a valid host name"},
      {"control characters", good_csr, {"nas\n.home.arpa"}, "printable ASCII"},
      {"a space", good_csr, {"my nas.home.arpa"}, "not a valid host name"},
      {"leading hyphen", good_csr, {"-nas.home.arpa"}, "not a valid host name"},
      {"empty label", good_csr, {"nas..home.arpa"}, "not a valid host name"},
      {"label over 63", good_csr, {std::string(64, 'a') + ".home.arpa"}, "not a valid host name"},
      {"no names", good_csr, {}, "at least one name"},
      {"too many names", good_csr, seventeen, "too many names"},
      {"garbage", "this is not a CSR", {"nas"}, "not a certificate request"},
      {"garbage PEM",
       "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n",
       {"nas"},
       "not a certificate request"},
      {"empty", "", {"nas"}, "empty"},
      {"oversized", std::string(20000, 'A'), {"nas"}, "larger than"},
      {"trailing bytes after DER",
       testing::MakeCsrDer(good_key.get()) + "x",
       {"nas"},
       "not a certificate request"},
  };
  for (const Case& c : cases) {
    DYNAMIC_SECTION(c.what) {
      auto issued = ca.Issue({c.csr, c.names});
      REQUIRE_FALSE(issued.ok());
      CHECK_THAT(issued.status().message(), Catch::Contains(c.expected));
      // One line, so a CLI can print it as-is.
      CHECK(issued.status().message().find('\n') == std::string::npos);
      CHECK(CountRows(ca) == before);
    }
  }
}

TEST_CASE("the policy accepts what it should") {
  testing::TempDir dir;
  InitOptions options;
  options.allow_wildcards = true;
  auto created = testing::NewAuthority(dir / "ca", options);
  auto key = testing::MakeEcKey();
  auto issued = created->Issue(
      {MakeCsrPem(key.get()), {"NAS.Home.Arpa.", "*.lab.home.arpa", "xn--bcher-kva.home.arpa"}});
  REQUIRE(issued.ok());
  CHECK(issued->leaf.SubjectAltNames() ==
        std::vector<std::string>{"nas.home.arpa", "*.lab.home.arpa", "xn--bcher-kva.home.arpa"});
  auto whole_zone = created->Issue({MakeCsrPem(key.get()), {"*.home.arpa"}});
  CHECK_FALSE(whole_zone.ok());
}

}  // namespace
}  // namespace homeca::ca
