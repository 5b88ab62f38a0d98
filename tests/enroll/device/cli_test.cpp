// The homeca-enroll CLI as a user runs it: exit statuses, one-line errors
// that never repeat the code, status output, and the renewal daemon's
// scheduling, backoff and clean stop on SIGTERM.
#include <pthread.h>

#include <catch2/catch.hpp>
#include <csignal>
#include <ctime>

#include "enroll/cli/commands.h"
#include "enroll/device/device_enroller.h"
#include "tests/enroll/device/fake_ca.h"
#include "tests/support/background_process.h"

namespace homeca::enroll {
namespace {

using testing::ProcessResult;

ProcessResult Cli(std::vector<std::string> args) {
  args.insert(args.begin(), testing::BuiltProgram("enroll/cli/homeca-enroll"));
  return testing::Run(args);
}

// Pairs a device into `dir` through the fake CA, whose clock is `age_days` in the past.
void InstallDevice(const std::filesystem::path& dir, int age_days) {
  DeviceTestCa ca;
  ca.clock.Advance(-age_days * 86400);
  const std::string code = NewCode();
  FakeCa fake(*ca.authority, code);
  EnrollerConfig config;
  config.paths = DevicePaths::Under(dir);
  auto paired = PairAndInstallWith(fake, config, code, "/enroll/v1");
  INFO(paired.status().message());
  REQUIRE(paired.ok());
}

// "(in 54 days)" to "(in 66 days)": the renewal of a fresh 90-day leaf.
bool RenewsInTwoMonths(const std::string& text) {
  return text.find("(in 5") != std::string::npos || text.find("(in 6") != std::string::npos;
}

int Lines(const std::string& text) {
  return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

TEST_CASE("CLI: usage errors exit 2, failures exit 1 with one line", "[device][cli]") {
  CHECK(Cli({}).exit_code == 2);
  CHECK(Cli({"frobnicate"}).exit_code == 2);
  ProcessResult help = Cli({"pair", "--help"});
  CHECK(help.exit_code == 0);
  CHECK(help.out.find("usage: homeca-enroll pair") == 0);
  // Without --ca the CA is looked for over mDNS; with no system bus to reach
  // avahi-daemon (pointed nowhere, so this never browses the machine's own
  // LAN) that is a clear error naming --ca.
  ProcessResult no_ca =
      testing::Run({testing::BuiltProgram("enroll/cli/homeca-enroll"), "pair", "--code", NewCode()},
                   "", {"DBUS_SYSTEM_BUS_ADDRESS=unix:path=/nonexistent/homeca-test"});
  CHECK(no_ca.exit_code == 1);
  CHECK(Lines(no_ca.err) == 1);
  CHECK(no_ca.err.find("cannot look for the CA over mDNS") != std::string::npos);
  CHECK(no_ca.err.find("--ca URL") != std::string::npos);
  CHECK(Cli({"pair", "--code", NewCode(), "--ca", "https://127.0.0.1:1", "--ca-name", "x"})
            .exit_code == 2);
  // wait: usage errors before anything is announced or sent.
  CHECK(Cli({"wait", "--code", NewCode()}).exit_code == 2);
  CHECK(Cli({"wait", "--id", "../etc", "--code", NewCode()}).exit_code == 2);
  CHECK(Cli({"wait", "--id", "cam-1", "--code", NewCode(), "--model", "a\nb"}).exit_code == 2);
  CHECK(Cli({"wait", "--id", "cam-1", "--code", NewCode(), "--max-wait", "0"}).exit_code == 2);
  ProcessResult wait_typo = Cli({"wait", "--id", "cam-1", "--code", WithTypo(NewCode())});
  CHECK(wait_typo.exit_code == 1);
  CHECK(wait_typo.err.find("typo") != std::string::npos);
  CHECK(Cli({"status", "--bogus"}).exit_code == 2);

  const std::string typo = WithTypo(NewCode());
  ProcessResult typoed = Cli({"pair", "--code", typo, "--ca", "https://127.0.0.1:1"});
  CHECK(typoed.exit_code == 1);
  CHECK(Lines(typoed.err) == 1);
  CHECK(typoed.err.find("typo") != std::string::npos);
  CHECK(typoed.err.find(typo) == std::string::npos);
  CHECK(typoed.out.empty());

  testing::TempDir dir;
  ProcessResult from_stdin = testing::Run(
      {testing::BuiltProgram("enroll/cli/homeca-enroll"), "pair", "--code", "-", "--ca",
       "https://127.0.0.1:1", "--dir", (dir / "tls").string(), "--timeout", "2"},
      NewCode() + "\n");
  CHECK(from_stdin.exit_code == 1);
  CHECK(from_stdin.err.find("cannot reach the CA") != std::string::npos);

  ProcessResult status = Cli({"status", "--dir", (dir / "none").string()});
  CHECK(status.exit_code == 1);
  CHECK(Lines(status.err) == 1);
  CHECK(status.err.find("pair this device first") != std::string::npos);
}

TEST_CASE("CLI: status shows the names, validity and renewal time", "[device][cli]") {
  testing::TempDir dir;
  InstallDevice(dir.path(), 0);
  ProcessResult status = Cli({"status", "--dir", dir.path().string()});
  INFO(status.err);
  REQUIRE(status.exit_code == 0);
  CHECK(status.out.find("names:       nas.home.arpa") != std::string::npos);
  CHECK(status.out.find("renews at:") != std::string::npos);
  CHECK(RenewsInTwoMonths(status.out));
  CHECK(status.out.find("state:       valid") != std::string::npos);
  CHECK(status.out.find("PRIVATE KEY") == std::string::npos);
}

TEST_CASE("CLI: run sleeps until due, backs off on failure, stops on SIGTERM", "[device][cli]") {
  testing::TempDir dir;
  SECTION("not yet due") {
    InstallDevice(dir.path(), 0);
    testing::BackgroundProcess run(
        {testing::BuiltProgram("enroll/cli/homeca-enroll"), "run", "--dir", dir.path().string()},
        dir / "run.log");
    REQUIRE(run.WaitForLog("next renewal"));
    INFO(run.Log());
    CHECK(RenewsInTwoMonths(run.Log()));
    CHECK(run.Stop() == 0);
    CHECK(run.Log().find("stopping") != std::string::npos);
  }
  SECTION("due, and the CA cannot be reached") {
    InstallDevice(dir.path(), 70);
    testing::BackgroundProcess run(
        {testing::BuiltProgram("enroll/cli/homeca-enroll"), "run", "--dir", dir.path().string(),
         "--ca", "https://127.0.0.1:1", "--timeout", "2", "--exec", "touch hook-ran"},
        dir / "run.log");
    REQUIRE(run.WaitForLog("next try"));
    const std::string log = run.Log();
    CHECK(log.find("renewal failed: cannot reach the CA") != std::string::npos);
    CHECK((log.find("(in 2") != std::string::npos || log.find("(in 3") != std::string::npos));
    CHECK(run.Stop() == 0);
    CHECK_FALSE(std::filesystem::exists(dir / "hook-ran"));
  }
}

TEST_CASE("CLI: the --exec hook gets default signal handling", "[device][cli]") {
  CHECK(enroll_cli::RunHook("exit 0").ok());
  CHECK(enroll_cli::RunHook("exit 3").message().find("status 3") != std::string::npos);
  // The daemon blocks SIGTERM; a hook must not inherit that, or it could not
  // be stopped. The hook signals itself: it must die of it.
  sigset_t term;
  sigset_t old;
  sigemptyset(&term);
  sigaddset(&term, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &term, &old);
  const Status killed = enroll_cli::RunHook("kill -TERM $$; sleep 5");
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  CHECK(killed.message().find("signal 15") != std::string::npos);
}

}  // namespace
}  // namespace homeca::enroll
