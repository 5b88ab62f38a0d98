// EnrollmentService: the CA side of the enrollment protocol
// (docs/enrollment-protocol.md), independent of any HTTP library. The daemon
// (webui/) feeds it the path, body, client certificate and client address of
// each request under /enroll/v1/ and writes back the status and JSON it
// returns; it learns where enrolled devices are through on_device_contact.
//
// Thread-safety: Handle() may be called from many server threads at once.
// Ownership: borrows the Authority, which must outlive the service.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "ca/authority.h"
#include "ca/base/encoding.h"

namespace homeca::enroll {

struct EnrollmentRequest {
  std::string path;  // "/enroll/v1/start", ".../exchange", ".../finish", ".../renew", ".../checkin"
  std::string body;  // raw request body (the transport caps it at 64 KiB)
  std::vector<Bytes>
      client_chain;  // DER, leaf first, as presented in the TLS handshake; may be empty
  // The client's IP address as text (the TCP peer), an IPv4-mapped IPv6
  // address ("::ffff:192.0.2.7") already written as IPv4; empty when unknown.
  // (The initializer lets callers that predate it still brace-initialize
  // the first three members without -Wmissing-field-initializers.)
  std::string peer_address = {};
};

// An authenticated contact from an enrolled device: where it was when it
// paired, renewed or checked in. Only these count; nothing unauthenticated
// (a start, an exchange, a refused request) ever says where a device is.
struct DeviceContact {
  // The store id of the certificate the device holds now: the one just
  // issued (pairing, renewal, and the certificate a crash retry returns) or
  // the one it presented (check-in).
  std::int64_t certificate_id = 0;
  std::string address;  // EnrollmentRequest::peer_address, never empty here
  std::string how;      // "pairing", "renewal" or "checkin"
};

struct EnrollmentResponse {
  int http_status = 200;
  std::string body;             // JSON object
  int retry_after_seconds = 0;  // > 0 only with 429
  // With a 500: what went wrong inside the CA (a store error, say), for the
  // daemon's log. Never sent to the device, which gets only "internal".
  std::string log_detail;
};

struct EnrollmentOptions {
  Bytes server_cert_sha256;  // SHA-256 of the DER TLS leaf this daemon serves
  std::string renew_url;     // put in the sealed pairing response
  std::int64_t session_ttl_seconds = 60;
  std::size_t max_sessions = 256;
  int max_exchanges_per_minute = 30;
  int max_attempts_per_pairing = 5;
  // Called, when set, after a successful finish, renewal (the crash-retry
  // answer included) or check-in whose request has a peer_address; never for
  // a refused or failed request. It runs on the request thread before the
  // answer is sent, possibly on many threads at once: it must be quick and
  // thread-safe. It should not throw; if it does, the device still gets its
  // answer and the error goes to EnrollmentResponse::log_detail.
  std::function<void(const DeviceContact&)> on_device_contact;
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
