// `homeca-enroll run`: the renewal daemon. It sleeps until the installed
// certificate is due (re-reading the files at least hourly, so a manual
// renew or a new pairing is picked up), renews, runs the --exec hook, and
// backs off on failure. It also checks in with the CA at start and whenever
// the host's addresses change (CheckInSchedule), so the CA knows where the
// device is; a check-in never stops or postpones a renewal, which always
// goes first when both are due. Between the two it waits in one poll() on a
// signalfd (SIGTERM, SIGINT) and a netlink socket (RunWaiter): the only
// wake-ups are the next planned action, those signals and address news.
#include <algorithm>
#include <chrono>

#include "enroll/cli/address_watch.h"
#include "enroll/cli/checkin_schedule.h"
#include "enroll/cli/commands.h"
#include "enroll/cli/run_waiter.h"
#include "enroll/device/renewal_schedule.h"

namespace homeca::enroll_cli {

std::vector<OptionSpec> RenewOptions();

namespace {

double RandomUnit() { return enroll::JitterFromFingerprint(RandomBytes(8)); }

// Check-in timing is on the monotonic clock: a debounce must not stretch or
// vanish when the wall clock is set.
std::int64_t MonotonicMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

CheckInSchedule::Addresses AddressesNow() {
  Result<std::vector<std::string>> addresses = CurrentAddresses();
  if (!addresses.ok()) return std::nullopt;
  return std::move(addresses).value();
}

void CheckInNow(const enroll::EnrollerConfig& config, CheckInSchedule& schedule,
                const CheckInSchedule::Addresses& addresses) {
  Result<enroll::CheckInAnswer> answer = enroll::CheckInInstalled(config);
  if (answer.ok()) {
    schedule.Succeeded(addresses);
    Log("checked in: the CA sees this device at " + answer->address);
    return;
  }
  const std::int64_t delay =
      schedule.Failed(MonotonicMs(), enroll::IsPermanent(enroll::ErrorOf(answer)),
                      answer.status().retry_after_seconds(), RandomUnit());
  Log("check-in failed: " + answer.status().message() + " [" +
      std::string(enroll::ErrorWord(enroll::ErrorOf(answer))) + "]; next try in " +
      std::to_string(delay) + " s, or when the addresses change");
}

}  // namespace

int RunDaemon(const Args& args) {
  CommandSpec spec{"run", "homeca-enroll run [options]",
                   "Stay running and renew the installed certificate at about two thirds of\n"
                   "its lifetime; back off from 30 s to 1 h after failures. Check in with the\n"
                   "CA at start and whenever this host's IP addresses change, so the CA knows\n"
                   "where the device is. Stops on SIGTERM, SIGINT or SIGQUIT.",
                   RenewOptions()};
  ParsedArgs parsed;
  int exit_code = 0;
  if (!ParseOrExit(spec, args, parsed, exit_code)) return exit_code;
  Result<enroll::EnrollerConfig> config = ConfigFrom(parsed);
  if (!config.ok()) return Error(config.status().message(), kExitUsage);
  const std::optional<std::string> hook = parsed.Get("exec");

  Result<RunWaiter> waiter = RunWaiter::Create();
  if (!waiter.ok()) return Error(waiter.status().message());
  if (!waiter->watching_addresses()) {
    Log(waiter->watch_error() + "; checking in at start and after renewals only");
  }
  CheckInSchedule checkins(MonotonicMs());
  int failures = 0;
  std::int64_t retry_at = 0;
  std::int64_t announced = -1;
  for (bool first = true;; first = false) {
    // The wait before the next look, in ms; -1 until this pass decides.
    std::int64_t wait_ms = -1;
    Result<enroll::Enrollment> installed = enroll::LoadEnrollment(config->paths);
    if (!installed.ok() && first) return Error(installed.status().message());
    if (!installed.ok()) {
      // Files changed under us (a new pairing being written): look again soon
      // rather than exit. No check-in without files to check in with.
      Log(installed.status().message() + "; looking again in a minute");
      wait_ms = 60 * 1000;
    } else {
      const ca::Certificate& leaf = installed->chain.front();
      const std::int64_t renew_at = enroll::RenewalTimeFor(leaf);
      std::int64_t now = config->clock->Now();
      const std::int64_t target = failures > 0 ? retry_at : renew_at;
      if (now >= target) {
        Result<enroll::Enrollment> renewed = enroll::RenewAndInstall(*config);
        now = config->clock->Now();
        if (renewed.ok()) {
          failures = 0;
          // The CA records where a renewal came from, as for a check-in.
          checkins.Succeeded(AddressesNow());
          Log("renewed; valid until " + ca::FormatTime(renewed->not_after));
          if (hook) {
            if (Status s = RunHook(*hook); !s.ok()) Log(s.message());
          }
        } else {
          ++failures;
          std::int64_t delay = enroll::BackoffSeconds(failures, RandomUnit());
          // Retrying sooner cannot fix a revoked or unknown certificate; keep
          // trying hourly in case the device is paired again meanwhile.
          if (enroll::IsPermanent(enroll::ErrorOf(renewed))) delay = enroll::kMaxBackoffSeconds;
          delay = std::max<std::int64_t>(delay, renewed.status().retry_after_seconds());
          retry_at = now + delay;
          Log("renewal failed: " + renewed.status().message() + " [" +
              std::string(enroll::ErrorWord(enroll::ErrorOf(renewed))) + "]; next try " +
              When(retry_at, now));
        }
        wait_ms = 0;  // look again: the files changed, or a check-in may be due
      } else if (checkins.Due(MonotonicMs())) {
        const CheckInSchedule::Addresses addresses = AddressesNow();
        if (checkins.Take(MonotonicMs(), addresses)) CheckInNow(*config, checkins, addresses);
        wait_ms = 0;
      } else {
        if (announced != target && failures == 0) {
          Log("certificate valid until " + ca::FormatTime(leaf.NotAfter()) + "; next renewal " +
              When(target, now));
        }
        announced = target;
        wait_ms = enroll::SleepSeconds(now, target) * 1000;
        if (std::optional<std::int64_t> next = checkins.NextMs()) {
          wait_ms = std::min(wait_ms, std::max<std::int64_t>(0, *next - MonotonicMs()));
        }
      }
    }
    switch (waiter->Wait(wait_ms)) {
      case RunWaiter::Event::kStop:
        Log("stopping");
        return 0;
      case RunWaiter::Event::kAddressesChanged:
        checkins.AddressesChanged(MonotonicMs());
        break;
      case RunWaiter::Event::kTimeout:
        break;
    }
  }
}

}  // namespace homeca::enroll_cli
