// The pairing KDF and a device's guess limit end to end on loopback: a real
// homecad and homeca, the real homeca-enroll as a separate process, curl as
// the judge of what the CA announces.
#include <catch2/catch.hpp>
#include <regex>

#include "enroll/pake/pairing_code.h"
#include "tests/support/appliance.h"

namespace homeca::testing {
namespace {

std::vector<std::string> DeviceFiles(const TempDir& device) {
  return {"--key",   (device / "key.pem").string(),   "--cert", (device / "cert.pem").string(),
          "--chain", (device / "chain.pem").string(), "--root", (device / "root.pem").string()};
}

// homeca-enroll with mDNS pointed nowhere: `wait` then never announces on
// this machine's LAN (it logs that mDNS is unavailable and goes on).
ProcessResult Device(std::vector<std::string> args) {
  args.insert(args.begin(), BuiltProgram("enroll/cli/homeca-enroll"));
  return Run(args, "", {"DBUS_SYSTEM_BUS_ADDRESS=unix:path=/nonexistent/homeca-test"});
}

std::string Code(int slot) {
  auto code = enroll::PairingCode::Generate(slot);
  REQUIRE(code.ok());
  return code->Display();
}

TEST_CASE("e2e: the CA announces scrypt for its codes and PBKDF2 for a device that asked") {
  Appliance appliance;
  // A code the CA makes: scrypt, N = 2^15, r = 8, p = 1. (start is not an attempt.)
  const std::string made = appliance.AddPairing("nas");
  ProcessResult start =
      CurlPost(appliance.https() + "/enroll/v1/start",
               R"({"version": 1, "slot": )" + std::to_string(std::stoi(made.substr(0, 2))) + "}");
  CHECK_THAT(start.out, Catch::Contains(R"("kdf":"scrypt","n":32768,"r":8,"p":1)"));
  CHECK_THAT(start.out, !Catch::Contains("iterations"));
  TempDir nas;
  auto args = DeviceFiles(nas);
  args.insert(args.begin(), {"pair", "--code", made, "--ca", appliance.https()});
  ProcessResult paired = Device(args);
  INFO(paired.err);
  CHECK(paired.exit_code == 0);

  // A constrained device that asked for PBKDF2.
  const std::string own = Code(12);
  ProcessResult armed = appliance.Homeca({"pair", "device", "--id", "sensor-1", "--code", own,
                                          "--name", "sensor", "--kdf", "pbkdf2-sha256"});
  INFO(armed.err);
  REQUIRE(armed.exit_code == 0);
  start = CurlPost(appliance.https() + "/enroll/v1/start",
                   R"({"version": 1, "device_id": "sensor-1"})");
  CHECK_THAT(start.out, Catch::Contains(R"("kdf":"pbkdf2-sha256","iterations":20000)"));
  TempDir sensor;
  args = DeviceFiles(sensor);
  args.insert(args.begin(),
              {"pair", "--code", own, "--device-id", "sensor-1", "--ca", appliance.https()});
  paired = Device(args);
  INFO(paired.err);
  CHECK(paired.exit_code == 0);
  CHECK(std::filesystem::exists(sensor / "cert.pem"));

  // A KDF outside the bounds is refused when arming, and nothing is armed.
  ProcessResult bad = appliance.Homeca({"pair", "device", "--id", "sensor-2", "--code", own,
                                        "--name", "sensor2", "--kdf", "scrypt$20$8$1"});
  CHECK(bad.exit_code != 0);
  CHECK_THAT(bad.err, Catch::Contains("2^14 to 2^16"));
  CHECK_THAT(bad.err, !Catch::Contains(own));
}

TEST_CASE("e2e: a device stops trying its own code after 5 failed confirmations until reset") {
  Appliance appliance;
  const std::string own = Code(21);
  const std::string other = Code(21);  // what the admin (or a rogue CA) has instead
  REQUIRE(appliance.Homeca({"pair", "device", "--id", "door-1", "--code", other, "--name", "door"})
              .exit_code == 0);
  TempDir door;
  const auto lockout = door / "pairing-lockout.json";
  auto pair = DeviceFiles(door);
  pair.insert(pair.begin(),
              {"pair", "--code", own, "--device-id", "door-1", "--ca", appliance.https()});
  // The pause after each failure is real time (30 s, 60 s, ...): the test
  // moves the recorded failure time back instead of waiting.
  auto pause_elapsed = [&] {
    const std::string text = ReadText(lockout);
    WriteText(lockout, std::regex_replace(text, std::regex(R"("last_failure":\s*\d+)"),
                                          R"("last_failure": 0)"));
  };
  for (int failure = 1; failure <= 5; ++failure) {
    ProcessResult r = Device(pair);
    INFO(failure << ": " << r.err);
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("[bad_confirmation]"));
    CHECK_THAT(r.err, Catch::Contains(std::to_string(failure) + " of 5"));
    if (failure == 1) {
      // Straight away again: the device waits, without asking the CA.
      ProcessResult early = Device(pair);
      CHECK_THAT(early.err, Catch::Contains("[backing_off]"));
    }
    pause_elapsed();
  }
  // The sixth run (a new process: the count is on disk) does not try at all.
  ProcessResult stopped = Device(pair);
  CHECK(stopped.exit_code == 1);
  CHECK_THAT(stopped.err, Catch::Contains("[locked_out]"));
  CHECK_THAT(stopped.err, Catch::Contains("--reset-lockout"));
  ProcessResult list = appliance.Homeca({"pair", "list", "--json"});
  CHECK_THAT(list.out, Catch::Contains(R"("attempts": 5)"));  // 5 exchanges reached the CA, no more

  // The admin cancels the wrong arming and arms the right code; `wait` still
  // refuses until reset.
  REQUIRE(appliance.Homeca({"pair", "cancel", "1"}).exit_code == 0);
  REQUIRE(appliance.Homeca({"pair", "device", "--id", "door-1", "--code", own, "--name", "door"})
              .exit_code == 0);
  auto wait = DeviceFiles(door);
  wait.insert(wait.begin(), {"wait", "--id", "door-1", "--code", own, "--ca", appliance.https(),
                             "--max-wait", "60"});
  ProcessResult refused = Device(wait);
  CHECK(refused.exit_code == 1);
  CHECK_THAT(refused.err, Catch::Contains("[locked_out]"));
  CHECK_FALSE(std::filesystem::exists(door / "cert.pem"));
  wait.push_back("--reset-lockout");
  ProcessResult paired = Device(wait);
  INFO(paired.err);
  CHECK(paired.exit_code == 0);
  CHECK(std::filesystem::exists(door / "cert.pem"));
  CHECK_FALSE(std::filesystem::exists(lockout));
}

}  // namespace
}  // namespace homeca::testing
