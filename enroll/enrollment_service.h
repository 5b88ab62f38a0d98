// EnrollmentService: the CA side of the enrollment protocol
// (docs/enrollment-protocol.md), independent of any HTTP library. The daemon
// (webui/) feeds it the path, body and client certificate of each request
// under /enroll/v1/ and writes back the status and JSON it returns.
//
// Thread-safety: Handle() may be called from many server threads at once.
// Ownership: borrows the Authority, which must outlive the service.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "ca/authority.h"
#include "ca/encoding.h"

namespace homeca::enroll {

struct EnrollmentRequest {
  std::string path;                 // "/enroll/v1/start", ".../exchange", ".../finish", ".../renew"
  std::string body;                 // raw request body (the transport caps it at 64 KiB)
  std::vector<Bytes> client_chain;  // DER, leaf first, as presented in the TLS handshake; may be empty
};

struct EnrollmentResponse {
  int http_status = 200;
  std::string body;                 // JSON object
  int retry_after_seconds = 0;      // > 0 only with 429
  // With a 500: what went wrong inside the CA (a store error, say), for the
  // daemon's log. Never sent to the device, which gets only "internal".
  std::string log_detail;
};

struct EnrollmentOptions {
  Bytes server_cert_sha256;         // SHA-256 of the DER TLS leaf this daemon serves
  std::string renew_url;            // put in the sealed pairing response
  std::int64_t session_ttl_seconds = 60;
  std::size_t max_sessions = 256;
  int max_exchanges_per_minute = 30;
  int max_attempts_per_pairing = 5;
};

class EnrollmentService {
 public:
  EnrollmentService(ca::Authority& authority, EnrollmentOptions options);
  ~EnrollmentService();
  EnrollmentService(const EnrollmentService&) = delete;
  EnrollmentService& operator=(const EnrollmentService&) = delete;

  // Never throws; every failure is an error response as documented.
  EnrollmentResponse Handle(const EnrollmentRequest& request);

  // Called when the daemon's own TLS certificate changes (renewal, SIGHUP).
  void SetServerCertificateSha256(Bytes sha256);
  // Called on reload (SIGHUP): the renew URL given to devices paired from now
  // on, and the global limit on key exchanges per minute (>= 1).
  void SetRenewUrl(std::string renew_url);
  void SetMaxExchangesPerMinute(int max);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace homeca::enroll
