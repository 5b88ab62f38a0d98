// The C API (include/homeca_enroll.h) over device_enroller.h. Every entry
// point catches everything: no exception may cross a C boundary.
#include <chrono>
#include <new>
#include <string>
#include <vector>

#include "ca/base/device_id.h"
#include "enroll/device/device_enroller.h"
#include "enroll/device/renewal_schedule.h"
#include "homeca_enroll.h"

#ifndef HOMECA_ENROLL_VERSION
#error "HOMECA_ENROLL_VERSION must be defined by the build"
#endif

using homeca::enroll::EnrollError;

struct homeca_enroll {
  homeca::enroll::EnrollerConfig config;
  std::string url_error;  // set while the configured URL is invalid
  bool state_dir_set = false;
  std::string last_error;
  int retry_after = 0;
  // What the last successful check-in learned; cleared by every check-in.
  std::string checkin_address;
  std::vector<std::string> checkin_names;
};

// The C enum mirrors EnrollError value for value.
static_assert(static_cast<int>(EnrollError::kBadConfirmation) ==
              HOMECA_ENROLL_ERR_BAD_CONFIRMATION);
static_assert(static_cast<int>(EnrollError::kCaUnknownError) == HOMECA_ENROLL_ERR_CA_UNKNOWN_ERROR);
static_assert(static_cast<int>(EnrollError::kInternal) == HOMECA_ENROLL_ERR_INTERNAL);
static_assert(static_cast<int>(EnrollError::kSuperseded) == HOMECA_ENROLL_ERR_SUPERSEDED);
static_assert(static_cast<int>(EnrollError::kLockedOut) == HOMECA_ENROLL_ERR_LOCKED_OUT);
static_assert(static_cast<int>(EnrollError::kBackingOff) == HOMECA_ENROLL_ERR_BACKING_OFF);

namespace {

// The one place an error becomes a C API code: the C enum mirrors
// EnrollError value for value (enroll/protocol/errors.h). not_found, which
// the protocol's table lacks, reads as an error this library does not know.
homeca_enroll_error_t ToC(EnrollError error) {
  if (error == EnrollError::kUnknownEndpoint) return HOMECA_ENROLL_ERR_CA_UNKNOWN_ERROR;
  return static_cast<homeca_enroll_error_t>(static_cast<int>(error));
}

homeca_enroll_error_t Fail(homeca_enroll_t* h, homeca_enroll_error_t code, std::string message) {
  h->last_error = std::move(message);
  return code;
}

homeca_enroll_error_t Ok(homeca_enroll_t* h) {
  h->last_error.clear();
  h->retry_after = 0;
  return HOMECA_ENROLL_OK;
}

homeca_enroll_error_t From(homeca_enroll_t* h, const homeca::Status& status) {
  if (status.ok()) return Ok(h);
  h->retry_after = status.retry_after_seconds();
  return Fail(h, ToC(homeca::enroll::ErrorOf(status)), status.message());
}

template <typename T>
homeca_enroll_error_t From(homeca_enroll_t* h, const homeca::Result<T>& result) {
  return From(h, result.status());
}

// Runs `body`, turning any exception into HOMECA_ENROLL_ERR_INTERNAL.
template <typename Body>
homeca_enroll_error_t Guard(homeca_enroll_t* h, Body&& body) noexcept {
  if (h == nullptr) return HOMECA_ENROLL_ERR_INVALID_ARGUMENT;
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return Fail(h, HOMECA_ENROLL_ERR_INTERNAL, "out of memory");
  } catch (...) {
    return Fail(h, HOMECA_ENROLL_ERR_INTERNAL, "internal error (unexpected exception)");
  }
}

homeca_enroll_error_t SetUrl(homeca_enroll_t* h, const char* url) {
  h->config.ca_url = url == nullptr ? "" : url;
  h->url_error.clear();
  if (url == nullptr) return Ok(h);
  homeca::Result<homeca::enroll::Endpoint> endpoint = homeca::enroll::ParseCaUrl(url);
  if (!endpoint.ok()) {
    h->url_error = endpoint.status().message();
    return Fail(h, HOMECA_ENROLL_ERR_INVALID_ARGUMENT, h->url_error);
  }
  return Ok(h);
}

homeca_enroll_error_t SetPath(homeca_enroll_t* h, const char* path,
                              std::filesystem::path homeca::enroll::DevicePaths::*member) {
  return Guard(h, [&] {
    if (path == nullptr || *path == '\0') {
      return Fail(h, HOMECA_ENROLL_ERR_INVALID_ARGUMENT, "the path is empty");
    }
    h->config.paths.*member = path;
    return Ok(h);
  });
}

// The installed certificate's expiry or renewal time; 0 with a message on failure.
template <typename Pick>
int64_t FromInstalled(homeca_enroll_t* h, Pick pick) noexcept {
  int64_t out = 0;
  Guard(h, [&] {
    auto installed = homeca::enroll::LoadEnrollment(h->config.paths);
    if (installed.ok()) out = pick(*installed);
    return From(h, installed);
  });
  return out;
}

}  // namespace

extern "C" {

const char* homeca_enroll_strerror(homeca_enroll_error_t error) {
  // ErrorDescription returns views of string literals: NUL-terminated.
  return homeca::enroll::ErrorDescription(static_cast<EnrollError>(error)).data();
}

const char* homeca_enroll_version(void) { return HOMECA_ENROLL_VERSION; }

homeca_enroll_t* homeca_enroll_new(const char* ca_url) {
  try {
    auto* h = new homeca_enroll;
    SetUrl(h, ca_url);
    return h;
  } catch (...) {
    return nullptr;
  }
}

void homeca_enroll_free(homeca_enroll_t* h) { delete h; }

homeca_enroll_error_t homeca_enroll_set_ca_url(homeca_enroll_t* h, const char* ca_url) {
  return Guard(h, [&] { return SetUrl(h, ca_url); });
}

homeca_enroll_error_t homeca_enroll_set_state_dir(homeca_enroll_t* h, const char* dir) {
  return Guard(h, [&] {
    if (dir == nullptr || *dir == '\0') {
      return Fail(h, HOMECA_ENROLL_ERR_INVALID_ARGUMENT, "the state directory is empty");
    }
    h->config.paths = homeca::enroll::DevicePaths::Under(dir);
    h->state_dir_set = true;
    return Ok(h);
  });
}

homeca_enroll_error_t homeca_enroll_set_key_path(homeca_enroll_t* h, const char* path) {
  return SetPath(h, path, &homeca::enroll::DevicePaths::key);
}
homeca_enroll_error_t homeca_enroll_set_cert_path(homeca_enroll_t* h, const char* path) {
  const homeca_enroll_error_t result = SetPath(h, path, &homeca::enroll::DevicePaths::cert);
  // As in the CLI: without a state directory the state follows the certificate.
  if (result == HOMECA_ENROLL_OK && !h->state_dir_set) {
    h->config.paths.state = homeca::enroll::DevicePaths::StateBeside(h->config.paths.cert);
  }
  return result;
}
homeca_enroll_error_t homeca_enroll_set_chain_path(homeca_enroll_t* h, const char* path) {
  return SetPath(h, path, &homeca::enroll::DevicePaths::chain);
}
homeca_enroll_error_t homeca_enroll_set_root_path(homeca_enroll_t* h, const char* path) {
  return SetPath(h, path, &homeca::enroll::DevicePaths::root);
}

homeca_enroll_error_t homeca_enroll_set_device_id(homeca_enroll_t* h, const char* device_id) {
  return Guard(h, [&] {
    const std::string id = device_id == nullptr ? "" : device_id;
    if (!id.empty() && !homeca::ca::IsValidDeviceId(id)) {
      return Fail(h, HOMECA_ENROLL_ERR_INVALID_ARGUMENT,
                  "device id: use 1 to 64 characters from A-Z a-z 0-9 . _ -");
    }
    h->config.device_id = id;
    return Ok(h);
  });
}

homeca_enroll_error_t homeca_enroll_set_timeout(homeca_enroll_t* h, int seconds) {
  return Guard(h, [&] {
    if (seconds <= 0 || seconds > 3600) {
      return Fail(h, HOMECA_ENROLL_ERR_INVALID_ARGUMENT, "the timeout must be 1 to 3600 seconds");
    }
    h->config.timeouts.connect = std::chrono::seconds(seconds);
    h->config.timeouts.io = std::chrono::seconds(seconds);
    h->config.timeouts.total = std::chrono::seconds(2 * seconds);
    return Ok(h);
  });
}

homeca_enroll_error_t homeca_enroll_pair(homeca_enroll_t* h, const char* code) {
  return Guard(h, [&] {
    if (code == nullptr) return Fail(h, HOMECA_ENROLL_ERR_INVALID_CODE, "no pairing code given");
    // The code first: a typo must be reported as such, whatever else is wrong.
    if (auto checked = homeca::enroll::CheckPairingCode(code); !checked.ok()) {
      return From(h, checked);
    }
    if (!h->url_error.empty()) return Fail(h, HOMECA_ENROLL_ERR_INVALID_ARGUMENT, h->url_error);
    return From(h, homeca::enroll::PairAndInstall(h->config, code));
  });
}

homeca_enroll_error_t homeca_enroll_reset_lockout(homeca_enroll_t* h) {
  return Guard(h, [&] {
    return From(h, homeca::enroll::ResetLockout(homeca::enroll::LockoutFile(h->config.paths)));
  });
}

int homeca_enroll_failed_confirmations(homeca_enroll_t* h) {
  int out = -1;
  Guard(h, [&] {
    auto state = homeca::enroll::LoadLockout(homeca::enroll::LockoutFile(h->config.paths));
    if (state.ok()) out = state->failures;
    return From(h, state);
  });
  return out;
}

homeca_enroll_error_t homeca_enroll_renew(homeca_enroll_t* h) {
  return Guard(h, [&] { return From(h, homeca::enroll::RenewAndInstall(h->config)); });
}

homeca_enroll_error_t homeca_enroll_checkin(homeca_enroll_t* h) {
  return Guard(h, [&] {
    h->checkin_address.clear();
    h->checkin_names.clear();
    auto answer = homeca::enroll::CheckInInstalled(h->config);
    if (answer.ok()) {
      h->checkin_address = answer->address;
      h->checkin_names = answer->names;
    }
    return From(h, answer);
  });
}

const char* homeca_enroll_checkin_address(const homeca_enroll_t* h) {
  return h == nullptr ? "" : h->checkin_address.c_str();
}

int homeca_enroll_checkin_name_count(const homeca_enroll_t* h) {
  return h == nullptr ? 0 : static_cast<int>(h->checkin_names.size());
}

const char* homeca_enroll_checkin_name(const homeca_enroll_t* h, int index) {
  if (h == nullptr || index < 0 || static_cast<std::size_t>(index) >= h->checkin_names.size()) {
    return nullptr;
  }
  return h->checkin_names[static_cast<std::size_t>(index)].c_str();
}

int64_t homeca_enroll_not_after(homeca_enroll_t* h) {
  return FromInstalled(h, [](const homeca::enroll::Enrollment& e) { return e.not_after; });
}

int64_t homeca_enroll_renew_at(homeca_enroll_t* h) {
  return FromInstalled(h, [](const homeca::enroll::Enrollment& e) {
    const homeca::ca::Certificate& leaf = e.chain.front();
    return homeca::enroll::RenewalTimeFor(leaf);
  });
}

int homeca_enroll_retry_after(const homeca_enroll_t* h) {
  return h == nullptr ? 0 : h->retry_after;
}

const char* homeca_enroll_last_error(const homeca_enroll_t* h) {
  if (h == nullptr) return "no handle (homeca_enroll_new failed or was not called)";
  return h->last_error.c_str();
}

}  // extern "C"
