// HttpsTransport: the real Transport, HTTPS on Poco::Net with TLS 1.2 or
// newer only, one keep-alive connection to one origin.
//
// Two modes, for the protocol's two trust situations:
//  - Pairing: the device does not know the CA yet, so the server certificate
//    is NOT verified. That is safe here and only here because the SPAKE2+
//    context binds the SHA-256 of the certificate actually seen on this
//    connection: a machine in the middle presenting its own certificate makes
//    key confirmation fail, and everything that matters (the chain, the root)
//    arrives sealed under the PAKE key.
//  - Renewal: the device presents its certificate and key as TLS client
//    credentials and verifies the server against the root it received at
//    pairing, and nothing else (no system trust store), for the CA's own host
//    name, checked by OpenSSL during the handshake. A renewal never talks to
//    an impostor.
// Verification is set on the OpenSSL context directly, so it does not depend
// on Poco's process-wide SSLManager and its certificate handlers, which an
// application embedding this library might have set to "accept".
//
// Limits: connect 10 s, each read or write 30 s, a whole request 60 s;
// request bodies up to 64 KiB, answers up to 1 MiB.
//
// Thread-safety: not thread-safe; one protocol run at a time.
// Ownership: owns its session and TLS context; copies the credentials given.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "ca/x509/certificate.h"
#include "ca/x509/key.h"
#include "enroll/device/endpoint_url.h"
#include "enroll/device/transport.h"

namespace homeca::enroll {

struct HttpsTimeouts {
  std::chrono::seconds connect{10};
  std::chrono::seconds io{30};
  std::chrono::seconds total{60};
};

class HttpsTransport final : public Transport {
 public:
  // No server verification (see above): only for the pairing run.
  static Result<std::unique_ptr<HttpsTransport>> ForPairing(const Endpoint& endpoint,
                                                            HttpsTimeouts timeouts = {});

  // Client certificate `client_chain` (leaf first) with `client_key`; the
  // server at `endpoint` must verify to `root` for `verify_host` (a DNS name
  // or IP address; it may differ from the address connected to).
  static Result<std::unique_ptr<HttpsTransport>> ForRenewal(
      const Endpoint& endpoint, const std::string& verify_host, const ca::Certificate& root,
      const std::vector<ca::Certificate>& client_chain, const ca::PrivateKey& client_key,
      HttpsTimeouts timeouts = {});

  ~HttpsTransport() override;
  HttpsTransport(const HttpsTransport&) = delete;
  HttpsTransport& operator=(const HttpsTransport&) = delete;

  Result<TransportResponse> Post(std::string_view path, std::string_view json_body) override;
  Bytes ServerCertificateSha256() const override;

  struct Impl;

 private:
  explicit HttpsTransport(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace homeca::enroll
