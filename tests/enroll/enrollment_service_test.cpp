// The CA side of pairing end to end, in process: a real CA on disk, the
// EnrollmentService, and a device that is a real Spake2PlusProver. What the
// device receives is judged by `openssl verify`.
#include "enroll/enrollment_service.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <thread>

#include "ca/store/sqlite/sqlite.h"
#include "enroll/pairing_admin.h"
#include "tests/enroll/enroll_fixture.h"

namespace homeca::enroll {
namespace {

std::string Digits(const CodePairing& p) { return std::string(p.code.digits()); }

CodePairing NewCodePairing(TestCa& ca, const std::vector<std::string>& names = {"nas"}) {
  auto pairing = CreateCodePairing(*ca, names);
  INFO(pairing.status().message());
  REQUIRE(pairing.ok());
  return *pairing;
}

ca::PairingSummary Summary(TestCa& ca, std::int64_t id) {
  ca::PairingFilter filter;
  filter.now = ca.clock.Now();
  auto list = ca->pairings().ListPairings(filter);
  REQUIRE(list.ok());
  for (const auto& p : *list) {
    if (p.id == id) return p;
  }
  FAIL("no pairing " << id);
  return {};
}

int CountAction(TestCa& ca, const std::string& action) {
  int n = 0;
  for (const auto& e : ca.AuditLog()) n += e.action == action ? 1 : 0;
  return n;
}

void CheckNoCodeIn(const std::string& text, const std::string& digits) {
  for (const std::string& form : CodeForms(digits)) {
    INFO("looking for " << form);
    CHECK(text.find(form) == std::string::npos);
  }
}

TEST_CASE("a device pairs with a code the CA made, and openssl verifies what it received") {
  TestCa ca;
  const Bytes hash = RandomServerHash();
  EnrollmentService service(*ca, TestOptions(hash));
  const CodePairing pairing = NewCodePairing(ca, {"nas", "files.home.arpa"});
  TestDevice device = TestDevice::ForSlot(service, Digits(pairing), hash);

  EnrollmentResponse start = device.Start();
  REQUIRE(start.http_status == 200);
  // A code the CA made: scrypt, N = 2^15, r = 8, p = 1 (docs/enrollment-protocol.md).
  CHECK(Json(start.body)->getValue<std::string>("kdf") == "scrypt");
  CHECK(Json(start.body)->getValue<int>("n") == 32768);
  CHECK(Json(start.body)->getValue<int>("r") == 8);
  CHECK(Json(start.body)->getValue<int>("p") == 1);
  CHECK(!Json(start.body)->has("iterations"));
  EnrollmentResponse exchange = device.Exchange();
  REQUIRE(exchange.http_status == 200);
  CHECK(device.confirm_v_ok());
  const std::int64_t before = ca.CertificateCount();
  const std::string csr = NewCsrDer();
  EnrollmentResponse finish = device.Finish(csr);
  INFO(finish.body);
  REQUIRE(finish.http_status == 200);
  CHECK(ca.CertificateCount() == before + 1);

  auto result = device.OpenResult(finish);
  CHECK(Base64UrlDecode(result->getValue<std::string>("root")).value() == ca->root().der());
  auto names = result->getArray("names");
  REQUIRE(names->size() == 3);
  CHECK(names->getElement<std::string>(0) == "nas.home.arpa");
  CHECK(names->getElement<std::string>(1) == "nas.local");  // .local is permitted by default
  CHECK(names->getElement<std::string>(2) == "files.home.arpa");
  CHECK(result->getValue<std::string>("renew_url") == "https://ca.home.arpa/enroll/v1/renew");
  CHECK_THAT(result->getValue<std::string>("not_after"), Catch::EndsWith("Z"));
  for (const char* host : {"nas.home.arpa", "nas.local", "files.home.arpa"}) {
    auto verdict = VerifyWithOpenssl(result, ca->root().der(), host);
    INFO(verdict.out << verdict.err);
    CHECK(verdict.exit_code == 0);
  }
  // The CA decided the names and the requester; the store knows the pairing is used.
  const ca::PairingSummary used = Summary(ca, pairing.id);
  CHECK(used.state == ca::PairingState::kPaired);
  CHECK(used.attempts == 1);
  auto record = ca->certificates().FindBySerial(used.certificate_serial);
  REQUIRE(record.ok());
  CHECK(record->requester == "pairing:" + std::to_string(pairing.id));

  // Every event is in the audit log, and the code never is.
  for (const char* action : {"pairing-created", "pairing-attempt", "pairing-paired", "issue"}) {
    INFO(action);
    CHECK(CountAction(ca, action) == 1);
  }
  CheckNoCodeIn(ca.AuditText(), Digits(pairing));
  for (const auto* r : {&start, &exchange, &finish}) CheckNoCodeIn(r->body, Digits(pairing));

  SECTION("the code is single use: a second pairing with it finds nothing") {
    TestDevice again = TestDevice::ForSlot(service, Digits(pairing), hash);
    EnrollmentResponse reused = again.Start();
    CHECK(reused.http_status == 404);
    CHECK(ErrorOf(reused) == "no_pairing");
    CHECK(ca.CertificateCount() == before + 1);
  }
  SECTION("a replayed finish is out of order and issues nothing") {
    EnrollmentResponse replay = device.Finish(csr);
    CHECK(replay.http_status == 409);
    CHECK(ErrorOf(replay) == "out_of_order");
    CHECK(ca.CertificateCount() == before + 1);
    // Once the session has expired, it is simply unknown.
    ca.clock.Advance(61);
    CHECK(ErrorOf(device.Finish(csr)) == "unknown_session");
  }
}

TEST_CASE("a device with its own code pairs once the admin arms it") {
  TestCa ca;
  const Bytes hash = RandomServerHash();
  EnrollmentService service(*ca, TestOptions(hash));
  auto own = PairingCode::Generate(42);  // the slot digits of a device's code mean nothing
  REQUIRE(own.ok());
  const std::string digits(own->digits());
  TestDevice device = TestDevice::ForDevice(service, "tv-livingroom_7f3a.x", digits, hash);

  EnrollmentResponse early = device.Start();
  CHECK(early.http_status == 404);
  CHECK(ErrorOf(early) == "no_pairing");

  auto armed = ArmDevicePairing(*ca, "tv-livingroom_7f3a.x", own->Display(), {"tv"});
  REQUIRE(armed.ok());
  EnrollmentResponse finish = device.Pair();
  INFO(finish.body);
  REQUIRE(finish.http_status == 200);
  auto verdict = VerifyWithOpenssl(device.OpenResult(finish), ca->root().der(), "tv.home.arpa");
  INFO(verdict.out << verdict.err);
  CHECK(verdict.exit_code == 0);
  CHECK(CountAction(ca, "pairing-armed") == 1);
  CHECK_THAT(ca.AuditText(), Catch::Contains("device:tv-livingroom_7f3a.x | pairing-attempt"));
  CheckNoCodeIn(ca.AuditText(), digits);
  CHECK(ErrorOf(device.Start()) == "no_pairing");  // used
}

TEST_CASE("a wrong code fails key confirmation and issues nothing, and the right one still works") {
  TestCa ca;
  const Bytes hash = RandomServerHash();
  EnrollmentService service(*ca, TestOptions(hash));
  const CodePairing pairing = NewCodePairing(ca);
  // Same slot, another secret with a valid check digit: what a typo past
  // Verhoeff, or a guess, looks like.
  auto wrong = PairingCode::Generate(pairing.code.slot());
  REQUIRE(wrong.ok());
  TestDevice guesser = TestDevice::ForSlot(service, std::string(wrong->digits()), hash);
  const std::int64_t before = ca.CertificateCount();
  REQUIRE(guesser.Start().http_status == 200);
  REQUIRE(guesser.Exchange().http_status == 200);
  CHECK_FALSE(guesser.confirm_v_ok());  // the device notices first
  EnrollmentResponse finish = guesser.Finish(NewCsrDer());
  CHECK(finish.http_status == 403);
  CHECK(ErrorOf(finish) == "bad_confirmation");
  CHECK(ca.CertificateCount() == before);
  CHECK(CountAction(ca, "pairing-wrong-code") == 1);
  CHECK(Summary(ca, pairing.id).failed_attempts == 1);
  CHECK(ErrorOf(guesser.Finish(NewCsrDer())) == "out_of_order");  // the session is spent

  TestDevice owner = TestDevice::ForSlot(service, Digits(pairing), hash);
  EnrollmentResponse paired = owner.Pair();
  CHECK(paired.http_status == 200);
  CHECK(Summary(ca, pairing.id).attempts == 2);
  CheckNoCodeIn(ca.AuditText(), Digits(pairing));
  CheckNoCodeIn(ca.AuditText(), std::string(wrong->digits()));
}

TEST_CASE(
    "a device that typed a wrong code says so, and the admin sees it with the attempts left") {
  TestCa ca;
  const Bytes hash = RandomServerHash();
  EnrollmentService service(*ca, TestOptions(hash));
  const CodePairing pairing = NewCodePairing(ca);
  auto wrong = PairingCode::Generate(pairing.code.slot());
  REQUIRE(wrong.ok());
  TestDevice guesser = TestDevice::ForSlot(service, std::string(wrong->digits()), hash);
  REQUIRE(guesser.Start().http_status == 200);
  REQUIRE(guesser.Exchange().http_status == 200);
  REQUIRE_FALSE(guesser.confirm_v_ok());
  // Before the report the CA knows only that an attempt was made.
  CHECK(Summary(ca, pairing.id).failed_attempts == 0);
  const std::string report = "{\"session\":\"" + guesser.session_b64() + "\"}";
  EnrollmentResponse told = Post(service, "mismatch", report);
  CHECK(told.http_status == 200);
  const ca::PairingSummary after = Summary(ca, pairing.id);
  CHECK(after.attempts == 1);
  CHECK(after.failed_attempts == 1);
  CHECK(after.state == ca::PairingState::kArmed);
  // One report per exchanged session: a replay, or one for a session that
  // never exchanged keys, counts nothing.
  CHECK(ErrorOf(Post(service, "mismatch", report)) == "out_of_order");
  TestDevice starter = TestDevice::ForSlot(service, std::string(wrong->digits()), hash);
  REQUIRE(starter.Start().http_status == 200);
  CHECK(ErrorOf(Post(service, "mismatch", "{\"session\":\"" + starter.session_b64() + "\"}")) ==
        "out_of_order");
  CHECK(ErrorOf(Post(service, "mismatch", "{}")) == "bad_request");
  CHECK(Summary(ca, pairing.id).failed_attempts == 1);
  CHECK(CountAction(ca, "pairing-wrong-code") == 1);
  CheckNoCodeIn(ca.AuditText(), std::string(wrong->digits()));
  CheckNoCodeIn(ca.AuditText(), Digits(pairing));

  // The right code still pairs.
  TestDevice owner = TestDevice::ForSlot(service, Digits(pairing), hash);
  CHECK(owner.Pair().http_status == 200);
  CHECK(Summary(ca, pairing.id).state == ca::PairingState::kPaired);
}

TEST_CASE("a machine in the middle changes the server hash, and confirmation fails both ways") {
  TestCa ca;
  const Bytes hash = RandomServerHash();
  EnrollmentService service(*ca, TestOptions(hash));
  const CodePairing pairing = NewCodePairing(ca);
  // The device sees the MITM's certificate, so its context differs.
  TestDevice device = TestDevice::ForSlot(service, Digits(pairing), RandomServerHash());
  REQUIRE(device.Start().http_status == 200);
  REQUIRE(device.Exchange().http_status == 200);
  CHECK_FALSE(device.confirm_v_ok());
  const std::int64_t before = ca.CertificateCount();
  EnrollmentResponse finish = device.Finish(NewCsrDer());
  CHECK(ErrorOf(finish) == "bad_confirmation");
  CHECK(ca.CertificateCount() == before);

  SECTION("after the daemon's certificate changes, new sessions bind the new hash") {
    const Bytes renewed = RandomServerHash();
    service.SetServerCertificateSha256(renewed);
    TestDevice fresh = TestDevice::ForSlot(service, Digits(pairing), renewed);
    CHECK(fresh.Pair().http_status == 200);
  }
}

TEST_CASE("a pairing past its expiry answers no_pairing, even mid-session") {
  TestCa ca;
  const Bytes hash = RandomServerHash();
  EnrollmentService service(*ca, TestOptions(hash));
  const CodePairing pairing = NewCodePairing(ca);
  TestDevice device = TestDevice::ForSlot(service, Digits(pairing), hash);

  SECTION("at start") {
    ca.clock.Advance(kDefaultPairingTtlSeconds);
    CHECK(ErrorOf(device.Start()) == "no_pairing");
  }
  SECTION("between start and exchange") {
    REQUIRE(device.Start().http_status == 200);
    ca.clock.Advance(kDefaultPairingTtlSeconds - 30);  // the session still lives
    REQUIRE(device.Start().http_status == 200);
    ca.clock.Advance(30);
    EnrollmentResponse exchange = device.Exchange();
    CHECK(exchange.http_status == 404);
    CHECK(ErrorOf(exchange) == "no_pairing");
    CHECK(Summary(ca, pairing.id).state == ca::PairingState::kExpired);
    CHECK(CountAction(ca, "pairing-expired") == 1);
  }
  SECTION("between exchange and finish") {
    ca.clock.Advance(kDefaultPairingTtlSeconds - 10);
    REQUIRE(device.Start().http_status == 200);
    REQUIRE(device.Exchange().http_status == 200);
    ca.clock.Advance(10);
    const std::int64_t before = ca.CertificateCount();
    EnrollmentResponse finish = device.Finish(NewCsrDer());
    CHECK(ErrorOf(finish) == "no_pairing");
    CHECK(ca.CertificateCount() == before);
  }
}

TEST_CASE("five exchanges without a pairing burn the code, and the sixth is refused") {
  TestCa ca;
  const Bytes hash = RandomServerHash();
  EnrollmentService service(*ca, TestOptions(hash));
  const CodePairing pairing = NewCodePairing(ca);
  auto wrong = PairingCode::Generate(pairing.code.slot());
  REQUIRE(wrong.ok());
  TestDevice guesser = TestDevice::ForSlot(service, std::string(wrong->digits()), hash);
  for (int i = 1; i <= 5; ++i) {
    INFO("attempt " << i);
    REQUIRE(guesser.Start().http_status == 200);
    // Never finishing does not save the attempt: answering the exchange spent it.
    REQUIRE(guesser.Exchange().http_status == 200);
    CHECK(Summary(ca, pairing.id).attempts == i);
  }
  REQUIRE(guesser.Start().http_status == 200);
  EnrollmentResponse sixth = guesser.Exchange();
  CHECK(sixth.http_status == 403);
  CHECK(ErrorOf(sixth) == "code_burned");
  CHECK(Summary(ca, pairing.id).state == ca::PairingState::kBurned);
  CHECK(CountAction(ca, "pairing-attempt") == 5);
  CHECK(CountAction(ca, "pairing-burned") == 1);
  // The right code is worthless now.
  TestDevice owner = TestDevice::ForSlot(service, Digits(pairing), hash);
  CHECK(ErrorOf(owner.Start()) == "no_pairing");
  CheckNoCodeIn(ca.AuditText(), Digits(pairing));
}

TEST_CASE("a store failure answers internal, tells the log why, and changes nothing") {
  TestCa ca;
  const Bytes hash = RandomServerHash();
  EnrollmentService service(*ca, TestOptions(hash));
  const CodePairing pairing = NewCodePairing(ca);
  TestDevice device = TestDevice::ForSlot(service, Digits(pairing), hash);
  REQUIRE(device.Start().http_status == 200);
  {
    // Another connection makes every change to pairings fail, as a full or
    // broken disk would.
    auto raw =
        ca::SqliteDatabase::Open(ca->data_dir().database(), ca::SqliteDatabase::Access::kReadWrite);
    REQUIRE(raw.ok());
    REQUIRE((*raw)
                ->Exec("CREATE TRIGGER broken BEFORE UPDATE ON pairings "
                       "BEGIN SELECT RAISE(ABORT, 'disk on fire'); END")
                .ok());
  }
  EnrollmentResponse exchange = device.Exchange();
  CHECK(exchange.http_status == 500);
  CHECK(ErrorOf(exchange) == "internal");
  CHECK_THAT(exchange.log_detail,
             Catch::Contains("cannot record the attempt") && Catch::Contains("disk on fire"));
  CHECK(exchange.body.find("disk on fire") == std::string::npos);  // stays on the server
  CHECK(Summary(ca, pairing.id).attempts == 0);  // no guess was answered, none counted
  CHECK(exchange.body.find("share_v") == std::string::npos);
}

TEST_CASE("two concurrent finishes for one pairing cannot both issue") {
  TestCa ca;
  const Bytes hash = RandomServerHash();
  EnrollmentService service(*ca, TestOptions(hash));
  const CodePairing pairing = NewCodePairing(ca);
  constexpr int kDevices = 4;
  std::vector<TestDevice> devices;
  for (int i = 0; i < kDevices; ++i) {
    devices.push_back(TestDevice::ForSlot(service, Digits(pairing), hash));
    REQUIRE(devices.back().Start().http_status == 200);
    REQUIRE(devices.back().Exchange().http_status == 200);
  }
  const std::int64_t before = ca.CertificateCount();
  std::vector<std::string> bodies;
  for (int i = 0; i < kDevices; ++i) bodies.push_back(devices[i].FinishBody(NewCsrDer()));
  std::vector<EnrollmentResponse> results(kDevices);
  std::vector<std::thread> threads;
  for (int i = 0; i < kDevices; ++i) {
    threads.emplace_back([&, i] { results[i] = Post(service, "finish", bodies[i]); });
  }
  for (auto& t : threads) t.join();
  int ok = 0;
  for (const auto& r : results) {
    if (r.http_status == 200) {
      ++ok;
    } else {
      CHECK(ErrorOf(r) == "no_pairing");
    }
  }
  CHECK(ok == 1);
  CHECK(ca.CertificateCount() == before + 1);
  CHECK(CountAction(ca, "pairing-paired") == 1);
}

}  // namespace
}  // namespace homeca::enroll

namespace homeca::enroll {
namespace {

TEST_CASE("a name already paired or waiting is refused in plain words, and replace takes it over") {
  TestCa ca;
  const Bytes hash = RandomServerHash();
  EnrollmentService service(*ca, TestOptions(hash));
  const CodePairing first = NewCodePairing(ca);

  // Waiting: refused, nothing stored; replace cancels the waiting code.
  auto again = CreateCodePairing(*ca, {"nas"});
  REQUIRE(again.status().IsAlreadyExists());
  CHECK(again.status().message() ==
        "nas.home.arpa is already waiting to pair (pairing " + std::to_string(first.id) +
            "). Make a new code on that pairing, or replace it: its code stops working.");
  auto second =
      CreateCodePairing(*ca, {"nas"}, kDefaultPairingTtlSeconds, "cli", NameReuse::kReplace);
  REQUIRE(second.ok());
  CHECK(Summary(ca, first.id).state == ca::PairingState::kCancelled);
  TestDevice stale = TestDevice::ForSlot(service, Digits(first), hash);
  if (stale.Start().http_status == 200) {  // its slot drawn again, for the new code
    stale.Exchange();
    CHECK_FALSE(stale.confirm_v_ok());
  }

  // Paired: refused; replace makes a pairing that revokes the old device's
  // certificates when it completes, and not before.
  TestDevice owner = TestDevice::ForSlot(service, Digits(*second), hash);
  REQUIRE(owner.Pair().http_status == 200);
  auto taken = CreateCodePairing(*ca, {"nas.home.arpa"});
  REQUIRE(taken.status().IsAlreadyExists());
  CHECK(taken.status().message() ==
        "nas.home.arpa is already the name of a paired device (device " +
            std::to_string(second->id) +
            "). To give it to a new device, replace that one: its certificates are revoked when "
            "the new device pairs.");
  auto replacement =
      CreateCodePairing(*ca, {"nas"}, kDefaultPairingTtlSeconds, "cli", NameReuse::kReplace);
  REQUIRE(replacement.ok());
  CHECK(Summary(ca, replacement->id).replaces == second->id);
  auto devices = ca->pairings().ListDevices();
  REQUIRE(devices.ok());
  REQUIRE(devices->size() == 1);
  CHECK_FALSE(devices->front().revoked_at.has_value());

  const int crls_before = CountAction(ca, "crl");
  TestDevice successor = TestDevice::ForSlot(service, Digits(*replacement), hash);
  REQUIRE(successor.Pair().http_status == 200);
  devices = ca->pairings().ListDevices();
  REQUIRE(devices.ok());
  REQUIRE(devices->size() == 2);
  for (const ca::DeviceRecord& d : *devices) {
    INFO("device " << d.pairing.id);
    CHECK(d.revoked_at.has_value() == (d.pairing.id == second->id));
  }
  CHECK(CountAction(ca, "device-replaced") == 1);
  // And a CRL was published at once, for the old device's certificate.
  CHECK(CountAction(ca, "crl") == crls_before + 1);
}

TEST_CASE("two admins adding one name at the same moment make one pairing") {
  // Each looks for a holder of the name, finds none, and derives its code's
  // verifier; only the store, in the transaction that inserts, can tell the
  // second one that the first took the name meanwhile.
  TestCa ca;
  constexpr int kAdmins = 4;
  std::vector<Result<CodePairing>> results(kAdmins, Status::Internal("not run"));
  std::atomic<int> waiting{kAdmins};
  std::vector<std::thread> admins;
  for (int i = 0; i < kAdmins; ++i) {
    admins.emplace_back([&, i] {
      --waiting;
      while (waiting.load() > 0) std::this_thread::yield();
      results[static_cast<std::size_t>(i)] = CreateCodePairing(*ca, {"nas"});
    });
  }
  for (std::thread& t : admins) t.join();
  std::int64_t made = 0;
  for (const Result<CodePairing>& r : results) {
    if (r.ok()) {
      made = r->id;
      continue;
    }
    INFO(r.status().message());
    CHECK(r.status().IsAlreadyExists());
  }
  REQUIRE(made > 0);
  for (const Result<CodePairing>& r : results) {
    if (!r.ok()) {
      CHECK(r.status().message() == "nas.home.arpa is already waiting to pair (pairing " +
                                        std::to_string(made) +
                                        "). Make a new code on that pairing, or replace it: its "
                                        "code stops working.");
    }
  }
  ca::PairingFilter all;
  all.now = ca.clock.Now();
  CHECK(ca->pairings().ListPairings(all)->size() == 1);
}

TEST_CASE("New code: a failed pairing gets a fresh code for the same names, the old one is dead") {
  TestCa ca;
  const Bytes hash = RandomServerHash();
  EnrollmentService service(*ca, TestOptions(hash));
  const CodePairing pairing = NewCodePairing(ca, {"printer"});
  auto wrong = PairingCode::Generate(pairing.code.slot());
  REQUIRE(wrong.ok());
  TestDevice guesser = TestDevice::ForSlot(service, std::string(wrong->digits()), hash);
  for (int i = 0; i < ca::kMaxPairingAttempts + 1; ++i) {
    if (guesser.Start().http_status != 200) break;
    guesser.Exchange();
  }
  REQUIRE(Summary(ca, pairing.id).state == ca::PairingState::kBurned);

  auto fresh = RenewPairingCode(*ca, pairing.id);
  REQUIRE(fresh.ok());
  CHECK(fresh->id != pairing.id);
  CHECK(fresh->names == pairing.names);
  CHECK(Summary(ca, fresh->id).attempts == 0);
  // Waiting: a new code again cancels this one.
  auto third = RenewPairingCode(*ca, fresh->id);
  REQUIRE(third.ok());
  CHECK(Summary(ca, fresh->id).state == ca::PairingState::kCancelled);
  TestDevice late = TestDevice::ForSlot(service, Digits(*fresh), hash);
  if (late.Start().http_status == 200) {  // the slot may have been drawn again
    late.Exchange();
    CHECK_FALSE(late.confirm_v_ok());
  }
  TestDevice device = TestDevice::ForSlot(service, Digits(*third), hash);
  CHECK(device.Pair().http_status == 200);
  // Paired or cancelled: no new code.
  CHECK(RenewPairingCode(*ca, third->id).status().IsFailedPrecondition());
  CHECK(RenewPairingCode(*ca, fresh->id).status().IsFailedPrecondition());
  CHECK(RenewPairingCode(*ca, 999).status().IsNotFound());
}

}  // namespace
}  // namespace homeca::enroll
