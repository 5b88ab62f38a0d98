// `homeca-enroll run`: the renewal daemon. It sleeps until the installed
// certificate is due (re-reading the files at least hourly, so a manual
// renew or a new pairing is picked up), renews, runs the --exec hook, and
// backs off on failure. SIGTERM and SIGINT are blocked and waited for with
// sigtimedwait: the only wake-ups are the timer and those signals.
#include <algorithm>
#include <cerrno>
#include <csignal>
#include <ctime>

#include "enroll/cli/commands.h"
#include "enroll/device/renewal_schedule.h"

namespace homeca::enroll_cli {

std::vector<OptionSpec> RenewOptions();

namespace {

class TerminationSignals {
 public:
  TerminationSignals() {
    sigemptyset(&set_);
    sigaddset(&set_, SIGTERM);
    sigaddset(&set_, SIGINT);
    sigprocmask(SIG_BLOCK, &set_, nullptr);
  }
  // Waits up to `seconds`; true when a termination signal arrived.
  bool Wait(std::int64_t seconds) {
    timespec timeout{static_cast<time_t>(seconds), 0};
    for (;;) {
      if (sigtimedwait(&set_, nullptr, &timeout) > 0) return true;
      if (errno != EINTR) return false;  // EAGAIN: the time is up
    }
  }

 private:
  sigset_t set_;
};

double RandomUnit() { return enroll::JitterFromFingerprint(RandomBytes(8)); }

}  // namespace

int RunDaemon(const Args& args) {
  CommandSpec spec{"run", "homeca-enroll run [options]",
                   "Stay running and renew the installed certificate at about two thirds of\n"
                   "its lifetime; back off from 30 s to 1 h after failures. Stops on SIGTERM.",
                   RenewOptions()};
  ParsedArgs parsed;
  int exit_code = 0;
  if (!ParseOrExit(spec, args, parsed, exit_code)) return exit_code;
  Result<enroll::EnrollerConfig> config = ConfigFrom(parsed);
  if (!config.ok()) return Error(config.status().message(), kExitUsage);
  const std::optional<std::string> hook = parsed.Get("exec");

  TerminationSignals signals;
  int failures = 0;
  std::int64_t retry_at = 0;
  std::int64_t announced = -1;
  for (bool first = true;; first = false) {
    enroll::DeviceResult<enroll::Enrollment> installed = enroll::LoadEnrollment(config->paths);
    if (!installed.ok() && first) return Error(installed.status().message());
    if (!installed.ok()) {
      // Files changed under us (a new pairing being written): look again soon
      // rather than exit.
      Log(installed.status().message() + "; looking again in a minute");
      if (signals.Wait(60)) break;
      continue;
    }
    const ca::Certificate& leaf = installed->chain.front();
    const std::int64_t renew_at = enroll::RenewalTimeFor(leaf);
    std::int64_t now = config->clock->Now();
    const std::int64_t target = failures > 0 ? retry_at : renew_at;
    if (now < target) {
      if (announced != target && failures == 0) {
        Log("certificate valid until " + ca::FormatTime(leaf.NotAfter()) + "; next renewal " +
            When(target, now));
      }
      announced = target;
      if (signals.Wait(enroll::SleepSeconds(now, target))) break;
      continue;
    }

    enroll::DeviceResult<enroll::Enrollment> renewed = enroll::RenewAndInstall(*config);
    now = config->clock->Now();
    if (renewed.ok()) {
      failures = 0;
      Log("renewed; valid until " + ca::FormatTime(renewed->not_after));
      if (hook) {
        if (Status s = RunHook(*hook); !s.ok()) Log(s.message());
      }
    } else {
      ++failures;
      std::int64_t delay = enroll::BackoffSeconds(failures, RandomUnit());
      // Retrying sooner cannot fix a revoked or unknown certificate; keep
      // trying hourly in case the device is paired again meanwhile.
      if (enroll::IsPermanent(renewed.error())) delay = enroll::kMaxBackoffSeconds;
      delay = std::max<std::int64_t>(delay, renewed.failure().retry_after_seconds);
      retry_at = now + delay;
      Log("renewal failed: " + renewed.status().message() + " [" +
          std::string(enroll::DeviceErrorName(renewed.error())) + "]; next try " +
          When(retry_at, now));
    }
    if (signals.Wait(0)) break;
  }
  Log("stopping");
  return 0;
}

}  // namespace homeca::enroll_cli
