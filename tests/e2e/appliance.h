// Test support for end-to-end tests: a real homecad in development mode on a
// free loopback port, with its own throwaway data directory, plus helpers to
// run the real `homeca` and `homeca-enroll` binaries against it.
#pragma once

#include <string>
#include <vector>

#include "tests/support/background_process.h"
#include "tests/support/process.h"

namespace homeca::testing {

class Appliance {
 public:
  Appliance();
  const TempDir& dir() const { return dir_; }
  unsigned short port() const { return port_; }
  std::string url() const { return "https://127.0.0.1:" + std::to_string(port_); }
  BackgroundProcess& daemon() { return daemon_; }

  // `homeca ARGS --data-dir=<the appliance's>`
  ProcessResult Homeca(std::vector<std::string> args) const;
  // Creates a pairing for `name` with `homeca pair add` and returns the code.
  std::string AddPairing(const std::string& name) const;
  // Number of certificates in the store (the daemon's own included).
  int CertificateCount() const;

 private:
  TempDir dir_;
  unsigned short port_ = 0;
  BackgroundProcess daemon_;
};

// `homeca-enroll ARGS`
ProcessResult HomecaEnroll(std::vector<std::string> args);

// POSTs `body` to `url` with curl (no verification: the tests poke at the
// protocol itself); its output is the body, a newline, and the HTTP status.
ProcessResult CurlPost(const std::string& url, const std::string& body);

}  // namespace homeca::testing
