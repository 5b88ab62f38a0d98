// Concurrent issuance (group commit) and batch issuance.
#include <catch2/catch.hpp>
#include <set>
#include <thread>

#include "ca/authority.h"
#include "ca/store/sqlite/sqlite_store.h"
#include "tests/ca/ca_fixture.h"
#include "tests/ca/verify_judge.h"
#include "tests/support/csr_factory.h"

namespace homeca::ca {
namespace {

TEST_CASE("concurrent issuers all get durable, distinct certificates") {
  testing::TempDir dir;
  auto created = testing::NewAuthority(dir / "ca");
  Authority& ca = *created;
  auto key = testing::MakeEcKey();
  const std::string csr = testing::MakeCsrPem(key.get());
  constexpr int kThreads = 8;
  constexpr int kEach = 15;
  std::vector<std::vector<std::string>> serials(kThreads);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        auto issued = ca.Issue({csr, {"host" + std::to_string(t)}, 0, "thread"});
        if (issued.ok()) {
          serials[t].push_back(issued->record.serial_hex);
        } else {
          ++failures;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(failures == 0);
  std::set<std::string> unique;
  for (const auto& list : serials) unique.insert(list.begin(), list.end());
  CHECK(unique.size() == kThreads * kEach);
  auto reopened = SqliteStore::Open(ca.data_dir().database());
  REQUIRE(reopened.ok());
  for (const std::string& serial : unique) CHECK((*reopened)->FindBySerial(serial).ok());
  auto audit = (*reopened)->ListAudit(1000, 0);
  REQUIRE(audit.ok());
  CHECK(std::count_if(audit->begin(), audit->end(),
                      [](const AuditEntry& e) { return e.action == "issue"; }) == kThreads * kEach);
}

TEST_CASE("a batch stores its good requests and refuses its bad ones alone") {
  testing::TempDir dir;
  auto created = testing::NewAuthority(dir / "ca");
  Authority& ca = *created;
  auto key = testing::MakeEcKey();
  const std::string csr = testing::MakeCsrPem(key.get());
  auto results =
      ca.IssueBatch({{csr, {"a"}}, {csr, {"www.bank.com"}}, {"garbage", {"b"}}, {csr, {"c"}}});
  REQUIRE(results.size() == 4);
  REQUIRE(results[0].ok());
  CHECK(results[1].status().IsPolicyViolation());
  CHECK(results[2].status().IsInvalidArgument());
  REQUIRE(results[3].ok());
  CHECK(results[3]->leaf.SubjectAltNames() == std::vector<std::string>{"c.home.arpa"});
  CertificateFilter all;
  auto count = ca.certificates().Count(all);
  REQUIRE(count.ok());
  CHECK(*count == 2);
  CHECK(testing::JudgeLeaf(ca, results[0]->leaf.Pem()).exit_code == 0);
}

TEST_CASE("a duplicate serial in a batch fails only that entry") {
  testing::TempDir dir;
  auto store = SqliteStore::Open(dir / "ca.db");
  REQUIRE(store.ok());
  CertificateRecord a;
  a.serial_hex = "0a";
  a.fingerprint_sha256 = std::string(64, 'a');
  a.der = {1, 2, 3};
  a.names = {"a.home.arpa"};
  CertificateRecord b = a;
  b.fingerprint_sha256 = std::string(64, 'b');  // same serial as a
  CertificateRecord c = a;
  c.serial_hex = "0c";
  c.fingerprint_sha256 = std::string(64, 'c');
  AuditEntry audit{0, 1, "t", "issue", "x"};
  auto results = (*store)->InsertIssuedBatch({{&a, &audit}, {&b, &audit}, {&c, &audit}});
  CHECK(results[0].ok());
  CHECK(results[1].status().IsAlreadyExists());
  CHECK(results[2].ok());
  auto entries = (*store)->ListAudit(10, 0);
  REQUIRE(entries.ok());
  CHECK(entries->size() == 2);
}

}  // namespace
}  // namespace homeca::ca
