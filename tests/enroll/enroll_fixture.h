// Test support for the CA side of pairing: a real CA in a temporary directory
// on a fake clock, and a device that speaks the enrollment protocol to an
// EnrollmentService in process, as the Spake2PlusProver it would be.
#pragma once

#include <Poco/JSON/Object.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ca/authority.h"
#include "ca/base/clock.h"
#include "enroll/enrollment_service.h"
#include "enroll/pake/seal.h"
#include "enroll/pake/spake2plus.h"
#include "tests/support/process.h"

namespace homeca::enroll {

// A CA whose fake clock starts at the real time, so what it issues verifies
// today with `openssl verify`.
struct TestCa {
  TestCa();
  testing::TempDir dir;
  ca::FakeClock clock;
  std::unique_ptr<ca::Authority> authority;

  ca::Authority& operator*() { return *authority; }
  ca::Authority* operator->() { return authority.get(); }
  std::int64_t CertificateCount();
  std::vector<ca::AuditEntry> AuditLog();
  // Every audit field of every entry, one line each: for "never in the log".
  std::string AuditText();
};

Bytes RandomServerHash();
EnrollmentOptions TestOptions(const Bytes& server_hash);

// Parses a JSON object body; fails the test otherwise.
Poco::JSON::Object::Ptr Json(const std::string& body);
// The "error" member of an error response, or "" for a success.
std::string ErrorOf(const EnrollmentResponse& response);

EnrollmentResponse Post(EnrollmentService& service, const std::string& endpoint,
                        const std::string& body, std::vector<Bytes> client_chain = {},
                        std::string peer_address = {});

// A fresh P-256 key's CSR, DER.
std::string NewCsrDer();

// Runs `openssl verify -x509_strict -purpose sslserver -verify_hostname HOST`
// on the chain and root of a pairing result (or a renewal plus `root_der`).
testing::ProcessResult VerifyWithOpenssl(const Poco::JSON::Object::Ptr& result,
                                         const Bytes& root_der, const std::string& hostname);

class TestDevice {
 public:
  static TestDevice ForSlot(EnrollmentService& service, std::string code, Bytes server_hash);
  static TestDevice ForDevice(EnrollmentService& service, std::string device_id, std::string code,
                              Bytes server_hash);

  // May be called again for a new session (a retry, another attempt).
  EnrollmentResponse Start();
  // Runs the prover against the answer; see confirm_v_ok().
  EnrollmentResponse Exchange();
  // The device's own check of confirm_v after Exchange.
  bool confirm_v_ok() const { return confirmed_; }
  // Sends confirm_p and the sealed CSR. When confirm_v did not check out it
  // sends what its own transcript says, as a device with a wrong code would.
  EnrollmentResponse Finish(const std::string& csr_der);
  // The finish request body alone, for sending from another thread (Catch's
  // assertions, used while building it, are not thread-safe).
  std::string FinishBody(const std::string& csr_der);
  // Start, Exchange, Finish with a fresh key; the finish response.
  EnrollmentResponse Pair();
  // The opened sealed_response of a successful finish; fails the test if it
  // does not open.
  Poco::JSON::Object::Ptr OpenResult(const EnrollmentResponse& finish) const;
  // Just the authentication check, for tests that expect it to fail.
  bool ResultOpens(const EnrollmentResponse& finish) const;

  const Bytes& session() const { return session_; }
  std::string session_b64() const;
  // The TCP peer address every request of this device seems to come from.
  void set_peer_address(std::string address) { peer_address_ = std::move(address); }

 private:
  TestDevice(EnrollmentService& service, std::string start_body, std::string id_prover,
             std::string code, Bytes server_hash);
  EnrollmentService* service_;
  std::string start_body_;
  std::string id_prover_;
  std::string code_;
  Bytes server_hash_;
  Bytes session_;
  Bytes salt_;
  PasswordKdf kdf_;
  // The KDF is the slow part; Start() may run again on the same pairing.
  std::optional<ProverSecrets> secrets_;
  Bytes secrets_salt_;
  std::optional<Spake2PlusProver> prover_;
  Bytes confirm_p_;
  bool confirmed_ = false;
  std::string peer_address_;
};

// --- Certificates to renew and check in with ------------------------------

// A renewal (or crash-retry) request body for a DER CSR.
std::string RenewBody(const std::string& csr_der);
// Issues a certificate for `names` straight from the CA (no pairing).
ca::IssuedCertificate IssueDirect(TestCa& ca, std::vector<std::string> names);
// A leaf the intermediate really signed, but that the store never saw: what a
// leaked intermediate key (or a lost database) would produce.
Bytes SignedButNotStored(TestCa& ca);
// A certificate with the serial of one on record, signed by our intermediate,
// but not the one we stored.
Bytes Twin(TestCa& ca, const ca::IssuedCertificate& original);
// The leaf of a successful renewal answer; fails the test otherwise.
Bytes RenewedLeaf(const EnrollmentResponse& r);
std::string SerialOf(const Bytes& der);
// The store id of the certificate with these DER bytes.
std::int64_t CertificateIdOf(TestCa& ca, const Bytes& der);

struct PairedDevice {
  std::int64_t pairing_id = 0;
  Bytes leaf;  // the certificate pairing gave it
};
// Pairs a device through the real protocol, as `homeca pair` + the device
// would: a CA-made code, start, exchange, finish (from `peer_address`).
PairedDevice PairDevice(TestCa& ca, EnrollmentService& service, const Bytes& hash,
                        const std::string& name, const std::string& peer_address = {});

// The 12 digits of a code shown as DDDD-DDDD-DDDD, and the forms a log
// could betray it in (digits, display form, the 9-digit secret).
std::vector<std::string> CodeForms(const std::string& digits);

}  // namespace homeca::enroll
