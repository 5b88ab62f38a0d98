// Transport: the seam between the device's protocol logic and HTTP, so the
// pairing and renewal code (pairing_client.h) can be tested against a fake or
// run in-process against the real EnrollmentService.
//
// The real one is HttpsTransport (https_transport.h). A transport is bound to
// one origin (scheme, host, port); paths are absolute ("/enroll/v1/start").
//
// Thread-safety: a transport serves one protocol run at a time.
// Ownership: callers borrow a transport for the length of a call.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "ca/base/encoding.h"
#include "ca/base/status.h"
#include "enroll/protocol/errors.h"
#include "enroll/protocol/limits.h"

namespace homeca::enroll {

// The bounds (kMaxRequestBody, kMaxResponseBody) are the protocol's
// (enroll/protocol/limits.h).
struct TransportResponse {
  int http_status = 0;
  std::string body;
  int retry_after_seconds = 0;  // from a Retry-After header, 0 when absent
};

class Transport {
 public:
  virtual ~Transport() = default;

  // POSTs `json_body` (Content-Type: application/json) to `path`. Fails with
  // kNetwork when no HTTP answer came back (connect, TLS, timeout, a body over
  // kMaxResponseBody); any HTTP status, including errors, is a success here.
  virtual Result<TransportResponse> Post(std::string_view path, std::string_view json_body) = 0;

  // SHA-256 of the DER of the server's TLS leaf on the connection that carried
  // the last Post: the pairing binds it into the SPAKE2+ context. Empty before
  // the first Post.
  virtual Bytes ServerCertificateSha256() const = 0;
};

}  // namespace homeca::enroll
