#include "enroll/device/https_transport.h"

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/SSLManager.h>
#include <openssl/sha.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <charconv>
#include <istream>
#include <mutex>

#include "ca/base/openssl_error.h"
#include "enroll/protocol/json.h"

namespace homeca::enroll {

struct HttpsTransport::Impl {
  Endpoint endpoint;
  HttpsTimeouts timeouts;
  bool verifies_server = false;
  std::string verify_host;
  Poco::Net::Context::Ptr context;
  std::unique_ptr<Poco::Net::HTTPSClientSession> session;
  Bytes server_cert_sha256;
};

namespace {

// Forward secrecy and AEAD or at least strong ciphers for TLS 1.2; TLS 1.3
// suites are OpenSSL's defaults, all good.
constexpr const char* kCipherList = "HIGH:!aNULL:!eNULL:!kRSA:!PSK:!SRP:!MD5:!RC4:!3DES";
// Not Poco's default ("X448:X25519:..."): the first group is the key share a
// TLS 1.3 client sends, and X448 costs both ends several times X25519 (on a
// Raspberry Pi as on the CA). P-256 is for servers without X25519.
constexpr const char* kTlsGroups = "X25519:P-256";

void InitializeSslOnce() {
  static std::once_flag once;
  std::call_once(once, [] { Poco::Net::initializeSSL(); });
}

Result<Poco::Net::Context::Ptr> MakeContext(bool verify) {
  InitializeSslOnce();
  try {
    Poco::Net::Context::Params params;
    params.verificationMode =
        verify ? Poco::Net::Context::VERIFY_RELAXED : Poco::Net::Context::VERIFY_NONE;
    params.loadDefaultCAs = false;  // only the root from pairing is ever trusted
    params.cipherList = kCipherList;
    params.ecdhCurve = kTlsGroups;
    Poco::Net::Context::Ptr context =
        new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
    context->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
    // OpenSSL checks the host name during the handshake (set by the caller);
    // Poco's own after-the-fact check would only repeat it, with DNS lookups
    // for IP hosts.
    context->enableExtendedCertificateVerification(false);
    // OpenSSL's own verdict, without Poco's callback (see the header).
    SSL_CTX_set_verify(context->sslContext(), verify ? SSL_VERIFY_PEER : SSL_VERIFY_NONE, nullptr);
    return context;
  } catch (const Poco::Exception& e) {
    return Fail(EnrollError::kInternal, "cannot set up TLS", SanitizeForLog(e.displayText()));
  }
}

Status TlsSetupFailed() {
  return Fail(EnrollError::kInternal, ossl::CryptoError("cannot set up TLS"));
}

int ParseRetryAfter(const std::string& text) {
  int seconds = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (ec != std::errc() || end != text.data() + text.size() || seconds < 0) return 0;
  return std::min(seconds, 24 * 3600);
}

Bytes CertificateSha256(const X509* cert) {
  unsigned char* der = nullptr;
  const int len = i2d_X509(cert, &der);
  if (len <= 0) return {};
  Bytes digest(SHA256_DIGEST_LENGTH);
  SHA256(der, static_cast<std::size_t>(len), digest.data());
  OPENSSL_free(der);
  return digest;
}

}  // namespace

HttpsTransport::HttpsTransport(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {
  impl_->session = std::make_unique<Poco::Net::HTTPSClientSession>(
      impl_->endpoint.host, impl_->endpoint.port, impl_->context);
  // Timespan takes long seconds, 32 bits on armhf; the timeouts are at most
  // an hour (the CLI and the C API check them).
  const auto connect = static_cast<long>(impl_->timeouts.connect.count());
  const auto io = static_cast<long>(impl_->timeouts.io.count());
  impl_->session->setTimeout(Poco::Timespan(connect, 0), Poco::Timespan(io, 0),
                             Poco::Timespan(io, 0));
  impl_->session->setKeepAlive(true);
}

HttpsTransport::~HttpsTransport() = default;

namespace {

// Every pairing connection uses the same settings (no verification, no
// client certificate), so one context serves them all: an OpenSSL 3.0
// context costs about 0.3 ms to build, and a program that pairs many devices
// (the load generator in bench/) would pay it each time. SSL_CTX is safe to
// share between threads once set up.
Result<Poco::Net::Context::Ptr> SharedPairingContext() {
  static std::mutex mu;
  static Poco::Net::Context::Ptr shared;
  std::lock_guard<std::mutex> lock(mu);
  if (shared.isNull()) {
    Result<Poco::Net::Context::Ptr> made = MakeContext(false);
    if (!made.ok()) return made;  // not kept: the next pairing tries again
    shared = *made;
  }
  return shared;
}

}  // namespace

Result<std::unique_ptr<HttpsTransport>> HttpsTransport::ForPairing(const Endpoint& endpoint,
                                                                   HttpsTimeouts timeouts) {
  Result<Poco::Net::Context::Ptr> context = SharedPairingContext();
  if (!context.ok()) return context.status();
  auto impl = std::make_unique<Impl>();
  impl->endpoint = endpoint;
  impl->timeouts = timeouts;
  impl->context = *context;
  return std::unique_ptr<HttpsTransport>(new HttpsTransport(std::move(impl)));
}

Result<std::unique_ptr<HttpsTransport>> HttpsTransport::ForRenewal(
    const Endpoint& endpoint, const std::string& verify_host, const ca::Certificate& root,
    const std::vector<ca::Certificate>& client_chain, const ca::PrivateKey& client_key,
    HttpsTimeouts timeouts) {
  if (client_chain.empty()) {
    return Fail(EnrollError::kNotEnrolled, "renewal needs this device's certificate");
  }
  Result<Poco::Net::Context::Ptr> context = MakeContext(true);
  if (!context.ok()) return context.status();
  SSL_CTX* ctx = (*context)->sslContext();
  if (X509_STORE_add_cert(SSL_CTX_get_cert_store(ctx), root.native()) != 1) return TlsSetupFailed();
  X509_VERIFY_PARAM* param = SSL_CTX_get0_param(ctx);
  Poco::Net::IPAddress ip;
  const bool is_ip = Poco::Net::IPAddress::tryParse(verify_host, ip);
  const int host_set = is_ip ? X509_VERIFY_PARAM_set1_ip_asc(param, verify_host.c_str())
                             : X509_VERIFY_PARAM_set1_host(param, verify_host.c_str(), 0);
  X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  if (host_set != 1 || X509_VERIFY_PARAM_set_purpose(param, X509_PURPOSE_SSL_SERVER) != 1) {
    return TlsSetupFailed();
  }
  if (SSL_CTX_use_certificate(ctx, client_chain.front().native()) != 1) return TlsSetupFailed();
  for (std::size_t i = 1; i < client_chain.size(); ++i) {
    if (SSL_CTX_add1_chain_cert(ctx, client_chain[i].native()) != 1) return TlsSetupFailed();
  }
  if (SSL_CTX_use_PrivateKey(ctx, client_key.native()) != 1 ||
      SSL_CTX_check_private_key(ctx) != 1) {
    return Fail(EnrollError::kIo, ossl::CryptoError("the key file does not match the certificate"));
  }
  auto impl = std::make_unique<Impl>();
  impl->endpoint = endpoint;
  impl->timeouts = timeouts;
  impl->verifies_server = true;
  impl->verify_host = verify_host;
  impl->context = *context;
  return std::unique_ptr<HttpsTransport>(new HttpsTransport(std::move(impl)));
}

Result<TransportResponse> HttpsTransport::Post(std::string_view path, std::string_view json_body) {
  if (json_body.size() > kMaxRequestBody) {
    return Fail(EnrollError::kInternal, "the request is larger than the protocol allows");
  }
  Poco::Net::HTTPSClientSession& session = *impl_->session;
  const auto deadline = std::chrono::steady_clock::now() + impl_->timeouts.total;
  const std::string where = impl_->endpoint.Url();
  try {
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, std::string(path),
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    request.setContentType("application/json");
    request.setContentLength(static_cast<std::streamsize>(json_body.size()));
    request.set("Accept", "application/json");
    request.setKeepAlive(true);
    std::ostream& out = session.sendRequest(request);
    out.write(json_body.data(), static_cast<std::streamsize>(json_body.size()));
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    // Hash the certificate of the connection that carried this request, while
    // it is still open.
    impl_->server_cert_sha256 = CertificateSha256(session.serverCertificate().certificate());

    TransportResponse result;
    result.http_status = static_cast<int>(response.getStatus());
    result.retry_after_seconds = ParseRetryAfter(response.get("Retry-After", ""));
    if (response.hasContentLength() &&
        response.getContentLength64() > static_cast<Poco::Int64>(kMaxResponseBody)) {
      session.reset();
      return Fail(EnrollError::kNetwork, "the CA's answer is too large");
    }
    char buf[4096];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
      result.body.append(buf, static_cast<std::size_t>(in.gcount()));
      // A server dribbling bytes must not keep the device waiting forever.
      if (result.body.size() > kMaxResponseBody || std::chrono::steady_clock::now() > deadline) {
        session.reset();
        return Fail(EnrollError::kNetwork, "the CA's answer is too large or too slow");
      }
    }
    return result;
  } catch (const Poco::Net::SSLException& e) {
    session.reset();
    const std::string text = e.displayText();
    if (impl_->verifies_server && text.find("certificate verify failed") != std::string::npos) {
      return Fail(EnrollError::kUntrusted,
                  "the server at " + where + " did not prove it is this device's CA (no " +
                      "certificate from the stored root for " + impl_->verify_host + ")",
                  SanitizeForLog(text));
    }
    return Fail(EnrollError::kNetwork, "TLS with the CA at " + where + " failed",
                SanitizeForLog(text));
  } catch (const Poco::TimeoutException& e) {
    session.reset();
    return Fail(EnrollError::kNetwork, "the CA at " + where + " did not answer in time",
                SanitizeForLog(e.displayText()));
  } catch (const Poco::Exception& e) {
    session.reset();
    return Fail(EnrollError::kNetwork, "cannot reach the CA at " + where,
                SanitizeForLog(e.displayText()));
  }
}

Bytes HttpsTransport::ServerCertificateSha256() const { return impl_->server_cert_sha256; }

}  // namespace homeca::enroll
