// The CA certificates' profile, judged by independent verifiers. A CA made by
// the real `homeca init` lends its real intermediate key to `openssl x509
// -req`, which mints the leaves a leaked or misused intermediate key could
// mint: S/MIME, code signing, e-mail, URI and directory names, and an
// off-policy subject. Each must be refused by `openssl verify` and by NSS
// (certutil -V against a fresh database holding the root as trusted for every
// use), while the good leaf homeca issues, and a well-formed leaf minted the
// same rogue way (the control), are still accepted by both.
#include <catch2/catch.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "ca/base/openssl_handles.h"
#include "ca/hierarchy.h"
#include "tests/support/csr_factory.h"
#include "tests/support/process.h"

namespace homeca {
namespace {

using testing::ProcessResult;
using testing::Run;
using testing::TempDir;

constexpr char kOrg[] = "Test Home";

ProcessResult Homeca(const TempDir& dir, std::vector<std::string> args) {
  args.insert(args.begin(), testing::BuiltProgram("ca/homeca"));
  args.push_back("--data-dir=" + (dir / "ca").string());
  return Run(args);
}

struct Rogue {
  std::string label;
  std::string subject;     // openssl -subj syntax
  std::string extensions;  // an OpenSSL extension section's body
};

// A fresh P-256 key and CSR for `subject`, signed by the CA's intermediate
// key with exactly `extensions`; returns the leaf's PEM path.
std::string MintWithIntermediateKey(const TempDir& dir, const Rogue& rogue) {
  const std::string base = (dir / rogue.label).string();
  auto req = Run({"openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                  "-nodes", "-keyout", base + ".key", "-out", base + ".csr", "-subj", rogue.subject,
                  "-utf8"});
  INFO(req.err);
  REQUIRE(req.exit_code == 0);
  testing::WriteText(base + ".cnf",
                     "[v3]\n"
                     "subjectKeyIdentifier = hash\n"
                     "authorityKeyIdentifier = keyid:always\n"
                     "basicConstraints = critical, CA:FALSE\n" +
                         rogue.extensions);
  auto sign = Run({"openssl",
                   "x509",
                   "-req",
                   "-in",
                   base + ".csr",
                   "-CA",
                   (dir / "ca" / "intermediate.pem").string(),
                   "-CAkey",
                   (dir / "ca" / "intermediate-key.pem").string(),
                   "-set_serial",
                   "0x7e57" + std::to_string(rogue.label.size()),
                   "-days",
                   "30",
                   "-sha256",
                   "-extfile",
                   base + ".cnf",
                   "-extensions",
                   "v3",
                   "-out",
                   base + ".pem"});
  INFO(sign.err);
  REQUIRE(sign.exit_code == 0);
  return base + ".pem";
}

// `openssl verify` with `purpose` ("" for none, which checks the chain and
// its constraints but no usage).
ProcessResult OpensslVerify(const TempDir& dir, const std::string& leaf,
                            const std::string& purpose) {
  std::vector<std::string> argv = {"openssl", "verify"};
  if (!purpose.empty()) argv.insert(argv.end(), {"-purpose", purpose});
  argv.insert(argv.end(), {"-CAfile", (dir / "ca" / "root.pem").string(), "-untrusted",
                           (dir / "ca" / "intermediate.pem").string(), leaf});
  return Run(argv);
}

// NSS's verdict on `leaf` for `usage` (certutil -u letters: V SSL server,
// C SSL client, S e-mail signer, R e-mail recipient, J object signer), in a
// fresh database per leaf (NSS files certificates of one subject under one
// nickname) that trusts the root for every use, so only the CA's own
// constraints can refuse.
ProcessResult NssVerify(const TempDir& dir, const std::string& leaf, const std::string& usage) {
  static int counter = 0;
  const std::string db = "sql:" + (dir / ("nssdb" + std::to_string(++counter))).string();
  std::filesystem::create_directories(dir / ("nssdb" + std::to_string(counter)));
  for (const std::vector<std::string>& step : std::vector<std::vector<std::string>>{
           {"certutil", "-N", "-d", db, "--empty-password"},
           {"certutil", "-A", "-d", db, "-n", "root", "-t", "CT,C,C", "-i",
            (dir / "ca" / "root.pem").string()},
           {"certutil", "-A", "-d", db, "-n", "intermediate", "-t", ",,", "-i",
            (dir / "ca" / "intermediate.pem").string()},
           {"certutil", "-A", "-d", db, "-n", "leaf", "-t", ",,", "-i", leaf}}) {
    auto r = Run(step);
    INFO(step[1] << ": " << r.out << r.err);
    REQUIRE(r.exit_code == 0);
  }
  return Run({"certutil", "-V", "-d", db, "-n", "leaf", "-u", usage});
}

TEST_CASE("CA profile: leaves beyond home TLS, made with the real intermediate key, are refused") {
  if (!testing::HaveProgram("certutil")) {
    FAIL("certutil is needed as the NSS judge (apt-get install libnss3-tools)");
  }
  TempDir dir;
  auto init = Homeca(dir, {"init", "--org", kOrg});
  INFO(init.err);
  REQUIRE(init.exit_code == 0);

  // The good leaf, as homeca issues it.
  auto key = testing::MakeEcKey();
  testing::WriteText(dir / "nas.csr", testing::MakeCsrPem(key.get()));
  auto issued = Homeca(dir, {"issue", "--csr", (dir / "nas.csr").string(), "--name", "nas", "--out",
                             (dir / "chain.pem").string()});
  INFO(issued.err);
  REQUIRE(issued.exit_code == 0);
  REQUIRE(Run({"openssl", "x509", "-in", (dir / "chain.pem").string(), "-out",
               (dir / "good.pem").string()})
              .exit_code == 0);
  const std::string good = (dir / "good.pem").string();

  const std::string org = std::string("/O=") + kOrg;
  const std::string tls_eku =
      "keyUsage = critical, digitalSignature\n"
      "extendedKeyUsage = serverAuth, clientAuth\n";
  // The control: the same rogue route, but a leaf the CA could have issued.
  const std::string control = MintWithIntermediateKey(
      dir,
      {"control", org + "/CN=nas.home.arpa", tls_eku + "subjectAltName = DNS:nas.home.arpa\n"});

  SECTION("the good leaf and the control are accepted by both verifiers") {
    for (const std::string& leaf : {good, control}) {
      for (const char* purpose : {"", "sslserver", "sslclient"}) {
        auto v = OpensslVerify(dir, leaf, purpose);
        INFO(leaf << " -purpose '" << purpose << "': " << v.out << v.err);
        CHECK(v.exit_code == 0);
      }
      for (const char* usage : {"V", "C"}) {
        auto v = NssVerify(dir, leaf, usage);
        INFO(leaf << " -u " << usage << ": " << v.out << v.err);
        CHECK(v.exit_code == 0);
      }
    }
    auto strict = Run({"openssl", "verify", "-x509_strict", "-purpose", "sslserver", "-CAfile",
                       (dir / "ca" / "root.pem").string(), "-untrusted",
                       (dir / "ca" / "intermediate.pem").string(), good});
    INFO(strict.out << strict.err);
    CHECK(strict.exit_code == 0);
  }

  SECTION("each rogue leaf is refused by openssl and by NSS, for the expected reason") {
    // What each verifier says (OpenSSL 3.0, NSS 3.87 certutil as in Debian 12).
    const std::string kSubtree = "permitted subtree violation";     // nameConstraints
    const std::string kPurpose = "unsuitable certificate purpose";  // extendedKeyUsage
    const std::string kNssName = "not permitted to issue a certificate with this name";
    struct Judgment {
      std::string how;       // openssl: a purpose ("" for none); NSS: a certutil -u letter
      std::string expected;  // part of the verifier's message
    };
    struct Case {
      Rogue rogue;
      std::vector<Judgment> openssl;
      std::vector<Judgment> nss;
    };
    const std::vector<Case> cases = {
        // A realistic S/MIME certificate for someone else's mailbox. With an
        // S/MIME purpose OpenSSL stops at depth 1: the intermediate's EKU.
        {{"smime", "/CN=Alice/emailAddress=alice@gmail.com",
          "keyUsage = critical, digitalSignature, keyEncipherment\n"
          "extendedKeyUsage = emailProtection\n"
          "subjectAltName = email:alice@gmail.com\n"},
         {{"", kSubtree},
          {"smimesign", "error 26 at 1 depth lookup: " + kPurpose},
          {"smimeencrypt", "error 26 at 1 depth lookup: " + kPurpose}},
         {{"S", kNssName}, {"R", kNssName}}},
        // A realistic code-signing certificate, no names at all. (OpenSSL
        // 3.0 has no code-signing purpose; without one it checks no usage,
        // and with no directoryName constraint (ca/hierarchy.cpp) nothing in
        // it is a name to constrain. Every check of a use refuses it.)
        {{"codesign", "/O=Evil Corp/CN=Evil Corp Code Signing",
          "keyUsage = critical, digitalSignature\n"
          "extendedKeyUsage = codeSigning\n"},
         {{"sslclient", kPurpose}, {"sslserver", kPurpose}},
         {{"J", "Issuer certificate is invalid"}}},
        // Code signing with a subject and names inside the policy: only the
        // usages refuse it, so OpenSSL without a purpose cannot (docs/ca.md).
        {{"codesign-in-policy", org + "/CN=nas.home.arpa",
          "keyUsage = critical, digitalSignature\n"
          "extendedKeyUsage = codeSigning\n"
          "subjectAltName = DNS:nas.home.arpa\n"},
         {{"sslserver", kPurpose}},
         {{"J", "Issuer certificate is invalid"}}},
        // Only an e-mail name; subject and usages inside the policy.
        {{"email-only", org, tls_eku + "subjectAltName = critical, email:alice@gmail.com\n"},
         {{"", kSubtree}, {"sslclient", kSubtree}, {"smimesign", kPurpose}},
         {{"C", kNssName}, {"S", "Certificate type not approved for application"}}},
        // A URI beside a good DNS name.
        {{"uri", org + "/CN=nas.home.arpa",
          tls_eku + "subjectAltName = DNS:nas.home.arpa, URI:https://accounts.example.com/\n"},
         {{"", kSubtree}, {"sslserver", kSubtree}},
         {{"V", kNssName}}},
        // Not here: a directoryName SAN or a subject naming another
        // organization beside a good DNS name. Only a directoryName subtree
        // refuses those, and Go and pyca/cryptography refuse every chain
        // that carries one (ca/hierarchy.cpp); such a leaf still holds only
        // home names, and no browser shows its subject.
    };
    for (const Case& c : cases) {
      const std::string leaf = MintWithIntermediateKey(dir, c.rogue);
      for (const Judgment& j : c.openssl) {
        auto v = OpensslVerify(dir, leaf, j.how);
        INFO(c.rogue.label << ": openssl verify -purpose '" << j.how << "': " << v.out << v.err);
        CHECK(v.exit_code != 0);
        CHECK_THAT(v.out + v.err, Catch::Contains(j.expected));
      }
      for (const Judgment& j : c.nss) {
        auto v = NssVerify(dir, leaf, j.how);
        INFO(c.rogue.label << ": certutil -V -u " << j.how << ": " << v.out << v.err);
        CHECK(v.exit_code != 0);
        CHECK_THAT(v.out + v.err, Catch::Contains(j.expected));
      }
    }
  }
}

TEST_CASE("CA profile: good leaves of every shape verify in openssl and NSS") {
  if (!testing::HaveProgram("certutil")) {
    FAIL("certutil is needed as the NSS judge (apt-get install libnss3-tools)");
  }
  TempDir dir;
  // An organization with characters that mean something to OpenSSL's config
  // and name syntax, and .local, IP names, wildcards and a CRL URL permitted.
  auto init =
      Homeca(dir, {"init", "--org", "O'Neil & Co, \"Home\" #1 $HOME", "--key", "p384",
                   "--permit-local", "--permit-ip", "192.168.1.0/24", "--permit-ip", "fd00::/8",
                   "--allow-wildcards", "--crl-url", "http://ca.home.arpa/crl.der"});
  INFO(init.err);
  REQUIRE(init.exit_code == 0);
  struct Shape {
    const char* label;
    ossl::Pkey key;
    std::vector<std::string> names;
  };
  Shape shapes[] = {
      {"ec", testing::MakeEcKey(), {"nas", "nas.local", "*.lab.home.arpa"}},
      {"rsa", testing::MakeRsaKey(2048), {"printer.home.arpa"}},
      {"ip-only", testing::MakeEcKey("P-384"), {"192.168.1.10", "fd00::10"}},
  };
  for (Shape& shape : shapes) {
    const std::string label = shape.label;
    testing::WriteText(dir / (label + ".csr"), testing::MakeCsrPem(shape.key.get()));
    std::vector<std::string> args = {"issue", "--csr", (dir / (label + ".csr")).string(), "--out",
                                     (dir / (label + "-chain.pem")).string()};
    for (const std::string& n : shape.names) args.insert(args.end(), {"--name", n});
    auto issued = Homeca(dir, args);
    INFO(label << ": " << issued.err);
    REQUIRE(issued.exit_code == 0);
    const std::string leaf = (dir / (label + ".pem")).string();
    REQUIRE(Run({"openssl", "x509", "-in", (dir / (label + "-chain.pem")).string(), "-out", leaf})
                .exit_code == 0);
    for (const char* purpose : {"", "sslserver", "sslclient"}) {
      auto v = OpensslVerify(dir, leaf, purpose);
      INFO(label << " -purpose '" << purpose << "': " << v.out << v.err);
      CHECK(v.exit_code == 0);
    }
    for (const char* usage : {"V", "C"}) {
      auto v = NssVerify(dir, leaf, usage);
      INFO(label << " -u " << usage << ": " << v.out << v.err);
      CHECK(v.exit_code == 0);
    }
  }
}

TEST_CASE("CA profile: TLS-only usages and the subject and name constraints, read by openssl") {
  TempDir dir;
  REQUIRE(Homeca(dir, {"init", "--org", kOrg}).exit_code == 0);
  for (const char* file : {"root.pem", "intermediate.pem"}) {
    auto text = Run({"openssl", "x509", "-noout", "-text", "-in", (dir / "ca" / file).string()});
    REQUIRE(text.exit_code == 0);
    INFO(file << ":\n" << text.out);
    // Not critical (the line would read "X509v3 Extended Key Usage: critical").
    CHECK_THAT(text.out, Catch::Contains("X509v3 Extended Key Usage: \n"
                                         "                TLS Web Server Authentication, "
                                         "TLS Web Client Authentication"));
    CHECK_THAT(text.out, Catch::Contains("X509v3 Name Constraints: critical"));
    CHECK_THAT(text.out, Catch::Contains("email:homeca.invalid"));
    CHECK_THAT(text.out, Catch::Contains("URI:homeca.invalid"));
    // Every name form in the constraints is one Go's crypto/x509 handles;
    // any other (a DirName) makes Go refuse the whole chain with
    // "x509: unhandled critical extension".
    const std::size_t start = text.out.find("X509v3 Name Constraints: critical\n");
    REQUIRE(start != std::string::npos);
    std::istringstream constraints(text.out.substr(start));
    std::string line;
    std::getline(constraints, line);  // the heading
    int forms = 0;
    while (std::getline(constraints, line) && line.rfind("                ", 0) == 0) {
      const std::string entry = line.substr(line.find_first_not_of(' '));
      if (entry == "Permitted:" || entry == "Excluded:") continue;
      ++forms;
      INFO("constraint: " << entry);
      CHECK((entry.rfind("DNS:", 0) == 0 || entry.rfind("IP:", 0) == 0 ||
             entry.rfind("email:", 0) == 0 || entry.rfind("URI:", 0) == 0));
    }
    CHECK(forms >= 5);  // home.arpa, two IP exclusions, e-mail, URI
    CHECK_THAT(text.out, Catch::Contains("Subject: O = Test Home, CN = Test Home"));
  }
  auto key = testing::MakeEcKey();
  testing::WriteText(dir / "ip.csr", testing::MakeCsrPem(key.get()));
  auto issued = Homeca(dir, {"issue", "--csr", (dir / "ip.csr").string(), "--name", "nas", "--out",
                             (dir / "chain.pem").string()});
  REQUIRE(issued.exit_code == 0);
  auto leaf = Run({"openssl", "x509", "-noout", "-subject", "-in", (dir / "chain.pem").string()});
  CHECK(leaf.out == "subject=O = Test Home, CN = nas.home.arpa\n");
}

TEST_CASE(
    "CA profile: a root with a directoryName constraint, as made before 2026-12, is spotted") {
  TempDir dir;
  REQUIRE(Homeca(dir, {"init", "--org", kOrg}).exit_code == 0);
  auto root = ca::Certificate::FromPem(testing::ReadText(dir / "ca" / "root.pem"));
  REQUIRE(root.ok());
  CHECK_FALSE(ca::HasDirectoryNameConstraint(*root));
  // The old profile's constraints, made by openssl itself.
  testing::WriteText(
      dir / "old.cnf",
      "[req]\ndistinguished_name = dn\n[dn]\n[v3]\nbasicConstraints = critical, CA:TRUE\n"
      "nameConstraints = critical, permitted;DNS:home.arpa, "
      "permitted;dirName:dir_sect\n[dir_sect]\nO = Test Home\n");
  auto made = Run({"openssl",
                   "req",
                   "-x509",
                   "-newkey",
                   "ec",
                   "-pkeyopt",
                   "ec_paramgen_curve:P-256",
                   "-nodes",
                   "-keyout",
                   (dir / "old-key.pem").string(),
                   "-out",
                   (dir / "old.pem").string(),
                   "-subj",
                   "/O=Test Home/CN=Old Root",
                   "-days",
                   "30",
                   "-config",
                   (dir / "old.cnf").string(),
                   "-extensions",
                   "v3"});
  INFO(made.err);
  REQUIRE(made.exit_code == 0);
  auto old = ca::Certificate::FromPem(testing::ReadText(dir / "old.pem"));
  REQUIRE(old.ok());
  CHECK(ca::HasDirectoryNameConstraint(*old));
}

}  // namespace
}  // namespace homeca
