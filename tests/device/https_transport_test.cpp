// HttpsTransport against a real Poco HTTPS server on loopback, with
// certificates made by the openssl command: what the pairing binds, and that
// renewal presents its certificate and talks only to a server that verifies
// to the stored root for the URL's host.
#include "enroll/device/https_transport.h"

#include <Poco/Net/ServerSocket.h>

#include <atomic>
#include <catch2/catch.hpp>

#include "enroll/device/issued_chain.h"
#include "tests/device/https_test_server.h"
#include "tests/support/process.h"

namespace homeca::enroll {
namespace {

using testing::Run;

void Openssl(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"openssl"};
  argv.insert(argv.end(), args.begin(), args.end());
  const testing::ProcessResult r = Run(argv);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
}

// A root, and leaves it signs (or a self-signed impostor), as PEM files.
struct Pki {
  testing::TempDir dir;
  Pki() {
    Openssl({"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
             "-keyout", Path("root.key"), "-out", Path("root.pem"), "-days", "2", "-subj",
             "/CN=Transport Test Root", "-addext", "basicConstraints=critical,CA:TRUE", "-addext",
             "keyUsage=critical,keyCertSign,cRLSign"});
  }
  std::string Path(const std::string& name) const { return (dir / name).string(); }
  // Makes NAME.key and NAME.pem for `san`, signed by the root unless `self_signed`.
  void Leaf(const std::string& name, const std::string& san, bool self_signed = false) {
    testing::WriteText(dir / (name + ".ext"),
                       "subjectAltName=" + san +
                           "\nextendedKeyUsage=serverAuth,clientAuth\nbasicConstraints=CA:FALSE\n");
    Openssl({"req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
             "-keyout", Path(name + ".key"), "-out", Path(name + ".csr"), "-subj", "/CN=" + name});
    std::vector<std::string> sign = {"x509",     "-req",
                                     "-in",      Path(name + ".csr"),
                                     "-days",    "1",
                                     "-out",     Path(name + ".pem"),
                                     "-extfile", Path(name + ".ext")};
    if (self_signed) {
      sign.insert(sign.end(), {"-key", Path(name + ".key")});
    } else {
      sign.insert(sign.end(), {"-CA", Path("root.pem"), "-CAkey", Path("root.key"), "-set_serial",
                               std::to_string(++serial)});
    }
    Openssl(sign);
  }
  ca::Certificate Cert(const std::string& name) const {
    auto cert = ca::Certificate::FromPem(testing::ReadText(dir / (name + ".pem")));
    REQUIRE(cert.ok());
    return *cert;
  }
  ca::PrivateKey Key(const std::string& name) const {
    auto key = ca::PrivateKey::FromPem(testing::ReadText(dir / (name + ".key")));
    REQUIRE(key.ok());
    return *key;
  }
  int serial = 1;
};

std::atomic<bool> g_saw_client_cert{false};

// An HTTPS server with NAME.pem / NAME.key answering {"ok": true}, or
// `body_size` spaces.
class TestServer {
 public:
  TestServer(const Pki& pki, const std::string& name, std::size_t body_size = 0)
      : server_(pki.Path(name + ".key"), pki.Path(name + ".pem"), pki.Path("root.pem"),
                [body_size](Poco::Net::HTTPServerRequest& request,
                            Poco::Net::HTTPServerResponse& response) {
                  g_saw_client_cert = !testing::ClientChain(request).empty();
                  testing::ReadBody(request);
                  response.setContentType("application/json");
                  response.send() << (body_size == 0 ? std::string("{\"ok\": true}")
                                                     : std::string(body_size, ' '));
                }) {}
  Endpoint endpoint() const { return Endpoint{"127.0.0.1", server_.port(), "/enroll/v1"}; }

 private:
  testing::HttpsTestServer server_;
};

TEST_CASE("pairing mode reports the SHA-256 of the server's leaf", "[device][https]") {
  Pki pki;
  pki.Leaf("server", "IP:127.0.0.1");
  TestServer server(pki, "server");
  auto transport = HttpsTransport::ForPairing(server.endpoint());
  REQUIRE(transport.ok());
  CHECK((*transport)->ServerCertificateSha256().empty());
  auto answer = (*transport)->Post("/enroll/v1/start", "{}");
  INFO(answer.status().message() << " / " << answer.status().detail());
  REQUIRE(answer.ok());
  CHECK(answer->http_status == 200);
  CHECK(answer->body == "{\"ok\": true}");
  CHECK((*transport)->ServerCertificateSha256() == pki.Cert("server").FingerprintSha256());
  CHECK_FALSE(g_saw_client_cert);
}

TEST_CASE("renewal presents its certificate and trusts only the stored root", "[device][https]") {
  Pki pki;
  pki.Leaf("server", "IP:127.0.0.1");
  pki.Leaf("wrong-name", "DNS:ca.home.arpa");
  pki.Leaf("impostor", "IP:127.0.0.1", true);
  pki.Leaf("device", "DNS:nas.home.arpa");
  const std::vector<ca::Certificate> chain = {pki.Cert("device")};
  const ca::PrivateKey key = pki.Key("device");

  SECTION("the real CA") {
    TestServer server(pki, "server");
    auto transport =
        HttpsTransport::ForRenewal(server.endpoint(), "127.0.0.1", pki.Cert("root"), chain, key);
    REQUIRE(transport.ok());
    auto answer = (*transport)->Post("/enroll/v1/renew", "{}");
    INFO(answer.status().message() << " / " << answer.status().detail());
    REQUIRE(answer.ok());
    CHECK(answer->http_status == 200);
    CHECK(g_saw_client_cert);
  }
  SECTION("the CA's own name, reached at an address") {
    TestServer server(pki, "wrong-name");  // DNS:ca.home.arpa only
    auto transport =
        HttpsTransport::ForRenewal(server.endpoint(), "ca.home.arpa", pki.Cert("root"), chain, key);
    REQUIRE(transport.ok());
    auto answer = (*transport)->Post("/enroll/v1/renew", "{}");
    INFO(answer.status().message() << " / " << answer.status().detail());
    CHECK(answer.ok());
  }
  for (const char* impostor : {"impostor", "wrong-name"}) {
    DYNAMIC_SECTION("refuses " << impostor) {
      TestServer server(pki, impostor);
      auto transport =
          HttpsTransport::ForRenewal(server.endpoint(), "127.0.0.1", pki.Cert("root"), chain, key);
      REQUIRE(transport.ok());
      auto answer = (*transport)->Post("/enroll/v1/renew", "{}");
      CHECK(ErrorOf(answer) == EnrollError::kUntrusted);
      CHECK(answer.status().message().find("did not prove") != std::string::npos);
    }
  }
  SECTION("a key that does not match the certificate") {
    pki.Leaf("other", "DNS:other.home.arpa");
    TestServer server(pki, "server");
    CHECK(ErrorOf(HttpsTransport::ForRenewal(server.endpoint(), "127.0.0.1", pki.Cert("root"),
                                             chain, pki.Key("other"))) == EnrollError::kIo);
  }
}

TEST_CASE("answers over 1 MiB and silent servers are network errors", "[device][https]") {
  Pki pki;
  pki.Leaf("server", "IP:127.0.0.1");
  {
    TestServer server(pki, "server", kMaxResponseBody + 1);
    auto transport = HttpsTransport::ForPairing(server.endpoint());
    REQUIRE(transport.ok());
    auto answer = (*transport)->Post("/enroll/v1/start", "{}");
    CHECK(ErrorOf(answer) == EnrollError::kNetwork);
    CHECK(answer.status().message().find("too large") != std::string::npos);
  }
  // Accepts TCP connections (the kernel does) but never speaks TLS.
  Poco::Net::ServerSocket silent(Poco::Net::SocketAddress("127.0.0.1", 0));
  HttpsTimeouts quick{std::chrono::seconds(1), std::chrono::seconds(1), std::chrono::seconds(2)};
  auto transport = HttpsTransport::ForPairing(
      Endpoint{"127.0.0.1", silent.address().port(), "/enroll/v1"}, quick);
  REQUIRE(transport.ok());
  auto answer = (*transport)->Post("/enroll/v1/start", "{}");
  CHECK(ErrorOf(answer) == EnrollError::kNetwork);
  CHECK(ErrorOf((*transport)->Post("/x", std::string(kMaxRequestBody + 1, ' '))) ==
        EnrollError::kInternal);
}

}  // namespace
}  // namespace homeca::enroll
