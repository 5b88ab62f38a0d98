// AcmeService: the ACME server (RFC 8555) of docs/acme.md, independent of
// any HTTP library, like EnrollmentService. The daemon (webui/) feeds it the
// method, path, Content-Type and body of each request under /acme/ and
// writes back the status, headers and body it returns.
//
// The model: an account exists only through an external account binding
// that the admin made with a pairing (acme_pairing.h); the account is bound
// to that pairing, and the pairing is the authorization: an order for its
// names is ready at once, any other name is refused. Finalize issues through
// the Authority at once, as a renewal does, so the device's certificates
// form one lineage like any other device's.
//
// Thread-safety: Handle() may be called from many server threads at once,
// and SetOrigin and SetCertificatesPerDay beside it (a reload).
// Ownership: borrows the Authority, which must outlive the service.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "ca/authority.h"
#include "enroll/acme/nonce_pool.h"

namespace homeca::enroll::acme {

struct AcmeHttpRequest {
  std::string method;        // "GET", "HEAD", "POST", ...
  std::string path;          // "/acme/new-order", without the query
  std::string content_type;  // as received
  std::string body;          // the transport reads at most kMaxAcmeBodySize + 1 bytes
};

struct AcmeHttpResponse {
  int status = 200;
  std::string content_type;  // empty for an answer without a body
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // Replay-Nonce, Link, Location...
  // With a 500: what went wrong inside the CA, for the daemon's log only.
  std::string log_detail;
};

// Certificates one device may get through ACME in any rolling 24 hours,
// after the pairing's first (acme_rate_limits.h): homecad's
// acme.certificates_per_day.
inline constexpr int kDefaultAcmeCertificatesPerDay = 10;
inline constexpr int kMaxAcmeCertificatesPerDay = 100000;

struct AcmeServiceOptions {
  // Where clients reach homecad: "https://ca.home.arpa" or with a port. The
  // directory is <origin>/acme/directory, and every JWS "url" is checked
  // against <origin> + the request path.
  std::string origin;
  NoncePoolLimits nonce_limits = {};
  // 1 to kMaxAcmeCertificatesPerDay; other values are clamped into that range.
  int certificates_per_day = kDefaultAcmeCertificatesPerDay;
  // The nonce pool's random source: a seam for the fuzz target, which needs
  // nonces it can put in its inputs. Everything else keeps the CSPRNG.
  NoncePool::RandomSource nonce_random = RandomBytes;
};

inline constexpr std::string_view kAcmePathPrefix = "/acme/";

class AcmeService {
 public:
  AcmeService(ca::Authority& authority, AcmeServiceOptions options);
  ~AcmeService();
  AcmeService(const AcmeService&) = delete;
  AcmeService& operator=(const AcmeService&) = delete;

  // Never throws; every failure is a problem document (RFC 7807) with a
  // Replay-Nonce, as RFC 8555 section 6.5 asks of every answer.
  AcmeHttpResponse Handle(const AcmeHttpRequest& request);

  // Called once the listener's port is known, and on reload.
  void SetOrigin(std::string origin);
  std::string DirectoryUrl() const;
  // On reload; as AcmeServiceOptions::certificates_per_day. The next check
  // uses it.
  void SetCertificatesPerDay(int limit);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace homeca::enroll::acme
