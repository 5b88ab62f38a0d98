// `homeca backup` / `restore` / `root-key` / `intermediate renew` run as real
// processes, judged by stock openssl and tar.
#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "tests/support/csr_factory.h"
#include "tests/support/process.h"

namespace homeca {
namespace {

using testing::ProcessResult;
using testing::Run;

constexpr const char* kPass = "correct horse battery staple";

ProcessResult Homeca(const std::filesystem::path& data_dir, std::vector<std::string> args,
                     const std::string& input = "") {
  args.insert(args.begin(), testing::BuiltProgram("ca/homeca"));
  args.push_back("--data-dir=" + data_dir.string());
  return Run(args, input);
}

std::string Fingerprint(const std::filesystem::path& cert) {
  return Run({"openssl", "x509", "-noout", "-fingerprint", "-sha256", "-in", cert.string()}).out;
}

// The archive names `tar -tz` lists in the CMS content stock openssl decrypts.
std::string DecryptAndList(const testing::TempDir& dir, const std::filesystem::path& backup) {
  ProcessResult decrypted =
      Run({"openssl", "cms", "-decrypt", "-inform", "DER", "-in", backup.string(), "-pwri_password",
           kPass, "-out", (dir / "plain.tgz").string()});
  INFO(decrypted.err);
  REQUIRE(decrypted.exit_code == 0);
  ProcessResult listed = Run({"tar", "-tzf", (dir / "plain.tgz").string()});
  REQUIRE(listed.exit_code == 0);
  std::filesystem::remove(dir / "plain.tgz");
  return listed.out;
}

TEST_CASE("homeca backup: encrypted for stock openssl, restore needs the passphrase") {
  testing::TempDir dir;
  const auto ca = dir / "ca";
  REQUIRE(Homeca(ca, {"init", "--org", "Backup Home"}).exit_code == 0);
  testing::WriteText(dir / "pass", std::string(kPass) + "\n");
  testing::WriteText(dir / "short", "tiny\n");
  testing::WriteText(dir / "wrong", "not the right passphrase\n");
  const auto backup = dir / "ca.backup";

  ProcessResult short_pass = Homeca(
      ca, {"backup", "--out", backup.string(), "--passphrase-file", (dir / "short").string()});
  CHECK(short_pass.exit_code != 0);
  CHECK_THAT(short_pass.err, Catch::Contains("at least 12 characters"));
  ProcessResult no_terminal = Homeca(ca, {"backup", "--out", backup.string()});
  CHECK(no_terminal.exit_code != 0);
  CHECK_THAT(no_terminal.err, Catch::Contains("--passphrase-file"));
  CHECK_FALSE(std::filesystem::exists(backup));

  ProcessResult made = Homeca(
      ca, {"backup", "--out", backup.string(), "--passphrase-file", (dir / "pass").string()});
  INFO(made.err);
  REQUIRE(made.exit_code == 0);
  struct stat st {};
  REQUIRE(::stat(backup.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  // Not a plain tar (it was, before backups were encrypted).
  CHECK(Run({"tar", "-tzf", backup.string()}).exit_code != 0);
  CHECK(testing::ReadText(backup).find("PRIVATE KEY") == std::string::npos);
  // Stock openssl opens it with the passphrase and the CA's files are inside.
  const std::string listing = DecryptAndList(dir, backup);
  for (const char* name : {"HOMECA-BACKUP", "ca.db", "root.pem", "root-key.pem", "intermediate.pem",
                           "intermediate-key.pem", "crl.pem"}) {
    INFO(name);
    CHECK_THAT(listing, Catch::Contains(name));
  }
  // The KDF is PBKDF2 (OpenSSL's PWRI: HMAC-SHA1, the PRF left implicit)
  // with 1,300,000 iterations.
  ProcessResult asn1 = Run({"openssl", "asn1parse", "-inform", "DER", "-in", backup.string()});
  CHECK_THAT(asn1.out, Catch::Contains("PBKDF2"));
  CHECK_THAT(asn1.out, Catch::Contains(":13D620"));  // 1300000
  CHECK_THAT(asn1.out, Catch::Contains("id-alg-PWRI-KEK"));
  CHECK_THAT(asn1.out, Catch::Contains("aes-256-cbc"));  // the RFC 3211 key wrap
  CHECK_THAT(asn1.out, Catch::Contains("id-smime-ct-authEnvelopedData"));
  CHECK_THAT(asn1.out, Catch::Contains("aes-256-gcm"));

  // A wrong passphrase: a clear error, and neither a new nor an existing CA changes.
  ProcessResult wrong = Homeca(dir / "restored", {"restore", "--from", backup.string(),
                                                  "--passphrase-file", (dir / "wrong").string()});
  CHECK(wrong.exit_code != 0);
  CHECK_THAT(wrong.err, Catch::Contains("wrong passphrase"));
  CHECK_FALSE(std::filesystem::exists(dir / "restored" / "ca.db"));
  REQUIRE(Homeca(dir / "other", {"init", "--org", "Other"}).exit_code == 0);
  const std::string other_root = testing::ReadText(dir / "other" / "root.pem");
  ProcessResult wrong_force =
      Homeca(dir / "other", {"restore", "--from", backup.string(), "--force", "--passphrase-file",
                             (dir / "wrong").string()});
  CHECK(wrong_force.exit_code != 0);
  CHECK(testing::ReadText(dir / "other" / "root.pem") == other_root);

  // The right one, from a descriptor this time (stdin), restores the same CA.
  ProcessResult restored = Homeca(
      dir / "restored", {"restore", "--from", backup.string(), "--passphrase-fd", "0"}, kPass);
  INFO(restored.err);
  REQUIRE(restored.exit_code == 0);
  CHECK(Fingerprint(dir / "restored" / "root.pem") == Fingerprint(ca / "root.pem"));
  CHECK(Homeca(dir / "restored", {"crl"}).exit_code == 0);
  // Audited, without the passphrase.
  ProcessResult audit = Homeca(ca, {"audit"});
  CHECK_THAT(audit.out, Catch::Contains("backup"));
  CHECK(audit.out.find(kPass) == std::string::npos);
}

TEST_CASE("homeca root-key: export encrypted, delete, keep working, renew the intermediate") {
  testing::TempDir dir;
  const auto ca = dir / "ca";
  REQUIRE(Homeca(ca, {"init", "--org", "Offline Home"}).exit_code == 0);
  testing::WriteText(dir / "pass", std::string(kPass) + "\n");
  testing::WriteText(dir / "wrong", "not the right passphrase\n");
  CHECK_THAT(Homeca(ca, {"root-key", "status"}).out, Catch::Contains("on this box"));

  // Deleting before any export is refused.
  ProcessResult early = Homeca(ca, {"root-key", "delete", "--exported", (dir / "none").string()});
  CHECK(early.exit_code != 0);
  CHECK(std::filesystem::exists(ca / "root-key.pem"));

  const auto exported = dir / "root-key.enc.pem";
  ProcessResult exp = Homeca(ca, {"root-key", "export", "--out", exported.string(),
                                  "--passphrase-file", (dir / "pass").string()});
  INFO(exp.err);
  REQUIRE(exp.exit_code == 0);
  const std::string pem = testing::ReadText(exported);
  CHECK_THAT(pem, Catch::StartsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
  // openssl pkey opens it with the passphrase, and it is the root's key.
  ProcessResult pub = Run({"openssl", "pkey", "-in", exported.string(), "-passin",
                           "file:" + (dir / "pass").string(), "-pubout"});
  INFO(pub.err);
  REQUIRE(pub.exit_code == 0);
  ProcessResult root_pub =
      Run({"openssl", "x509", "-in", (ca / "root.pem").string(), "-noout", "-pubkey"});
  CHECK(pub.out == root_pub.out);
  CHECK(Run({"openssl", "pkey", "-in", exported.string(), "-passin",
             "file:" + (dir / "wrong").string(), "-noout"})
            .exit_code != 0);
  ProcessResult asn1 = Run({"openssl", "asn1parse", "-in", exported.string()});
  CHECK_THAT(asn1.out, Catch::Contains("PBES2"));
  CHECK_THAT(asn1.out, Catch::Contains("hmacWithSHA256"));
  CHECK_THAT(asn1.out, Catch::Contains("aes-256-cbc"));

  // delete checks the export opens with its passphrase first.
  ProcessResult bad = Homeca(ca, {"root-key", "delete", "--exported", exported.string(),
                                  "--passphrase-file", (dir / "wrong").string()});
  CHECK(bad.exit_code != 0);
  CHECK(std::filesystem::exists(ca / "root-key.pem"));
  ProcessResult deleted = Homeca(ca, {"root-key", "delete", "--exported", exported.string(),
                                      "--passphrase-file", (dir / "pass").string()});
  INFO(deleted.err);
  REQUIRE(deleted.exit_code == 0);
  CHECK_FALSE(std::filesystem::exists(ca / "root-key.pem"));
  CHECK_THAT(Homeca(ca, {"root-key", "status"}).out, Catch::Contains("offline since"));

  // Issuing, revoking and CRLs need only the intermediate.
  auto key = testing::MakeEcKey();
  testing::WriteText(dir / "nas.csr", testing::MakeCsrPem(key.get()));
  ProcessResult issued = Homeca(ca, {"issue", "--csr", (dir / "nas.csr").string(), "--name", "nas",
                                     "--out", (dir / "chain.pem").string()});
  INFO(issued.err);
  REQUIRE(issued.exit_code == 0);
  CHECK(Homeca(ca, {"crl"}).exit_code == 0);

  // A backup made now does not hold the root key, and restores.
  const auto backup = dir / "offline.backup";
  REQUIRE(
      Homeca(ca, {"backup", "--out", backup.string(), "--passphrase-file", (dir / "pass").string()})
          .exit_code == 0);
  const std::string listing = DecryptAndList(dir, backup);
  CHECK_THAT(listing, Catch::Contains("intermediate-key.pem"));
  CHECK(listing.find("root-key.pem") == std::string::npos);
  ProcessResult restored = Homeca(dir / "restored", {"restore", "--from", backup.string(),
                                                     "--passphrase-file", (dir / "pass").string()});
  INFO(restored.err);
  REQUIRE(restored.exit_code == 0);
  CHECK_FALSE(std::filesystem::exists(dir / "restored" / "root-key.pem"));
  CHECK_THAT(Homeca(dir / "restored", {"root-key", "status"}).out,
             Catch::Contains("offline since"));

  // Renewing the intermediate now needs the exported key and its passphrase.
  const std::string old_intermediate = testing::ReadText(ca / "intermediate.pem");
  ProcessResult no_key = Homeca(ca, {"intermediate", "renew"});
  CHECK(no_key.exit_code != 0);
  CHECK_THAT(no_key.err, Catch::Contains("--root-key"));
  ProcessResult wrong_pass = Homeca(ca, {"intermediate", "renew", "--root-key", exported.string(),
                                         "--passphrase-file", (dir / "wrong").string()});
  CHECK(wrong_pass.exit_code != 0);
  CHECK_THAT(wrong_pass.err, Catch::Contains("wrong passphrase"));
  // Another CA's root key is refused.
  REQUIRE(Homeca(dir / "other", {"init", "--org", "Other"}).exit_code == 0);
  ProcessResult foreign = Homeca(
      ca, {"intermediate", "renew", "--root-key", (dir / "other" / "root-key.pem").string()});
  CHECK(foreign.exit_code != 0);
  CHECK_THAT(foreign.err, Catch::Contains("not this CA's root key"));
  CHECK(testing::ReadText(ca / "intermediate.pem") == old_intermediate);
  ProcessResult renewed =
      Homeca(ca, {"intermediate", "renew", "--root-key", exported.string(), "--passphrase-file",
                  (dir / "pass").string(), "--days", "400"});
  INFO(renewed.err);
  REQUIRE(renewed.exit_code == 0);
  CHECK(testing::ReadText(ca / "intermediate.pem") != old_intermediate);
  // The new intermediate chains to the root, and the leaf issued before still
  // verifies under it (same key and name).
  CHECK(Run({"openssl", "verify", "-CAfile", (ca / "root.pem").string(),
             (ca / "intermediate.pem").string()})
            .exit_code == 0);
  CHECK(Run({"openssl", "verify", "-CAfile", (ca / "root.pem").string(), "-untrusted",
             (ca / "intermediate.pem").string(), (dir / "chain.pem").string()})
            .exit_code == 0);
  ProcessResult audit = Homeca(ca, {"audit"});
  for (const char* action : {"root-key-export", "root-key-offline", "intermediate-renew"}) {
    CHECK_THAT(audit.out, Catch::Contains(action));
  }
  CHECK(audit.out.find(kPass) == std::string::npos);
}

}  // namespace
}  // namespace homeca
