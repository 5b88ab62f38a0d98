// Pairing administration: what is stored (the verifier record, never the
// code), what is refused up front (names, TTLs, device ids, bad codes), and
// the `homeca pair` commands run as the admin would.
#include "enroll/pairing_admin.h"

#include <catch2/catch.hpp>
#include <regex>

#include "tests/enroll/enroll_fixture.h"
#include "tests/support/process.h"

namespace homeca::enroll {
namespace {

// Everything SQLite has written for the store so far.
std::string DatabaseBytes(TestCa& ca) {
  const auto db = ca->data_dir().database();
  return testing::ReadText(db) + testing::ReadText(db.string() + "-wal");
}

std::size_t PairingCount(TestCa& ca) {
  ca::PairingFilter filter;
  filter.now = ca.clock.Now();
  auto list = ca->pairings().ListPairings(filter);
  REQUIRE(list.ok());
  return list->size();
}

TEST_CASE("a CA-made code is stored as its verifier record only") {
  TestCa ca;
  auto pairing = CreateCodePairing(*ca, {"nas", "NAS.home.arpa.", "files"});
  REQUIRE(pairing.ok());
  // .local is permitted by default: the first name gets its mDNS twin.
  CHECK(pairing->names ==
        std::vector<std::string>{"nas.home.arpa", "nas.local", "files.home.arpa"});
  CHECK(pairing->expires_at == ca.clock.Now() + 600);
  CHECK(PairingCode::Check(pairing->code.Display()) == PairingCodeProblem::kNone);

  auto record =
      ca->pairings().FindArmedPairing(ca::PairingKey::Slot(pairing->code.slot()), ca.clock.Now());
  REQUIRE(record.ok());
  CHECK(record->id == pairing->id);
  CHECK(record->salt.size() == 16);
  // A code the CA makes is stretched with scrypt (N = 2^15, r = 8, p = 1).
  CHECK(record->kdf == "scrypt$15$8$1");
  CHECK(record->iterations == 32768);
  CHECK(record->names == pairing->names);
  // The record is what the code derives to, with RFC 9383's identities: the
  // device can prove it.
  auto secrets =
      DeriveProverSecrets(pairing->code.digits(), PairingProverId(pairing->code.slot(), ""),
                          "homeca", record->salt, PasswordKdf::Scrypt(15, 8, 1));
  REQUIRE(secrets.ok());
  auto expected = MakeVerifierRecord(*secrets);
  REQUIRE(expected.ok());
  CHECK(record->verifier.w0 == expected->w0.bytes());
  CHECK(record->verifier.l == expected->l);
  // Not a digit of the code, nor w1, anywhere on disk.
  const std::string disk = DatabaseBytes(ca);
  for (const std::string& form : CodeForms(std::string(pairing->code.digits()))) {
    CHECK(disk.find(form) == std::string::npos);
  }
  CHECK(disk.find(ToString(secrets->w1.bytes())) == std::string::npos);
  CHECK_THAT(ca.AuditText(), Catch::Contains("pairing-created"));
}

TEST_CASE("names, TTLs, device ids and device codes are checked when the pairing is made") {
  TestCa ca;
  CHECK_FALSE(CreateCodePairing(*ca, {"www.bank.com"}).ok());
  CHECK_FALSE(CreateCodePairing(*ca, {"nas", "bad name"}).ok());
  // The appliance's own name is never handed to a device, and the refusal
  // reads as it does on the signing path (ca::CheckNames).
  CHECK(CreateCodePairing(*ca, {"ca"}).status().IsPolicyViolation());
  CHECK(CreateCodePairing(*ca, {"nas", "CA.home.arpa"}).status().message() ==
        "'ca.home.arpa' is reserved for the CA itself");
  CHECK(CreateCodePairing(*ca, {}).status().IsInvalidArgument());
  CHECK(CreateCodePairing(*ca, {"nas"}, 59).status().IsInvalidArgument());
  CHECK(CreateCodePairing(*ca, {"nas"}, 24 * 3600 + 1).status().IsInvalidArgument());
  CHECK(CreateCodePairing(*ca, {"nas"}, 24 * 3600).ok());

  auto code = PairingCode::Generate(3);
  REQUIRE(code.ok());
  for (const char* id : {"", "tv livingroom", "tv/1", "<b>", "ünicode"}) {
    INFO(id);
    CHECK(ArmDevicePairing(*ca, id, code->Display(), {"tv"}).status().IsInvalidArgument());
  }
  CHECK_FALSE(ArmDevicePairing(*ca, std::string(65, 'a'), code->Display(), {"tv"}).ok());
  CHECK_FALSE(ArmDevicePairing(*ca, "tv", code->Display(), {"tv.example.com"}).ok());

  // A typo and a trivial secret are refused, and the error never repeats the code.
  std::string typo(code->digits());
  typo[5] = typo[5] == '9' ? '0' : static_cast<char>(typo[5] + 1);
  std::string trivial = "00123456789";
  trivial += VerhoeffCheckDigit(trivial);
  for (const std::string& bad : {typo, trivial, std::string("1234")}) {
    auto armed = ArmDevicePairing(*ca, "tv", bad, {"tv"});
    REQUIRE_FALSE(armed.ok());
    CHECK(armed.status().message().find(bad) == std::string::npos);
    CHECK(armed.status().message().find(bad.substr(2, 9)) == std::string::npos);
  }
  CHECK(PairingCount(ca) == 1);  // only the 24-hour one

  REQUIRE(ArmDevicePairing(*ca, "tv", code->Display(), {"tv"}).ok());
  CHECK(ArmDevicePairing(*ca, "tv", code->Display(), {"tv"}).status().IsAlreadyExists());
  CHECK_THAT(ca.AuditText(), Catch::Contains("pairing-armed"));
}

testing::ProcessResult Homeca(TestCa& ca, std::vector<std::string> args,
                              const std::string& input = "") {
  args.insert(args.begin(), testing::BuiltProgram("ca/homeca"));
  args.push_back("--data-dir=" + ca->data_dir().root().string());
  return testing::Run(args, input);
}

TEST_CASE("names reserved for the CA are refused for pairings under .local too") {
  TestCa ca;
  ca::NamePolicy policy = ca->policy();
  policy.permitted_domains.push_back("local");
  auto checked = CheckPairingNames(policy, {"nas", "ca.local"});
  CHECK(checked.status().message() == "'ca.local' is reserved for the CA itself");
  CHECK(CheckPairingNames(policy, {"nas.local"}).ok());
  // Arming a device's own code goes through the same check.
  auto code = PairingCode::Generate(3);
  REQUIRE(code.ok());
  auto armed = ArmDevicePairing(*ca, "cam-1", code->Display(), {"ca"});
  CHECK(armed.status().message() == "'ca.home.arpa' is reserved for the CA itself");
}

TEST_CASE("homeca pair add --ca-url puts the address in the device's command") {
  TestCa ca;
  auto added = Homeca(ca, {"pair", "add", "--name", "tv", "--ca-url", "https://192.168.1.5:8443"});
  INFO(added.err);
  REQUIRE(added.exit_code == 0);
  CHECK_THAT(added.out, Catch::Contains(" --ca https://192.168.1.5:8443\n"));
  CHECK_THAT(added.out, !Catch::Contains("mDNS"));
}

TEST_CASE("homeca pair: add, device, list, cancel") {
  TestCa ca;
  auto added = Homeca(ca, {"pair", "add", "--name", "nas", "--ttl", "15"});
  INFO(added.err);
  REQUIRE(added.exit_code == 0);
  std::smatch match;
  REQUIRE(std::regex_search(added.out, match, std::regex(R"((\d{4})-(\d{4})-(\d{4}))")));
  const std::string digits = match[1].str() + match[2].str() + match[3].str();
  CHECK(PairingCode::Check(digits) == PairingCodeProblem::kNone);
  // No --ca-url: the device is told to find the CA over mDNS.
  CHECK_THAT(added.out, Catch::Contains("homeca-enroll pair --code " + match[0].str() + "\n"));
  CHECK_THAT(added.out, Catch::Contains("over mDNS"));
  CHECK_THAT(added.out, Catch::Contains("nas.home.arpa"));

  auto own = PairingCode::Generate(11);
  REQUIRE(own.ok());
  // From standard input, so the code is not even in the process list.
  auto armed = Homeca(ca, {"pair", "device", "--id", "cam-1", "--code", "-", "--name", "cam"},
                      own->Display() + "\n");
  INFO(armed.err);
  REQUIRE(armed.exit_code == 0);
  std::string mistyped(own->digits());
  mistyped[3] = mistyped[3] == '9' ? '0' : static_cast<char>(mistyped[3] + 1);
  auto typo = Homeca(ca, {"pair", "device", "--id", "cam-2", "--code", mistyped, "--name", "cam2"});
  CHECK(typo.exit_code != 0);
  CHECK_THAT(typo.err, Catch::Contains("typo"));
  for (const auto* r : {&armed, &typo}) {
    for (const std::string& code : {std::string(own->digits()), mistyped}) {
      for (const std::string& form : CodeForms(code)) {
        CHECK(r->out.find(form) == std::string::npos);
        CHECK(r->err.find(form) == std::string::npos);
      }
    }
  }

  auto list = Homeca(ca, {"pair", "list", "--json"});
  REQUIRE(list.exit_code == 0);
  auto parsed = testing::Run(
      {"python3", "-c",
       "import json,sys; d=json.load(sys.stdin); "
       "print(len(d), d[0]['device_id'], d[0]['state'], d[1]['names'][0], 'w0' in str(d))"},
      list.out);
  CHECK(parsed.out == "2 cam-1 armed nas.home.arpa False\n");

  CHECK(Homeca(ca, {"pair", "cancel", "1"}).exit_code == 0);
  CHECK(Homeca(ca, {"pair", "cancel", "1"}).exit_code != 0);
  CHECK(Homeca(ca, {"pair", "cancel", "nope"}).exit_code != 0);
  auto waiting = Homeca(ca, {"pair", "list", "--waiting"});
  CHECK_THAT(waiting.out, Catch::Contains("cam-1"));
  CHECK_THAT(waiting.out, !Catch::Contains("nas.home.arpa"));
  CHECK(Homeca(ca, {"pair", "add", "--name", "www.bank.com"}).exit_code != 0);
  CHECK(Homeca(ca, {"pair", "add", "--name", "nas", "--ttl", "0"}).exit_code != 0);
  CHECK(Homeca(ca, {"pair", "frobnicate"}).exit_code != 0);
  auto help = Homeca(ca, {"pair", "--help"});
  CHECK_THAT(help.out, Catch::StartsWith("usage: homeca pair"));

  // The audit log, as the admin reads it, never shows a code.
  auto audit = Homeca(ca, {"audit", "--limit", "1000"});
  REQUIRE(audit.exit_code == 0);
  CHECK_THAT(audit.out, Catch::Contains("pairing-cancelled"));
  for (const std::string& d : {digits, std::string(own->digits())}) {
    for (const std::string& form : CodeForms(d)) CHECK(audit.out.find(form) == std::string::npos);
  }
}

}  // namespace
}  // namespace homeca::enroll
