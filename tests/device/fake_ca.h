// Test support for the device side: a real CA (ca::Authority in a temporary
// directory) behind a hand-written CA side of the enrollment protocol that
// runs in process as a Transport. It is written from the protocol document,
// independently of EnrollmentService, and has knobs to misbehave: other
// PBKDF2 parameters, errors at a chosen step, a tampered sealed answer,
// another root, names the certificate lacks, a machine in the middle (a TLS
// certificate hash other than the one the CA binds).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ca/authority.h"
#include "ca/base/clock.h"
#include "enroll/device/transport.h"
#include "enroll/pake/seal.h"
#include "enroll/pake/spake2plus.h"
#include "tests/support/process.h"

namespace homeca::enroll {

// A CA whose fake clock starts at the real time.
struct DeviceTestCa {
  DeviceTestCa();
  testing::TempDir dir;
  ca::FakeClock clock;
  std::unique_ptr<ca::Authority> authority;
};

// A valid code for `slot` (random secret), as 12 digits.
std::string NewCode(int slot = 42);
// `code` with its check digit changed: a typo.
std::string WithTypo(const std::string& code);

class FakeCa final : public Transport {
 public:
  FakeCa(ca::Authority& authority, std::string code);

  // What the CA sends and binds. The KDF: "pbkdf2-sha256" with `iterations`
  // (the protocol's minimum keeps tests fast), or "scrypt" with n, r, p.
  Bytes salt = RandomBytes(16);
  std::string kdf = "pbkdf2-sha256";
  std::int64_t iterations = 1000;
  std::int64_t scrypt_n = 16384;
  std::int64_t scrypt_r = 8;
  std::int64_t scrypt_p = 1;
  // Key confirmation always fails (a rogue CA guessing a device's code):
  // the verifier record comes from this code instead, and a new salt is sent
  // on every start.
  std::optional<std::string> guess_code;
  Bytes ca_cert_hash = RandomBytes(32);  // bound by the CA
  Bytes seen_cert_hash = ca_cert_hash;   // reported to the device
  int change_seen_hash_at_request = -1;  // from this request index on, another hash
  std::vector<std::string> names = {"nas.home.arpa"};
  std::vector<std::string> claimed_names;    // put in the answer instead, when set
  std::optional<Bytes> root_override;        // DER
  std::optional<std::string> issue_for_csr;  // issue for this CSR, not the device's
  bool tamper_sealed_response = false;
  std::string renew_url = "https://ca.home.arpa:8443/enroll/v1/renew";
  // What a check-in answers the device was seen at.
  std::string checkin_address = "192.0.2.50";
  // endpoint ("start", "exchange", "finish", "renew", "checkin") -> canned answer
  std::map<std::string, TransportResponse> canned;
  // Rewrites an answer body (JSON text) before it is returned.
  std::function<void(const std::string& endpoint, std::string& body)> mutate_answer;

  struct Request {
    std::string path;
    std::string body;
  };
  std::vector<Request> requests;
  bool confirmed = false;  // the device's confirm_p checked out
  int starts = 0;          // start requests answered
  int exchanges = 0;       // exchange requests answered
  int checkins = 0;        // check-in requests answered 200

  Result<TransportResponse> Post(std::string_view path, std::string_view json_body) override;
  Bytes ServerCertificateSha256() const override { return current_seen_hash_; }

 private:
  TransportResponse Start(const std::string& body);
  TransportResponse Exchange(const std::string& body);
  TransportResponse Finish(const std::string& body);
  TransportResponse Renew(const std::string& body);
  TransportResponse CheckIn(const std::string& body);
  // Issues for the CSR (or issue_for_csr); chain DER, leaf first.
  std::vector<Bytes> Issue(const std::string& csr_der);

  ca::Authority& authority_;
  std::string code_;
  Bytes session_;
  std::optional<Spake2PlusVerifier> verifier_;
  Bytes current_seen_hash_;
};

// w0s || w1s for `code` as the protocol document defines them, written apart
// from the production KDF code (enroll/pake/password_kdf.*) so that the two check
// each other: OpenSSL's PKCS5_PBKDF2_HMAC / EVP_PBE_scrypt over
// len(pw)||pw||len(idProver)||idProver||len(idVerifier)||idVerifier with
// 8-byte little-endian lengths, then each half mod n. Empty when the
// parameters are ones no device would accept (the fake then cannot answer).
std::optional<ProverSecrets> IndependentProverSecrets(const std::string& code,
                                                      const std::string& id_prover,
                                                      const Bytes& salt, const std::string& kdf,
                                                      std::int64_t iterations, std::int64_t n,
                                                      std::int64_t r, std::int64_t p);

// A JSON error answer as the protocol defines it.
TransportResponse ErrorAnswer(int status, const std::string& error, int retry_after = 0);

}  // namespace homeca::enroll
