// Backup and restore through a real archive on disk.
#include "ca/backup.h"

#include <archive.h>
#include <archive_entry.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <cstdio>

#include "ca/backup_archive.h"
#include "ca/pwri_envelope.h"
#include "ca/root_export.h"
#include "tests/ca/ca_fixture.h"
#include "tests/ca/verify_judge.h"
#include "tests/support/csr_factory.h"

namespace homeca::ca {
namespace {

constexpr const char* kPass = "correct horse battery staple";

TEST_CASE("a backup restores the same CA with every certificate") {
  testing::TempDir dir;
  auto created = testing::NewAuthority(dir / "ca");
  Authority& ca = *created;
  auto key = testing::MakeEcKey();
  auto issued = ca.Issue({testing::MakeCsrPem(key.get()), {"nas"}});
  REQUIRE(issued.ok());
  REQUIRE(ca.Revoke(issued->record.serial_hex, RevocationReason::kSuperseded, "t").ok());
  auto second = ca.Issue({testing::MakeCsrPem(key.get()), {"nas"}});
  REQUIRE(second.ok());

  const auto archive = dir / "backup.tar.gz";
  REQUIRE(WriteBackup(ca, archive, kPass, "test").ok());
  struct stat st {};
  REQUIRE(::stat(archive.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK(WriteBackup(ca, archive, kPass, "test").IsAlreadyExists());

  REQUIRE(RestoreBackup(archive, dir / "restored", kPass, false, "test").ok());
  auto restored = Authority::Open(dir / "restored");
  REQUIRE(restored.ok());
  CHECK(RootFingerprint((*restored)->root()) == RootFingerprint(ca.root()));
  auto first_back = (*restored)->certificates().FindBySerial(issued->record.serial_hex);
  REQUIRE(first_back.ok());
  CHECK(first_back->revocation.has_value());
  CHECK((*restored)->certificates().FindBySerial(second->record.serial_hex).ok());
  // The restored CA keeps issuing, and its certificates still verify.
  auto after = (*restored)->Issue({testing::MakeCsrPem(key.get()), {"tv"}});
  REQUIRE(after.ok());
  CHECK(testing::JudgeLeaf(**restored, after->leaf.Pem()).exit_code == 0);
  CHECK((*restored)->maintenance().IntegrityCheck().ok());
}

TEST_CASE("restore refuses to overwrite a CA unless forced") {
  testing::TempDir dir;
  auto a = testing::NewAuthority(dir / "a");
  auto b = testing::NewAuthority(dir / "b");
  REQUIRE(WriteBackup(*a, dir / "a.tgz", kPass, "t").ok());
  const std::string b_root = RootFingerprint(b->root());
  b.reset();

  Status refused = RestoreBackup(dir / "a.tgz", dir / "b", kPass, false, "t");
  CHECK(refused.IsAlreadyExists());
  CHECK_THAT(refused.message(), Catch::Contains("--force"));
  auto still_b = Authority::Open(dir / "b");
  REQUIRE(still_b.ok());
  CHECK(RootFingerprint((*still_b)->root()) == b_root);
  still_b->reset();

  REQUIRE(RestoreBackup(dir / "a.tgz", dir / "b", kPass, true, "t").ok());
  auto now_a = Authority::Open(dir / "b");
  REQUIRE(now_a.ok());
  CHECK(RootFingerprint((*now_a)->root()) == RootFingerprint(a->root()));
}

TEST_CASE("a damaged or foreign archive is refused and nothing is written") {
  testing::TempDir dir;
  testing::WriteText(dir / "junk.tgz", "definitely not an archive");
  CHECK(RestoreBackup(dir / "junk.tgz", dir / "target", kPass, false, "t").IsInvalidArgument());
  CHECK_FALSE(std::filesystem::exists(dir / "target" / "ca.db"));
  // A valid tar that is not a homeca backup: refused in the clear, and sealed.
  std::filesystem::create_directory(dir / "other");
  testing::WriteText(dir / "other" / "root.pem", "hello");
  REQUIRE(testing::Run({"tar", "-czf", (dir / "other.tgz").string(), "-C", (dir / "other").string(),
                        "root.pem"})
              .exit_code == 0);
  CHECK_FALSE(RestoreBackup(dir / "other.tgz", dir / "target", kPass, false, "t").ok());
  auto sealed = SealWithPassphrase(testing::ReadText(dir / "other.tgz"), kPass, 1000);
  REQUIRE(sealed.ok());
  testing::WriteText(dir / "other.p7m", *sealed);
  auto status = RestoreBackup(dir / "other.p7m", dir / "target", kPass, false, "t");
  CHECK_FALSE(status.ok());
  CHECK_THAT(status.message(), Catch::Contains("not a homeca backup"));
  CHECK_FALSE(std::filesystem::exists(dir / "target" / "ca.db"));
  CHECK_FALSE(std::filesystem::exists(dir / "target" / "root.pem"));
}

TEST_CASE("a backup is encrypted: not a tar, and only the right passphrase opens it") {
  testing::TempDir dir;
  auto created = testing::NewAuthority(dir / "ca");
  const auto archive = dir / "backup.p7m";
  CHECK(WriteBackup(*created, archive, "short", "t").IsInvalidArgument());
  CHECK(WriteBackup(*created, archive, "", "t").IsInvalidArgument());
  CHECK_FALSE(std::filesystem::exists(archive));
  REQUIRE(WriteBackup(*created, archive, kPass, "t").ok());
  const std::string bytes = testing::ReadText(archive);
  // Neither gzip (1f 8b) nor a tar, and the root key's PEM is nowhere in it.
  CHECK(bytes.substr(0, 2) != "\x1f\x8b");
  CHECK(testing::Run({"tar", "-tzf", archive.string()}).exit_code != 0);
  CHECK(bytes.find("PRIVATE KEY") == std::string::npos);
  // The library's own reader, the stock parser: wrong passphrase refused.
  CHECK(OpenWithPassphrase(bytes, "correct horse battery stapler").status().code() ==
        ErrorCode::kPermissionDenied);
  auto plain = OpenWithPassphrase(bytes, kPass);
  REQUIRE(plain.ok());
  auto files = ParseBackupArchive(*plain);
  REQUIRE(files.ok());
  for (const char* name : {"ca.db", "root.pem", "root-key.pem", "intermediate.pem",
                           "intermediate-key.pem", "crl.pem", "crl.der"}) {
    INFO(name);
    CHECK(files->count(name) == 1);
  }
  // The audit entry says what was done, never the passphrase.
  auto audit = created->audit_log().ListAudit(1, 0);
  REQUIRE(audit.ok());
  REQUIRE(audit->size() == 1);
  CHECK(audit->front().action == "backup");
  CHECK(audit->front().detail.find(kPass) == std::string::npos);
}

TEST_CASE("a wrong passphrase restores nothing and leaves an existing CA alone") {
  testing::TempDir dir;
  auto a = testing::NewAuthority(dir / "a");
  auto b = testing::NewAuthority(dir / "b");
  REQUIRE(WriteBackup(*a, dir / "a.p7m", kPass, "t").ok());
  const std::string b_root = testing::ReadText(dir / "b" / "root.pem");
  const std::string b_key = testing::ReadText(dir / "b" / "intermediate-key.pem");
  b.reset();
  Status wrong = RestoreBackup(dir / "a.p7m", dir / "b", "not the passphrase", true, "t");
  CHECK(wrong.code() == ErrorCode::kPermissionDenied);
  CHECK_THAT(wrong.message(), Catch::Contains("wrong passphrase"));
  CHECK(testing::ReadText(dir / "b" / "root.pem") == b_root);
  CHECK(testing::ReadText(dir / "b" / "intermediate-key.pem") == b_key);
  CHECK(RestoreBackup(dir / "a.p7m", dir / "fresh", "not the passphrase", false, "t").code() ==
        ErrorCode::kPermissionDenied);
  CHECK_FALSE(std::filesystem::exists(dir / "fresh" / "ca.db"));
}

TEST_CASE("the archive reader refuses hostile members") {
  BackupFiles files{
      {"ca.db", "x"}, {"root.pem", "r"}, {"intermediate.pem", "i"}, {"intermediate-key.pem", "k"}};
  auto good = BuildBackupArchive(files, 0);
  REQUIRE(good.ok());
  auto parsed = ParseBackupArchive(*good);
  REQUIRE(parsed.ok());
  CHECK(parsed->count("root-key.pem") == 0);  // optional: the root key may be offline
  files.erase("intermediate-key.pem");
  auto missing = BuildBackupArchive(files, 0);
  REQUIRE(missing.ok());
  CHECK(ParseBackupArchive(*missing).status().IsInvalidArgument());
  files.emplace("../evil", std::string("x"));
  auto evil = BuildBackupArchive(files, 0);
  REQUIRE(evil.ok());
  CHECK_THAT(ParseBackupArchive(*evil).status().message(), Catch::Contains("unexpected entry"));
  CHECK_FALSE(ParseBackupArchive("").ok());
  CHECK_FALSE(ParseBackupArchive(good->substr(0, good->size() / 2)).ok());
}

// A gzip stream of one ustar header that declares `declared` bytes for
// "ca.db", followed by only `actual` bytes of data: a lying, truncated tar.
std::string LyingTarGz(long long declared, std::size_t actual) {
  std::string block(512, '\0');
  auto put = [&](std::size_t at, const std::string& text) { block.replace(at, text.size(), text); };
  char field[16];
  put(0, "ca.db");
  put(100, "0000644");
  put(108, "0000000");
  put(116, "0000000");
  std::snprintf(field, sizeof field, "%011llo", declared);
  put(124, field);
  put(136, "00000000000");
  put(148, "        ");  // the checksum counts its own field as spaces
  block[156] = '0';
  put(257, std::string("ustar\0", 6));
  put(263, "00");
  unsigned sum = 0;
  for (unsigned char c : block) sum += c;
  std::snprintf(field, sizeof field, "%06o", sum);
  put(148, std::string(field) + std::string(1, '\0') + " ");
  block += std::string(actual, 'x');

  std::string out;
  struct archive* a = archive_write_new();
  archive_write_add_filter_gzip(a);
  archive_write_set_format_raw(a);
  archive_write_set_bytes_in_last_block(a, 1);
  auto append = [](struct archive*, void* client, const void* buffer, size_t length) {
    static_cast<std::string*>(client)->append(static_cast<const char*>(buffer), length);
    return static_cast<la_ssize_t>(length);
  };
  REQUIRE(archive_write_open(a, &out, nullptr, append, nullptr) == ARCHIVE_OK);
  struct archive_entry* entry = archive_entry_new();
  archive_entry_set_filetype(entry, AE_IFREG);
  REQUIRE(archive_write_header(a, entry) == ARCHIVE_OK);
  REQUIRE(archive_write_data(a, block.data(), block.size()) ==
          static_cast<la_ssize_t>(block.size()));
  archive_entry_free(entry);
  archive_write_close(a);
  archive_write_free(a);
  return out;
}

long PeakRssKiB() {
  struct rusage usage {};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

// The declared size is a claim, not a promise: memory follows the bytes that
// really arrive, so a few hundred bytes cannot make restore allocate 512 MiB.
TEST_CASE("the archive reader does not trust a member's declared size") {
  const std::string lying = LyingTarGz(512LL << 20, 100);
  const long before = PeakRssKiB();
  auto parsed = ParseBackupArchive(lying);
  const long grown_kib = PeakRssKiB() - before;
  CHECK_FALSE(parsed.ok());
  INFO("peak RSS grew by " << grown_kib << " KiB");
  CHECK(grown_kib < 64 * 1024);
}

}  // namespace
}  // namespace homeca::ca

namespace homeca::ca {
namespace {

TEST_CASE("a backup with a corrupt database restores nothing") {
  testing::TempDir dir;
  auto created = testing::NewAuthority(dir / "ca");
  REQUIRE(WriteBackup(*created, dir / "good.p7m", kPass, "t").ok());
  auto plain = OpenWithPassphrase(testing::ReadText(dir / "good.p7m"), kPass);
  REQUIRE(plain.ok());
  auto files = ParseBackupArchive(*plain);
  REQUIRE(files.ok());
  std::string& db = (*files)["ca.db"];
  REQUIRE(db.size() > 8192);
  for (std::size_t i = 4096; i < db.size(); i += 97) db[i] = static_cast<char>(db[i] ^ 0x5a);
  auto archive = BuildBackupArchive(*files, 0);
  REQUIRE(archive.ok());
  auto sealed = SealWithPassphrase(*archive, kPass, 1000);
  REQUIRE(sealed.ok());
  testing::WriteText(dir / "bad.p7m", *sealed);
  Status status = RestoreBackup(dir / "bad.p7m", dir / "target", kPass, false, "t");
  CHECK_FALSE(status.ok());
  for (const char* name : {"ca.db", "ca.db-wal", "ca.db-shm", "root.pem", "intermediate-key.pem"}) {
    INFO(name);
    CHECK_FALSE(std::filesystem::exists(dir / "target" / name));
  }
}

}  // namespace
}  // namespace homeca::ca

namespace homeca::ca {
namespace {

TEST_CASE("the envelope reader opens what stock openssl cms writes, DER and PEM") {
  testing::TempDir dir;
  testing::WriteText(dir / "plain", "hello from openssl");
  for (const char* form : {"DER", "PEM"}) {
    INFO(form);
    const auto out = dir / (std::string("sealed.") + form);
    auto sealed = testing::Run({"openssl", "cms", "-encrypt", "-aes256", "-binary", "-in",
                                (dir / "plain").string(), "-outform", form, "-out", out.string(),
                                "-pwri_password", kPass});
    INFO(sealed.err);
    REQUIRE(sealed.exit_code == 0);
    auto opened = OpenWithPassphrase(testing::ReadText(out), kPass);
    REQUIRE(opened.ok());
    CHECK(*opened == "hello from openssl");
    CHECK(OpenWithPassphrase(testing::ReadText(out), "wrong passphrase!").status().code() ==
          ErrorCode::kPermissionDenied);
  }
  // And what homeca seals, stock openssl opens from PEM too.
  auto ours = SealWithPassphrase("sealed by homeca", kPass, 1000);
  REQUIRE(ours.ok());
  testing::WriteText(dir / "ours.der", *ours);
  auto pem = testing::Run({"openssl", "cms", "-cmsout", "-inform", "DER", "-in",
                           (dir / "ours.der").string(), "-outform", "PEM"});
  REQUIRE(pem.exit_code == 0);
  auto back = OpenWithPassphrase(pem.out, kPass);
  REQUIRE(back.ok());
  CHECK(*back == "sealed by homeca");
}

}  // namespace
}  // namespace homeca::ca

namespace homeca::ca {
namespace {

// AES-256-GCM (AuthEnvelopedData): one flipped bit anywhere in the sealed
// content is refused, not opened into altered data.
TEST_CASE("an altered envelope is refused, not opened") {
  auto sealed = SealWithPassphrase(std::string(4096, 'x'), kPass, 1000);
  REQUIRE(sealed.ok());
  auto intact = OpenWithPassphrase(*sealed, kPass);
  REQUIRE(intact.ok());
  CHECK(*intact == std::string(4096, 'x'));
  for (std::size_t from_end : {std::size_t{20}, std::size_t{100}, std::size_t{2000}}) {
    INFO(from_end);
    std::string altered = *sealed;
    altered[altered.size() - from_end] ^= 0x01;
    auto opened = OpenWithPassphrase(altered, kPass);
    CHECK(!opened.ok());
  }
}

TEST_CASE("a backup without the root key restores either way") {
  testing::TempDir dir;
  auto created = testing::NewAuthority(dir / "ca");
  const std::string root_key = testing::ReadText(dir / "ca" / "root-key.pem");
  std::filesystem::remove(dir / "ca" / "root-key.pem");  // as if taken offline
  REQUIRE(WriteBackup(*created, dir / "offline.p7m", kPass, "t").ok());
  auto plain = OpenWithPassphrase(testing::ReadText(dir / "offline.p7m"), kPass);
  REQUIRE(plain.ok());
  auto files = ParseBackupArchive(*plain);
  REQUIRE(files.ok());
  CHECK(files->count("root-key.pem") == 0);
  // Onto a fresh directory: no root key there either, and the CA works.
  REQUIRE(RestoreBackup(dir / "offline.p7m", dir / "fresh", kPass, false, "t").ok());
  CHECK_FALSE(std::filesystem::exists(dir / "fresh" / "root-key.pem"));
  auto fresh = Authority::Open(dir / "fresh");
  REQUIRE(fresh.ok());
  CHECK((*fresh)->PublishCrl("t").ok());
  // Over the same CA whose root key is back on the box: the key stays.
  testing::WriteText(dir / "ca" / "root-key.pem", root_key);
  created.reset();
  REQUIRE(RestoreBackup(dir / "offline.p7m", dir / "ca", kPass, true, "t").ok());
  CHECK(testing::ReadText(dir / "ca" / "root-key.pem") == root_key);
  // Over another CA: that CA's root key goes with it.
  auto other = testing::NewAuthority(dir / "other");
  other.reset();
  REQUIRE(RestoreBackup(dir / "offline.p7m", dir / "other", kPass, true, "t").ok());
  CHECK_FALSE(std::filesystem::exists(dir / "other" / "root-key.pem"));
}

}  // namespace
}  // namespace homeca::ca
