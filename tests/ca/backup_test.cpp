// Backup and restore through a real archive on disk.
#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "ca/backup.h"
#include "ca/root_export.h"
#include "tests/ca/ca_fixture.h"
#include "tests/ca/verify_judge.h"
#include "tests/support/csr_factory.h"

namespace homeca::ca {
namespace {

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
  REQUIRE(WriteBackup(ca, archive, "test").ok());
  struct stat st{};
  REQUIRE(::stat(archive.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK(WriteBackup(ca, archive, "test").IsAlreadyExists());

  REQUIRE(RestoreBackup(archive, dir / "restored", false, "test").ok());
  auto restored = Authority::Open(dir / "restored");
  REQUIRE(restored.ok());
  CHECK(RootFingerprint((*restored)->root()) == RootFingerprint(ca.root()));
  auto first_back = (*restored)->store().FindBySerial(issued->record.serial_hex);
  REQUIRE(first_back.ok());
  CHECK(first_back->revocation.has_value());
  CHECK((*restored)->store().FindBySerial(second->record.serial_hex).ok());
  // The restored CA keeps issuing, and its certificates still verify.
  auto after = (*restored)->Issue({testing::MakeCsrPem(key.get()), {"tv"}});
  REQUIRE(after.ok());
  CHECK(testing::JudgeLeaf(**restored, after->leaf.Pem()).exit_code == 0);
  CHECK((*restored)->store().IntegrityCheck().ok());
}

TEST_CASE("restore refuses to overwrite a CA unless forced") {
  testing::TempDir dir;
  auto a = testing::NewAuthority(dir / "a");
  auto b = testing::NewAuthority(dir / "b");
  REQUIRE(WriteBackup(*a, dir / "a.tgz", "t").ok());
  const std::string b_root = RootFingerprint(b->root());
  b.reset();

  Status refused = RestoreBackup(dir / "a.tgz", dir / "b", false, "t");
  CHECK(refused.IsAlreadyExists());
  CHECK_THAT(refused.message(), Catch::Contains("--force"));
  auto still_b = Authority::Open(dir / "b");
  REQUIRE(still_b.ok());
  CHECK(RootFingerprint((*still_b)->root()) == b_root);
  still_b->reset();

  REQUIRE(RestoreBackup(dir / "a.tgz", dir / "b", true, "t").ok());
  auto now_a = Authority::Open(dir / "b");
  REQUIRE(now_a.ok());
  CHECK(RootFingerprint((*now_a)->root()) == RootFingerprint(a->root()));
}

TEST_CASE("a damaged or foreign archive is refused and nothing is written") {
  testing::TempDir dir;
  testing::WriteText(dir / "junk.tgz", "definitely not an archive");
  CHECK_FALSE(RestoreBackup(dir / "junk.tgz", dir / "target", false, "t").ok());
  CHECK_FALSE(std::filesystem::exists(dir / "target" / "ca.db"));
  // A valid tar that is not a homeca backup.
  std::filesystem::create_directory(dir / "other");
  testing::WriteText(dir / "other" / "root.pem", "hello");
  REQUIRE(testing::Run({"tar", "-czf", (dir / "other.tgz").string(), "-C",
                        (dir / "other").string(), "root.pem"})
              .exit_code == 0);
  auto status = RestoreBackup(dir / "other.tgz", dir / "target", false, "t");
  CHECK_FALSE(status.ok());
  CHECK_FALSE(std::filesystem::exists(dir / "target" / "ca.db"));
  CHECK_FALSE(std::filesystem::exists(dir / "target" / "root.pem"));
}

}  // namespace
}  // namespace homeca::ca

namespace homeca::ca {
namespace {

TEST_CASE("a backup with a corrupt database restores nothing") {
  testing::TempDir dir;
  auto created = testing::NewAuthority(dir / "ca");
  REQUIRE(WriteBackup(*created, dir / "good.tgz", "t").ok());
  std::filesystem::create_directory(dir / "x");
  REQUIRE(testing::Run({"tar", "-xzf", (dir / "good.tgz").string(), "-C", (dir / "x").string()})
              .exit_code == 0);
  std::string db = testing::ReadText(dir / "x" / "ca.db");
  REQUIRE(db.size() > 8192);
  for (std::size_t i = 4096; i < db.size(); i += 97) db[i] = static_cast<char>(db[i] ^ 0x5a);
  testing::WriteText(dir / "x" / "ca.db", db);
  REQUIRE(testing::Run({"tar", "-czf", (dir / "bad.tgz").string(), "-C", (dir / "x").string(),
                        "HOMECA-BACKUP", "ca.db", "root.pem", "root-key.pem", "intermediate.pem",
                        "intermediate-key.pem"})
              .exit_code == 0);
  Status status = RestoreBackup(dir / "bad.tgz", dir / "target", false, "t");
  CHECK_FALSE(status.ok());
  for (const char* name : {"ca.db", "ca.db-wal", "ca.db-shm", "root.pem", "intermediate-key.pem"}) {
    INFO(name);
    CHECK_FALSE(std::filesystem::exists(dir / "target" / name));
  }
}

}  // namespace
}  // namespace homeca::ca
