// The stage of the AcmeService tests: a real CA (SQLite store, real signing)
// in a temporary directory on a test clock, the service on it at
// testing::kOrigin, and the steps most tests take (an ACME pairing, a CSR,
// newOrder + finalize).
//
// Thread-safety: none; one Server per test.
#pragma once

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "ca/authority.h"
#include "ca/base/clock.h"
#include "enroll/acme/acme_pairing.h"
#include "enroll/acme/acme_service.h"
#include "tests/enroll/acme/acme_client.h"
#include "tests/support/process.h"

namespace homeca::enroll::acme::testing {

struct Server {
  explicit Server(AcmeServiceOptions options = {std::string(kOrigin)});
  AcmePairing Pair(const std::string& name = "nas");
  std::int64_t CertificateCount();
  bool Audited(const std::string& action);

  ::homeca::testing::TempDir dir;
  ca::FakeClock clock;
  std::unique_ptr<ca::Authority> authority;
  std::unique_ptr<AcmeService> service;
};

// A DER PKCS#10 for `names` (the first one also the commonName).
std::string Csr(EVP_PKEY* key, std::vector<std::string> names);

// newOrder and finalize for `names` with `cert_key` (a fresh P-256 key when
// null), each required to succeed; the order.
Poco::JSON::Object::Ptr Issue(AcmeClient& client, const std::vector<std::string>& names,
                              EVP_PKEY* cert_key = nullptr);

}  // namespace homeca::enroll::acme::testing
