#include "webui/identity/tls_context.h"

#include <openssl/ssl.h>

namespace homeca::webui {

Poco::Net::Context::Ptr MakeServerTlsContext(const ServerIdentity& identity,
                                             const std::filesystem::path& root_file) {
  Poco::Net::Context::Params params;
  params.privateKeyFile = identity.key_file.string();
  // Poco loads this with SSL_CTX_use_certificate_chain_file, so the
  // intermediate after the leaf is sent to clients too.
  params.certificateFile = identity.chain_file.string();
  params.caLocation = root_file.string();
  params.loadDefaultCAs = false;
  // Ask for a client certificate but do not require one: pairing devices
  // have none yet; renewing devices present theirs.
  params.verificationMode = Poco::Net::Context::VERIFY_RELAXED;
  params.verificationDepth = 3;
  params.cipherList = "ECDHE+AESGCM:ECDHE+CHACHA20:!aNULL:!eNULL:!MD5:!RC4:!3DES";
  params.dhUse2048Bits = true;
  // Poco's default group list starts with X448, which clients that copy
  // Poco's defaults (as our device library once did) then offer first: an
  // X448 key share costs the CA several times an X25519 or P-256 one. Every
  // TLS 1.3 client supports X25519 or P-256; P-384 stays for the rest.
  params.ecdhCurve = kServerTlsGroups;
  Poco::Net::Context::Ptr context =
      new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, params);
  context->disableProtocols(Poco::Net::Context::PROTO_SSLV2 | Poco::Net::Context::PROTO_SSLV3 |
                            Poco::Net::Context::PROTO_TLSV1 | Poco::Net::Context::PROTO_TLSV1_1);
  context->preferServerCiphers();
  // Poco's "extended" check would match the client certificate's names
  // against the client's address (resolving each name through DNS while the
  // handshake waits) and drop the connection when they differ, as they do
  // for every device on a LAN: a device's certificate names the device, not
  // its address. What a client certificate is worth is decided by the
  // enrollment service against the store (enroll/client_certificate.h).
  context->enableExtendedCertificateVerification(false);
  // A session id context is required once client certificates are asked
  // for: without it OpenSSL aborts every resumption attempt (alert 80), which
  // curl and Node make by default. Browsers on the admin UI resume TLS 1.2
  // sessions from this cache and TLS 1.3 ones from tickets.
  context->enableSessionCache(true, "homecad");
  // One TLS 1.3 ticket per connection instead of OpenSSL's two: a browser
  // resumes with one, and a pairing device never resumes, so the second was
  // work (a session copy and its encryption) done on every handshake.
  SSL_CTX_set_num_tickets(context->sslContext(), 1);
  return context;
}

}  // namespace homeca::webui
