// Issuance end to end: init a CA in a real directory, issue from real CSRs,
// and let `openssl verify` judge every certificate.
#include "ca/authority.h"

#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "ca/base/file_util.h"
#include "ca/cert_builder.h"
#include "ca/intermediate_renewal.h"
#include "ca/leaf_profile.h"
#include "ca/store/sqlite/sqlite_store.h"
#include "tests/ca/ca_fixture.h"
#include "tests/ca/verify_judge.h"
#include "tests/support/csr_factory.h"

namespace homeca::ca {
namespace {

using testing::JudgeLeaf;
using testing::MakeCsrPem;
using testing::TempDir;

std::unique_ptr<Authority> NewCa(const TempDir& dir, InitOptions options = {}) {
  return testing::NewAuthority(dir / "ca", options);
}

unsigned Mode(const std::filesystem::path& p) {
  struct stat st {};
  REQUIRE(::stat(p.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

bool ExtensionCritical(const Certificate& cert, int nid) {
  int index = X509_get_ext_by_NID(cert.native(), nid, -1);
  REQUIRE(index >= 0);
  return X509_EXTENSION_get_critical(X509_get_ext(cert.native(), index)) == 1;
}

TEST_CASE("init creates a name-constrained root and intermediate with private keys 0600") {
  TempDir dir;
  auto ca = NewCa(dir);
  const DataDir& files = ca->data_dir();
  CHECK(Mode(files.root()) == 0700);
  CHECK(Mode(files.root_key()) == 0600);
  CHECK(Mode(files.intermediate_key()) == 0600);
  CHECK(Mode(files.database()) == 0600);

  for (const Certificate* cert : {&ca->root(), &ca->intermediate()}) {
    CHECK(ExtensionCritical(*cert, NID_basic_constraints));
    CHECK(ExtensionCritical(*cert, NID_key_usage));
    CHECK(ExtensionCritical(*cert, NID_name_constraints));
    CHECK(cert->KeyDescription() == "EC P-256");
  }
  CHECK_FALSE(ca->root().SubjectCommonName().empty());
  CHECK(ca->root().NotAfter() - ca->root().NotBefore() >= 3650LL * 86400);
  CHECK(ca->intermediate().NotAfter() - ca->intermediate().NotBefore() >= 1825LL * 86400);

  // An independent reading of the extensions.
  auto text = testing::Run(
      {"openssl", "x509", "-noout", "-text", "-in", files.intermediate_cert().string()});
  REQUIRE(text.exit_code == 0);
  CHECK_THAT(text.out, Catch::Contains("CA:TRUE, pathlen:0"));
  CHECK_THAT(text.out, Catch::Contains("Certificate Sign, CRL Sign"));
  CHECK_THAT(text.out, Catch::Contains("DNS:home.arpa"));
  CHECK_THAT(text.out, Catch::Contains("IP:0.0.0.0/0.0.0.0"));
  CHECK_THAT(text.out, Catch::Contains("IP:0:0:0:0:0:0:0:0/0:0:0:0:0:0:0:0"));
  CHECK_THAT(text.out, !Catch::Contains("DNS:.home.arpa"));
}

TEST_CASE("init refuses to overwrite an existing CA") {
  TempDir dir;
  auto ca = NewCa(dir);
  const std::string root_before = testing::ReadText(ca->data_dir().root_cert());
  auto again = Authority::Init(dir / "ca", InitOptions{});
  REQUIRE_FALSE(again.ok());
  CHECK(again.status().IsAlreadyExists());
  CHECK(testing::ReadText(ca->data_dir().root_cert()) == root_before);
}

TEST_CASE("a P-384 CA with an encrypted root key") {
  TempDir dir;
  InitOptions options;
  options.algorithm = KeyAlgorithm::kEcP384;
  options.root_passphrase = "correct horse battery";
  auto ca = NewCa(dir, options);
  CHECK(ca->root().KeyDescription() == "EC P-384");
  const std::string key = testing::ReadText(ca->data_dir().root_key());
  CHECK_THAT(key, Catch::StartsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
  CHECK_FALSE(PrivateKey::FromPem(key).ok());
  CHECK_FALSE(PrivateKey::FromPem(key, "wrong passphrase").ok());
  CHECK(PrivateKey::FromPem(key, "correct horse battery").ok());
  // The intermediate does not need the root key to issue.
  auto reopened = Authority::Open(dir / "ca");
  REQUIRE(reopened.ok());
  auto leaf_key = testing::MakeEcKey("P-384");
  auto issued = (*reopened)->Issue({MakeCsrPem(leaf_key.get()), {"nas"}});
  REQUIRE(issued.ok());
  auto verdict = JudgeLeaf(**reopened, issued->leaf.Pem());
  CHECK(verdict.exit_code == 0);
  CHECK_THAT(verdict.out, Catch::Contains(": OK"));
}

TEST_CASE("issued certificates pass openssl verify for every allowed key type") {
  TempDir dir;
  auto ca = NewCa(dir);
  struct Case {
    const char* what;
    ossl::Pkey key;
    bool der;
  };
  Case cases[] = {{"EC P-256 PEM", testing::MakeEcKey("P-256"), false},
                  {"EC P-384 DER", testing::MakeEcKey("P-384"), true},
                  {"RSA 2048", testing::MakeRsaKey(2048), false}};
  for (Case& c : cases) {
    SECTION(c.what) {
      testing::CsrOptions csr_options;
      std::string csr = c.der ? testing::MakeCsrDer(c.key.get(), csr_options)
                              : MakeCsrPem(c.key.get(), csr_options);
      auto issued = ca->Issue({csr, {"nas.home.arpa", "nas-backup"}, 0, "test"});
      REQUIRE(issued.ok());
      auto verdict = JudgeLeaf(*ca, issued->leaf.Pem());
      INFO(verdict.out << verdict.err);
      CHECK(verdict.exit_code == 0);
      const Certificate& leaf = issued->leaf;
      CHECK(leaf.SubjectAltNames() ==
            std::vector<std::string>{"nas.home.arpa", "nas-backup.home.arpa"});
      CHECK(leaf.SubjectCommonName() == "nas.home.arpa");
      CHECK(ExtensionCritical(leaf, NID_basic_constraints));
      CHECK(ExtensionCritical(leaf, NID_key_usage));
      const std::uint32_t usage = X509_get_key_usage(leaf.native());
      CHECK((usage & KU_DIGITAL_SIGNATURE) != 0);
      CHECK(((usage & KU_KEY_ENCIPHERMENT) != 0) == (std::string(c.what) == "RSA 2048"));
      CHECK((X509_get_extended_key_usage(leaf.native()) & (XKU_SSL_SERVER | XKU_SSL_CLIENT)) ==
            (XKU_SSL_SERVER | XKU_SSL_CLIENT));
      CHECK(X509_get0_subject_key_id(leaf.native()) != nullptr);
      CHECK(X509_get0_authority_key_id(leaf.native()) != nullptr);
      ossl::Bn serial(ASN1_INTEGER_to_BN(X509_get0_serialNumber(leaf.native()), nullptr));
      CHECK(BN_num_bits(serial.get()) >= 64);
      CHECK(leaf.NotAfter() - leaf.NotBefore() == 90 * 86400 + kLeafBackdateSeconds);
      // Durable before it was returned: a fresh connection sees it.
      auto reopened = SqliteStore::Open(ca->data_dir().database());
      REQUIRE(reopened.ok());
      auto stored = (*reopened)->FindBySerial(leaf.SerialHex());
      REQUIRE(stored.ok());
      CHECK(stored->der == leaf.der());
      CHECK(stored->requester == "test");
      CHECK(issued->chain.size() == 2);
    }
  }
}

TEST_CASE("names come from the request, never from the CSR") {
  TempDir dir;
  auto ca = NewCa(dir);
  auto key = testing::MakeEcKey();
  testing::CsrOptions asks_for_more;
  asks_for_more.common_name = "www.bank.com";
  asks_for_more.dns_names = {"www.bank.com", "printer.home.arpa"};
  auto issued = ca->Issue({MakeCsrPem(key.get(), asks_for_more), {"nas"}});
  REQUIRE(issued.ok());
  CHECK(issued->leaf.SubjectAltNames() == std::vector<std::string>{"nas.home.arpa"});
  CHECK(issued->leaf.SubjectCommonName() == "nas.home.arpa");
}

TEST_CASE("name constraints bind even a certificate signed around the policy") {
  TempDir dir;
  auto ca = NewCa(dir);
  auto key_pem = ReadFile(ca->data_dir().intermediate_key());
  REQUIRE(key_pem.ok());
  auto intermediate_key = PrivateKey::FromPem(*key_pem);
  REQUIRE(intermediate_key.ok());
  auto leaf_key = testing::MakeEcKey();
  auto csr = CertificateRequest::Parse(MakeCsrPem(leaf_key.get()));
  REQUIRE(csr.ok());
  const std::int64_t now = std::time(nullptr);

  SECTION("a public DNS name") {
    CheckedName rogue{CheckedName::Kind::kDns, "www.bank.com", {}};
    auto leaf = SignLeaf(*csr, {{rogue}, {now - 60, now + 86400}, ""}, ca->intermediate(),
                         *intermediate_key);
    REQUIRE(leaf.ok());
    auto verdict = JudgeLeaf(*ca, leaf->Pem());
    CHECK(verdict.exit_code != 0);
    CHECK_THAT(verdict.out + verdict.err, Catch::Contains("permitted subtree violation"));
  }
  SECTION("a name that merely ends in home.arpa") {
    CheckedName rogue{CheckedName::Kind::kDns, "evilhome.arpa", {}};
    auto leaf = SignLeaf(*csr, {{rogue}, {now - 60, now + 86400}, ""}, ca->intermediate(),
                         *intermediate_key);
    REQUIRE(leaf.ok());
    CHECK(JudgeLeaf(*ca, leaf->Pem()).exit_code != 0);
  }
  SECTION("an IP address") {
    CheckedName rogue{CheckedName::Kind::kIp, "8.8.8.8", {8, 8, 8, 8}};
    CheckedName ok{CheckedName::Kind::kDns, "nas.home.arpa", {}};
    auto leaf = SignLeaf(*csr, {{ok, rogue}, {now - 60, now + 86400}, ""}, ca->intermediate(),
                         *intermediate_key);
    REQUIRE(leaf.ok());
    auto verdict = JudgeLeaf(*ca, leaf->Pem());
    CHECK(verdict.exit_code != 0);
    CHECK_THAT(verdict.out + verdict.err, Catch::Contains("excluded subtree violation"));
  }
}

TEST_CASE("permitted private ranges and .local are honoured") {
  TempDir dir;
  InitOptions options;
  options.permit_local = true;
  auto range = ParseIpRange("192.168.1.0/24");
  REQUIRE(range.ok());
  options.permitted_ip_ranges = {*range};
  auto ca = NewCa(dir, options);
  auto key = testing::MakeEcKey();
  auto issued = ca->Issue({MakeCsrPem(key.get()), {"printer.local", "192.168.1.20"}});
  REQUIRE(issued.ok());
  auto verdict = JudgeLeaf(*ca, issued->leaf.Pem());
  INFO(verdict.out << verdict.err);
  CHECK(verdict.exit_code == 0);
  CHECK(issued->leaf.SubjectCommonName() == "printer.local");

  auto outside = ca->Issue({MakeCsrPem(key.get()), {"10.0.0.1"}});
  REQUIRE_FALSE(outside.ok());
  CHECK(outside.status().IsPolicyViolation());
}

TEST_CASE("lifetimes: default, explicit, and the 825-day cap") {
  TempDir dir;
  auto ca = NewCa(dir);
  auto key = testing::MakeEcKey();
  const std::string csr = MakeCsrPem(key.get());
  auto year = ca->Issue({csr, {"nas"}, 365});
  REQUIRE(year.ok());
  CHECK(year->leaf.NotAfter() - year->leaf.NotBefore() == 365 * 86400 + kLeafBackdateSeconds);
  auto too_long = ca->Issue({csr, {"nas"}, 826});
  REQUIRE_FALSE(too_long.ok());
  CHECK_THAT(too_long.status().message(), Catch::Contains("825"));
}

TEST_CASE("a leaf never outlives its intermediate") {
  TempDir dir;
  FakeClock clock(std::time(nullptr));
  InitOptions options;
  options.intermediate_days = 30;
  options.root_days = 60;
  auto created = Authority::Init(dir / "ca", options, clock);
  REQUIRE(created.ok());
  auto key = testing::MakeEcKey();
  auto issued = (*created)->Issue({MakeCsrPem(key.get()), {"nas"}});
  REQUIRE(issued.ok());
  CHECK(issued->leaf.NotAfter() == (*created)->intermediate().NotAfter());
  clock.Advance(31LL * 86400);
  auto expired = (*created)->Issue({MakeCsrPem(key.get()), {"nas"}});
  REQUIRE_FALSE(expired.ok());
  CHECK_THAT(expired.status().message(), Catch::Contains("expired"));
}

TEST_CASE("the root and the intermediate start kCaBackdateSeconds early, at init and at renewal") {
  TempDir dir;
  const std::int64_t t0 = std::time(nullptr);
  FakeClock clock(t0);
  auto created = Authority::Init(dir / "ca", {}, clock);
  REQUIRE(created.ok());
  Authority& ca = **created;
  CHECK(ca.root().NotBefore() == t0 - kCaBackdateSeconds);
  CHECK(ca.intermediate().NotBefore() == t0 - kCaBackdateSeconds);
  clock.Advance(86400);
  auto root_key = PrivateKey::FromPem(testing::ReadText(ca.data_dir().root_key()));
  REQUIRE(root_key.ok());
  auto renewed = RenewIntermediate(ca, *root_key, 30, "test");
  INFO(renewed.status().message());
  REQUIRE(renewed.ok());
  CHECK(renewed->NotBefore() == t0 + 86400 - kCaBackdateSeconds);
}

}  // namespace
}  // namespace homeca::ca
