// The guess limit of a device's own code (enroll/device/pairing_lockout.h)
// against a rogue CA: the tests' fake CA answers every start with a fresh
// salt and a record from another code, so every key confirmation fails. The
// device must stop after 5 failures, pause 30/60/120/240 s between them (seen
// through the injected sleeper and clock), stay stopped across a restart (a
// new wait on the same state directory) and pair again only after a reset.
#include "enroll/device/pairing_lockout.h"

#include <catch2/catch.hpp>

#include "enroll/device/device_enroller.h"
#include "enroll/discovery/pair_waiter.h"
#include "homeca_enroll.h"
#include "tests/device/fake_ca.h"

namespace homeca::enroll {
namespace {

using std::chrono::milliseconds;

struct RogueRun {
  DeviceTestCa ca;
  std::string code = NewCode(3);
  FakeCa fake{*ca.authority, code};
  EnrollerConfig config;
  std::vector<std::int64_t> exchange_times;  // fake clock at each exchange
  int sleeps = 0;

  explicit RogueRun(const std::filesystem::path& dir) {
    fake.guess_code = NewCode(3);  // the rogue CA's guess: never this device's code
    config.paths = DevicePaths::Under(dir);
    config.device_id = "cam-porch";
    config.clock = &ca.clock;
  }

  // At most `max_sleeps` pauses, so the old code (no limit) ends too.
  Result<Enrollment> Wait(int max_sleeps = 60) {
    WaitHooks hooks;
    hooks.attempt = [this](const EnrollerConfig& c) {
      const int before = fake.exchanges;
      auto result = PairAndInstallWith(fake, c, code, "/enroll/v1");
      if (fake.exchanges != before) exchange_times.push_back(ca.clock.Now());
      return result;
    };
    hooks.sleep = [this, max_sleeps](milliseconds pause) {
      ca.clock.Advance((pause.count() + 999) / 1000);
      return ++sleeps < max_sleeps;
    };
    hooks.random = [] { return 200u; };  // no jitter
    return WaitAndPair(config, hooks, milliseconds(0));
  }
};

TEST_CASE("wait: a rogue CA gets 5 guesses, with growing pauses, until a local reset",
          "[device][lockout]") {
  testing::TempDir dir;
  RogueRun run(dir.path());
  auto stopped = run.Wait();
  INFO(stopped.status().message());
  CHECK(ErrorOf(stopped) == EnrollError::kLockedOut);
  CHECK(run.fake.exchanges == 5);
  CHECK(run.fake.starts == 5);  // a locked-out device does not even start
  REQUIRE(run.exchange_times.size() == 5);
  // The pause after failure k is at least 30 s * 2^(k-1).
  for (std::size_t k = 1; k < run.exchange_times.size(); ++k) {
    INFO("between guess " << k << " and " << k + 1);
    const std::int64_t gap = run.exchange_times[k] - run.exchange_times[k - 1];
    CHECK(gap >= 30 << (k - 1));
    CHECK(gap <= (30 << (k - 1)) + 10);
  }
  auto counted = LoadLockout(LockoutFile(run.config.paths));
  REQUIRE(counted.ok());
  CHECK(counted->failures == 5);

  // A restart (a new process on the same state directory), even a day later:
  // still stopped, and no request reaches the CA.
  RogueRun again(dir.path());
  again.ca.clock.Advance(86400);
  auto still = again.Wait();
  CHECK(ErrorOf(still) == EnrollError::kLockedOut);
  CHECK(again.fake.requests.empty());

  // Reset locally; then the device pairs with an honest CA.
  REQUIRE(ResetLockout(LockoutFile(again.config.paths)).ok());
  RogueRun honest(dir.path());
  honest.fake.guess_code.reset();
  honest.fake.names = {"cam.home.arpa"};
  auto paired = honest.Wait();
  INFO(paired.status().message());
  REQUIRE(paired.ok());
  CHECK(LoadLockout(LockoutFile(honest.config.paths))->failures == 0);
}

TEST_CASE("lockout: pauses double and cap, the file is strict", "[device][lockout]") {
  const LockoutPolicy policy;
  CHECK(LockoutBackoffSeconds(policy, 0) == 0);
  CHECK(LockoutBackoffSeconds(policy, 1) == 30);
  CHECK(LockoutBackoffSeconds(policy, 4) == 240);
  CHECK(LockoutBackoffSeconds(policy, 40) == 3600);
  CHECK(ErrorOf(CheckLockout({1, 1000}, policy, 1029)) == EnrollError::kBackingOff);
  CHECK(CheckLockout({1, 1000}, policy, 1029).retry_after_seconds() == 1);
  CHECK(CheckLockout({1, 1000}, policy, 1030).ok());
  CHECK(CheckLockout({1, 1000}, policy, 10).retry_after_seconds() == 30);  // clock went back
  CHECK(ErrorOf(CheckLockout({5, 0}, policy, 1 << 30)) == EnrollError::kLockedOut);

  testing::TempDir dir;
  const auto file = dir / "pairing-lockout.json";
  CHECK(LoadLockout(file)->failures == 0);
  REQUIRE(SaveLockout(file, {3, 1234}).ok());
  CHECK(LoadLockout(file)->failures == 3);
  CHECK(LoadLockout(file)->last_failure == 1234);
  testing::WriteText(file, "{\"failed_confirmations\": -1, \"last_failure\": 0}");
  CHECK(ErrorOf(LoadLockout(file)) == EnrollError::kIo);  // never read as "no failures"
  REQUIRE(ResetLockout(file).ok());
  CHECK(LoadLockout(file)->failures == 0);
}

TEST_CASE("C API: pairing with a device id is limited the same way", "[device][lockout][c_api]") {
  testing::TempDir dir;
  homeca_enroll_t* h = homeca_enroll_new("https://127.0.0.1:1");
  REQUIRE(h != nullptr);
  REQUIRE(homeca_enroll_set_state_dir(h, dir.path().c_str()) == HOMECA_ENROLL_OK);
  REQUIRE(homeca_enroll_set_device_id(h, "cam-porch") == HOMECA_ENROLL_OK);
  CHECK(homeca_enroll_failed_confirmations(h) == 0);
  // Five failures recorded moments ago (as homeca_enroll_pair records them).
  REQUIRE(SaveLockout(dir / "pairing-lockout.json", {5, std::time(nullptr)}).ok());
  CHECK(homeca_enroll_failed_confirmations(h) == 5);
  const std::string code = NewCode(3);
  CHECK(homeca_enroll_pair(h, code.c_str()) == HOMECA_ENROLL_ERR_LOCKED_OUT);
  CHECK(std::string(homeca_enroll_last_error(h)).find("reset") != std::string::npos);
  REQUIRE(SaveLockout(dir / "pairing-lockout.json", {2, std::time(nullptr)}).ok());
  CHECK(homeca_enroll_pair(h, code.c_str()) == HOMECA_ENROLL_ERR_BACKING_OFF);
  CHECK(homeca_enroll_retry_after(h) > 50);
  CHECK(homeca_enroll_retry_after(h) <= 60);
  REQUIRE(homeca_enroll_reset_lockout(h) == HOMECA_ENROLL_OK);
  CHECK(homeca_enroll_failed_confirmations(h) == 0);
  // Past the lockout, the call goes to the network (nothing listens there).
  CHECK(homeca_enroll_pair(h, code.c_str()) == HOMECA_ENROLL_ERR_NETWORK);
  homeca_enroll_free(h);
}

}  // namespace
}  // namespace homeca::enroll
