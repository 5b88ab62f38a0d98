// Test support: the one homecad launcher of the tests. A real homecad in
// development mode with its own throwaway data directory and both listeners
// on free loopback ports (port 0: the daemon takes any free port and logs it,
// so parallel tests never race for one), plus the real `homeca` and
// `homeca-enroll` run against it. Used by webui_test and e2e_test.
//
// Thread-safety: one test thread. Ownership: owns the daemon (stopped on
// destruction) and its directory.
#pragma once

#include <string>
#include <vector>

#include "tests/support/background_process.h"
#include "tests/support/browser.h"
#include "tests/support/process.h"

namespace homeca::testing {

class Appliance {
 public:
  Appliance();
  const TempDir& dir() const { return dir_; }
  std::string data_dir() const { return (dir_ / "ca").string(); }
  std::string https() const { return "https://127.0.0.1:" + std::to_string(https_port_); }
  std::string http() const { return "http://127.0.0.1:" + std::to_string(http_port_); }
  // What homecad's links start with (https://<host>.local:<port>), as logged.
  std::string admin_base() const { return admin_base_; }
  unsigned short https_port() const { return https_port_; }
  unsigned short http_port() const { return http_port_; }
  std::string setup_token() const { return setup_token_; }
  BackgroundProcess& daemon() { return daemon_; }

  // `homeca ARGS --data-dir=<the appliance's>`
  ProcessResult Homeca(std::vector<std::string> args, const std::string& input = "") const;
  // Creates a pairing for `name` with `homeca pair add` and returns the code.
  std::string AddPairing(const std::string& name) const;
  // Number of certificates in the store (the daemon's own included).
  int CertificateCount() const;
  // Number of audit entries whose action is `action`.
  int AuditCount(const std::string& action) const;
  // Runs the first-run setup in `browser` (which is then logged in).
  void SetUp(const Browser& browser, const std::string& password = kPassword);
  // Logs `browser` in; REQUIREs success.
  void LogIn(const Browser& browser, const std::string& password = kPassword);

  static constexpr const char* kPassword = "correct horse battery";

 private:
  TempDir dir_;
  BackgroundProcess daemon_;
  unsigned short https_port_ = 0;
  unsigned short http_port_ = 0;
  std::string setup_token_;
  std::string admin_base_;
};

// `homeca-enroll ARGS`
ProcessResult HomecaEnroll(std::vector<std::string> args);

// POSTs `body` to `url` with curl (no verification: the tests poke at the
// protocol itself); its output is the body, a newline, and the HTTP status.
ProcessResult CurlPost(const std::string& url, const std::string& body);

}  // namespace homeca::testing
