#include "enroll/device/pairing_lockout.h"

#include <algorithm>
#include <system_error>

#include "ca/base/file_util.h"
#include "enroll/protocol/json.h"

namespace homeca::enroll {
namespace {

constexpr const char* kLockoutFileName = "pairing-lockout.json";
constexpr std::size_t kMaxLockoutFileSize = 4096;

Status Unreadable(const std::filesystem::path& file, const std::string& why) {
  return Fail(EnrollError::kIo,
              "cannot read the pairing lockout file " + file.string() + " (" + why +
                  "); pairing stays stopped until it is fixed or reset (--reset-lockout)");
}

}  // namespace

std::filesystem::path LockoutFile(const DevicePaths& paths) {
  return paths.state.parent_path() / kLockoutFileName;
}

Result<LockoutState> LoadLockout(const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec) && !ec) return LockoutState{};
  Result<std::string> text = ReadFile(file, kMaxLockoutFileSize);
  if (!text.ok()) return Unreadable(file, text.status().message());
  Result<JsonReader> json = JsonReader::Parse(*text, kMaxLockoutFileSize, file.string());
  if (!json.ok()) return Unreadable(file, "not a JSON object");
  Result<std::int64_t> failures = json->Integer("failed_confirmations");
  Result<std::int64_t> last = json->Integer("last_failure");
  if (!failures.ok() || !last.ok() || *failures < 0 || *failures > 1000000) {
    return Unreadable(file, "unexpected contents");
  }
  return LockoutState{static_cast<int>(*failures), *last};
}

Status SaveLockout(const std::filesystem::path& file, const LockoutState& state) {
  JsonWriter json;
  json.Set("failed_confirmations", std::int64_t{state.failures});
  json.Set("last_failure", state.last_failure);
  if (Status written = WriteFileAtomic(file, json.Render() + "\n", 0600); !written.ok()) {
    return Fail(EnrollError::kIo, written.WithContext("pairing lockout"));
  }
  return Status::Ok();
}

Status ResetLockout(const std::filesystem::path& file) {
  std::error_code ec;
  std::filesystem::remove(file, ec);
  if (ec) {
    return Fail(EnrollError::kIo,
                "cannot remove the pairing lockout file " + file.string() + ": " + ec.message());
  }
  return Status::Ok();
}

std::int64_t LockoutBackoffSeconds(const LockoutPolicy& policy, int failures) {
  if (failures <= 0) return 0;
  std::int64_t pause = policy.first_backoff_seconds;
  for (int i = 1; i < failures && pause < policy.max_backoff_seconds; ++i) pause *= 2;
  return std::min(pause, policy.max_backoff_seconds);
}

Status CheckLockout(const LockoutState& state, const LockoutPolicy& policy, std::int64_t now) {
  if (state.failures >= policy.max_failures) {
    return Fail(EnrollError::kLockedOut,
                "pairing stopped: the CA's key confirmation failed " +
                    std::to_string(state.failures) +
                    " times (a wrong code armed, or a CA guessing this device's code). Check "
                    "the code the admin types, then reset on the device: homeca-enroll wait "
                    "--reset-lockout");
  }
  const std::int64_t pause = LockoutBackoffSeconds(policy, state.failures);
  // A clock that went back (no RTC before NTP) must not shorten the pause
  // below nothing nor stretch it beyond one full pause.
  const std::int64_t left =
      now < state.last_failure ? pause : std::min(pause, state.last_failure + pause - now);
  if (left > 0) {
    return Fail(EnrollError::kBackingOff,
                "the last key confirmation failed; next try in " + std::to_string(left) + " s")
        .WithRetryAfter(static_cast<int>(left));
  }
  return Status::Ok();
}

}  // namespace homeca::enroll
