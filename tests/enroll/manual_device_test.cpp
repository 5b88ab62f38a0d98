// Devices without a shell (enroll/manual_device.h): a CSR the admin uploads
// or a key the CA makes becomes a device like any other (listed, revocable,
// with a lineage), only for the device's own names, and a CSR that asks for
// another name issues nothing.
#include "enroll/manual_device.h"

#include <openssl/x509.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <thread>
#include <vector>

#include "enroll/pairing_admin.h"
#include "tests/enroll/enroll_fixture.h"
#include "tests/support/csr_factory.h"

namespace homeca::enroll {
namespace {

std::string CsrFor(const std::string& common_name, std::vector<std::string> sans = {}) {
  ossl::Pkey key = testing::MakeEcKey();
  testing::CsrOptions options;
  options.common_name = common_name;
  options.dns_names = std::move(sans);
  return testing::MakeCsrPem(key.get(), options);
}

std::vector<ca::DeviceRecord> Devices(TestCa& ca) {
  auto devices = ca->pairings().ListDevices();
  REQUIRE(devices.ok());
  return *devices;
}

TEST_CASE("an uploaded CSR becomes a paired device renewed by hand") {
  TestCa ca;
  auto issued = IssueForCsr(*ca, "nas", CsrFor("nas.home.arpa", {"nas.local"}), "admin");
  INFO(issued.status().message());
  REQUIRE(issued.ok());
  CHECK_FALSE(issued->renewed);
  CHECK(issued->issued.leaf.SubjectAltNames() ==
        std::vector<std::string>{"nas.home.arpa", "nas.local"});
  CHECK(issued->issued.chain.size() == 2);
  CHECK(issued->issued.record.requester == "admin");

  std::vector<ca::DeviceRecord> devices = Devices(ca);
  REQUIRE(devices.size() == 1);
  CHECK(devices[0].pairing.id == issued->pairing_id);
  CHECK(IsManualPairing(devices[0].pairing.key));
  CHECK(devices[0].pairing.state == ca::PairingState::kPaired);
  REQUIRE(devices[0].current);
  CHECK(devices[0].current->serial_hex == issued->issued.record.serial_hex);
  CHECK(ca.AuditText().find("serial " + issued->issued.record.serial_hex) != std::string::npos);
}

TEST_CASE("a new CSR for the same name renews that device instead of adding one") {
  TestCa ca;
  auto first = IssueForCsr(*ca, "printer", CsrFor(""), "admin");
  REQUIRE(first.ok());
  ca.clock.Advance(3600);
  auto second = IssueForCsr(*ca, "printer.home.arpa", CsrFor("printer.home.arpa"), "admin");
  INFO(second.status().message());
  REQUIRE(second.ok());
  CHECK(second->renewed);
  CHECK(second->pairing_id == first->pairing_id);
  std::vector<ca::DeviceRecord> devices = Devices(ca);
  REQUIRE(devices.size() == 1);
  CHECK(devices[0].renewals == 1);
  CHECK(devices[0].current->serial_hex == second->issued.record.serial_hex);
}

TEST_CASE("uploads for one new name at the same moment make one device") {
  // A double click, or two tabs: without one decision at a time, each upload
  // found no device for the name and made its own.
  TestCa ca;
  constexpr int kUploads = 6;
  std::vector<std::string> csrs;
  for (int i = 0; i < kUploads; ++i) csrs.push_back(CsrFor(""));
  std::vector<Result<ManualCertificate>> results(kUploads, Status::Internal("not run"));
  std::atomic<int> waiting{kUploads};
  std::vector<std::thread> uploads;
  for (int i = 0; i < kUploads; ++i) {
    uploads.emplace_back([&, i] {
      --waiting;
      while (waiting.load() > 0) std::this_thread::yield();
      results[static_cast<std::size_t>(i)] =
          IssueForCsr(*ca, "cam", csrs[static_cast<std::size_t>(i)], "admin");
    });
  }
  for (std::thread& t : uploads) t.join();
  int renewed = 0;
  for (const Result<ManualCertificate>& r : results) {
    INFO(r.status().message());
    REQUIRE(r.ok());
    renewed += r->renewed ? 1 : 0;
  }
  CHECK(Devices(ca).size() == 1);
  CHECK(renewed == kUploads - 1);
}

TEST_CASE("a CSR asking for someone else's name issues nothing") {
  TestCa ca;
  const std::int64_t before = ca.CertificateCount();
  auto refused = IssueForCsr(*ca, "nas", CsrFor("nas.home.arpa", {"printer.home.arpa"}), "admin");
  REQUIRE(refused.status().IsPolicyViolation());
  CHECK(refused.status().message().find("'printer.home.arpa'") != std::string::npos);
  CHECK(ca.CertificateCount() == before);
  CHECK(Devices(ca).empty());
  ca::PairingFilter all;
  all.now = ca.clock.Now();
  CHECK(ca->pairings().ListPairings(all)->empty());  // no pairing left behind either
}

TEST_CASE("bad names and bad CSRs are refused before anything is stored") {
  TestCa ca;
  CHECK(IssueForCsr(*ca, "  ", CsrFor(""), "admin").status().message() ==
        "enter a name for the device, like nas or printer");
  CHECK(IssueForCsr(*ca, "nas.example.com", CsrFor(""), "admin").status().IsPolicyViolation());
  CHECK(IssueForCsr(*ca, "ca", CsrFor(""), "admin").status().message().find("reserved") !=
        std::string::npos);
  CHECK_FALSE(IssueForCsr(*ca, "nas", "not a csr", "admin").ok());
  ossl::Pkey weak = testing::MakeRsaKey(1024);
  CHECK(IssueForCsr(*ca, "nas", testing::MakeCsrPem(weak.get()), "admin")
            .status()
            .IsPolicyViolation());
  CHECK(ca.CertificateCount() == 0);
}

TEST_CASE("a name held by a device that renews itself is not taken over") {
  TestCa ca;
  auto code = CreateCodePairing(*ca, {"tv"}, kDefaultPairingTtlSeconds, "admin");
  REQUIRE(code.ok());
  ca::IssueRequest finish{NewCsrDer(), code->names, 0, "device"};
  finish.pairing_id = code->id;
  REQUIRE(ca->Issue(finish).ok());
  auto refused = IssueForCsr(*ca, "tv", CsrFor(""), "admin");
  REQUIRE(refused.status().IsAlreadyExists());
  CHECK(refused.status().message().find("revoke it on the Devices page first") !=
        std::string::npos);
  CHECK(ca.CertificateCount() == 1);
}

TEST_CASE("a name waiting to pair with a code is not taken by an upload") {
  TestCa ca;
  auto code = CreateCodePairing(*ca, {"tv"}, kDefaultPairingTtlSeconds, "admin");
  REQUIRE(code.ok());
  auto refused = IssueForCsr(*ca, "tv", CsrFor(""), "admin");
  REQUIRE(refused.status().IsAlreadyExists());
  CHECK(refused.status().message() ==
        "tv.home.arpa is already waiting to pair (pairing " + std::to_string(code->id) +
            "). Make a new code on that pairing, or replace it: its code stops working.");
  CHECK(ca.CertificateCount() == 0);
  CHECK(Devices(ca).empty());
  ca::PairingFilter all;
  all.now = ca.clock.Now();
  CHECK(ca->pairings().ListPairings(all)->size() == 1);  // only the code's
}

TEST_CASE("a key the CA makes is handed back and never logged") {
  TestCa ca;
  auto made = IssueWithCaKey(*ca, "camera", ca::DeviceKeyType::kRsa2048, "admin");
  INFO(made.status().message());
  REQUIRE(made.ok());
  CHECK(made->key.Description() == "RSA 2048");
  CHECK(made->certificate.issued.record.key_type == "RSA 2048");
  // As a reader of the certificate sees it (parsed from its DER).
  auto leaf = ca::Certificate::FromDer(made->certificate.issued.leaf.der());
  REQUIRE(leaf.ok());
  CHECK(X509_check_private_key(leaf->native(), made->key.native()) == 1);
  const std::string audit = ca.AuditText();
  CHECK(audit.find("made by the CA and handed out once; not kept") != std::string::npos);
  auto pem = made->key.ToPem();
  REQUIRE(pem.ok());
  // Not the key, nor any line of it, in the audit log or the database.
  const std::string body = pem->substr(pem->find('\n') + 1, 64);
  CHECK(audit.find(body) == std::string::npos);
  const auto db = ca->data_dir().database();
  CHECK((testing::ReadText(db) + testing::ReadText(db.string() + "-wal")).find(body) ==
        std::string::npos);
}

}  // namespace
}  // namespace homeca::enroll
