// homeca/enroll.hpp - the C++ API of libhomeca-enroll: a header-only RAII
// wrapper over the stable C API (homeca_enroll.h), so C++ firmware gets
// value types and no manual freeing while the library's ABI stays C only.
//
//   homeca::enroll_api::Device device("https://ca.home.arpa:8443");
//   device.SetStateDir("/var/lib/mydevice/tls");
//   if (auto err = device.Pair("0735-2918-6402")) std::cerr << err.message << "\n";
//
// Like the C API, nothing here throws (except std::bad_alloc from std::string).
// Thread-safety: one Device per thread at a time. Ownership: a Device owns its
// handle; it is movable, not copyable.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "homeca_enroll.h"

namespace homeca::enroll_api {

// The outcome of a call: converts to true when the call FAILED, so
// `if (auto err = device.Pair(code))` reads naturally.
struct Error {
  homeca_enroll_error_t code = HOMECA_ENROLL_OK;
  std::string message;
  explicit operator bool() const { return code != HOMECA_ENROLL_OK; }
};

// What a check-in learned (see homeca_enroll_checkin).
struct CheckInResult {
  std::string address;  // the IP address the CA saw this device at
  std::vector<std::string> names;
};

class Device {
 public:
  // `ca_url` may be empty when the device only renews.
  explicit Device(const std::string& ca_url = {})
      : h_(homeca_enroll_new(ca_url.empty() ? nullptr : ca_url.c_str())) {}
  ~Device() { homeca_enroll_free(h_); }
  Device(Device&& other) noexcept : h_(std::exchange(other.h_, nullptr)) {}
  Device& operator=(Device&& other) noexcept {
    std::swap(h_, other.h_);
    return *this;
  }
  Device(const Device&) = delete;
  Device& operator=(const Device&) = delete;

  Error SetCaUrl(const std::string& url) {
    return Check(homeca_enroll_set_ca_url(h_, url.c_str()));
  }
  Error SetStateDir(const std::string& dir) {
    return Check(homeca_enroll_set_state_dir(h_, dir.c_str()));
  }
  Error SetKeyPath(const std::string& p) {
    return Check(homeca_enroll_set_key_path(h_, p.c_str()));
  }
  Error SetCertPath(const std::string& p) {
    return Check(homeca_enroll_set_cert_path(h_, p.c_str()));
  }
  Error SetChainPath(const std::string& p) {
    return Check(homeca_enroll_set_chain_path(h_, p.c_str()));
  }
  Error SetRootPath(const std::string& p) {
    return Check(homeca_enroll_set_root_path(h_, p.c_str()));
  }
  Error SetDeviceId(const std::string& id) {
    return Check(homeca_enroll_set_device_id(h_, id.c_str()));
  }
  Error SetTimeout(int seconds) { return Check(homeca_enroll_set_timeout(h_, seconds)); }

  Error Pair(const std::string& code) { return Check(homeca_enroll_pair(h_, code.c_str())); }
  // A new key each time (see homeca_enroll_renew): reload key and certificate.
  Error Renew() { return Check(homeca_enroll_renew(h_)); }
  // Tells the CA where this device is now (see homeca_enroll_checkin); on
  // success `*seen`, when given, holds what the CA saw.
  Error CheckIn(CheckInResult* seen = nullptr) {
    Error err = Check(homeca_enroll_checkin(h_));
    if (!err && seen != nullptr) {
      seen->address = homeca_enroll_checkin_address(h_);
      seen->names.clear();
      for (int i = 0; i < homeca_enroll_checkin_name_count(h_); ++i) {
        seen->names.emplace_back(homeca_enroll_checkin_name(h_, i));
      }
    }
    return err;
  }
  // See homeca_enroll_pair(): the guess limit of a device's own code.
  Error ResetLockout() { return Check(homeca_enroll_reset_lockout(h_)); }
  int FailedConfirmations() { return homeca_enroll_failed_confirmations(h_); }

  // Unix seconds; 0 when nothing is installed (see LastError()).
  std::int64_t NotAfter() { return homeca_enroll_not_after(h_); }
  std::int64_t RenewAt() { return homeca_enroll_renew_at(h_); }
  int RetryAfter() const { return homeca_enroll_retry_after(h_); }
  std::string LastError() const { return homeca_enroll_last_error(h_); }

 private:
  Error Check(homeca_enroll_error_t code) const {
    if (h_ == nullptr) return {HOMECA_ENROLL_ERR_INTERNAL, "out of memory"};
    if (code == HOMECA_ENROLL_OK) return {};
    return {code, homeca_enroll_last_error(h_)};
  }

  homeca_enroll_t* h_;
};

}  // namespace homeca::enroll_api
