// AcmeService in process against a real CA (SQLite store, real signing): the
// whole RFC 8555 flow a client runs, and every refusal the model promises.
#include "enroll/acme/acme_service.h"

#include <Poco/JSON/Array.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>

#include "ca/authority.h"
#include "ca/base/clock.h"
#include "ca/device_record.h"
#include "ca/store/acme_records.h"
#include "enroll/acme/acme_pairing.h"
#include "tests/enroll/acme/acme_client.h"
#include "tests/enroll/acme/acme_server_fixture.h"
#include "tests/enroll/acme/jws_signer.h"
#include "tests/support/csr_factory.h"
#include "tests/support/process.h"

namespace homeca::enroll::acme {
namespace {

using testing::AcmeClient;
using testing::Csr;
using testing::HeaderOf;
using testing::Issue;
using testing::JsonOf;
using testing::PathOf;
using testing::ProblemOf;
using testing::Server;
using testing::TestKey;

std::string CertificateDer(const std::string& pem) {
  auto cert = ca::Certificate::FromPem(pem);
  REQUIRE(cert.ok());
  return ToString(cert->der());
}

}  // namespace

TEST_CASE("the directory and nonces follow RFC 8555", "[acme][server]") {
  Server s;
  AcmeHttpResponse dir = s.service->Handle({"GET", "/acme/directory", "", ""});
  REQUIRE(dir.status == 200);
  auto body = JsonOf(dir);
  CHECK(body->getValue<std::string>("newAccount") == testing::Url("/acme/new-account"));
  CHECK(body->getObject("meta")->getValue<bool>("externalAccountRequired"));
  CHECK_FALSE(HeaderOf(dir, "Replay-Nonce").empty());
  CHECK(HeaderOf(dir, "Link") == "<https://ca.home.arpa/acme/directory>;rel=\"index\"");

  AcmeHttpResponse head = s.service->Handle({"HEAD", "/acme/new-nonce", "", ""});
  CHECK(head.status == 200);
  AcmeHttpResponse get = s.service->Handle({"GET", "/acme/new-nonce", "", ""});
  CHECK(get.status == 204);
  CHECK(HeaderOf(get, "Cache-Control") == "no-store");
  CHECK(HeaderOf(get, "Replay-Nonce") != HeaderOf(head, "Replay-Nonce"));
  // Errors carry a nonce too.
  AcmeHttpResponse missing = s.service->Handle({"POST", "/acme/nothing", "", ""});
  CHECK(missing.status == 404);
  CHECK_FALSE(HeaderOf(missing, "Replay-Nonce").empty());
}

TEST_CASE("an ACME client enrolls, renews, and its device is a device like any other",
          "[acme][server]") {
  Server s;
  const AcmePairing pairing = s.Pair();
  CHECK(pairing.names.front() == "nas.home.arpa");
  AcmeClient client(*s.service, TestKey("p256"), "ES256");
  AcmeHttpResponse created = client.Register(pairing.eab);
  INFO(created.body);
  REQUIRE(created.status == 201);
  CHECK(client.account_url.rfind(testing::Url("/acme/acct/"), 0) == 0);
  CHECK(JsonOf(created)->getValue<std::string>("status") == "valid");
  // The binding's HMAC key is gone once used.
  CHECK_FALSE(s.authority->acme().FindEab(pairing.eab.key_id)->hmac_key.has_value());
  CHECK(s.Audited("acme-account"));

  AcmeHttpResponse order = client.Order({"nas.home.arpa"});
  REQUIRE(order.status == 201);
  auto order_json = JsonOf(order);
  CHECK(order_json->getValue<std::string>("status") == "ready");
  const std::string authz_url = order_json->getArray("authorizations")->getElement<std::string>(0);
  AcmeHttpResponse authz = client.PostKid(PathOf(authz_url), "");
  REQUIRE(authz.status == 200);
  CHECK(JsonOf(authz)->getValue<std::string>("status") == "valid");

  const std::int64_t before = s.CertificateCount();
  ossl::Pkey cert_key = ::homeca::testing::MakeEcKey();
  AcmeHttpResponse done =
      client.Finalize(HeaderOf(order, "Location"), Csr(cert_key.get(), {"nas.home.arpa"}));
  INFO(done.body);
  REQUIRE(done.status == 200);
  auto valid = JsonOf(done);
  CHECK(valid->getValue<std::string>("status") == "valid");
  CHECK(s.CertificateCount() == before + 1);  // durable before the answer
  const std::string cert_url = valid->getValue<std::string>("certificate");
  AcmeHttpResponse cert = client.PostKid(PathOf(cert_url), "");
  REQUIRE(cert.status == 200);
  CHECK(cert.content_type == "application/pem-certificate-chain");

  // openssl judges the chain, for the name.
  {
    std::ofstream(s.dir / "chain.pem") << cert.body;
    std::ofstream(s.dir / "root.pem") << s.authority->root().Pem();
    auto verified = ::homeca::testing::Run(
        {"openssl", "verify", "-purpose", "sslserver", "-verify_hostname", "nas.home.arpa",
         "-CAfile", (s.dir / "root.pem").string(), "-untrusted", (s.dir / "chain.pem").string(),
         (s.dir / "chain.pem").string()});
    INFO(verified.out << verified.err);
    CHECK(verified.exit_code == 0);
  }

  // The Devices page sees one device with that certificate.
  auto devices = s.authority->pairings().ListDevices();
  REQUIRE(devices.ok());
  REQUIRE(devices->size() == 1);
  CHECK(devices->front().pairing.id == pairing.id);
  const std::string first_serial = devices->front().current->serial_hex;
  CHECK(cert_url == testing::Url("/acme/cert/" + first_serial));

  // A second order renews the same lineage.
  auto renewed = Issue(client, {"nas.home.arpa", "nas.local"});
  devices = s.authority->pairings().ListDevices();
  REQUIRE(devices->size() == 1);
  CHECK(devices->front().renewals == 1);
  CHECK(devices->front().current->serial_hex != first_serial);
  CHECK(devices->front().current->names == std::vector<std::string>{"nas.home.arpa", "nas.local"});
  CHECK(s.Audited("acme-order"));
  CHECK(s.Audited("acme-issue"));

  // The orders list has both, newest first.
  AcmeHttpResponse list = client.PostKid(PathOf(client.account_url) + "/orders", "");
  REQUIRE(list.status == 200);
  CHECK(JsonOf(list)->getArray("orders")->size() == 2);
}

TEST_CASE(
    "the same key registering again gets its account, and another key with the key id does not",
    "[acme][server]") {
  Server s;
  const AcmePairing pairing = s.Pair();
  AcmeClient first(*s.service, TestKey("p256"), "ES256");
  REQUIRE(first.Register(pairing.eab).status == 201);
  const std::string url = first.account_url;

  AcmeHttpResponse again = first.Register(pairing.eab);
  CHECK(again.status == 200);
  CHECK(HeaderOf(again, "Location") == url);
  AcmeHttpResponse existing = first.PostJwk("/acme/new-account", "{\"onlyReturnExisting\":true}");
  CHECK(existing.status == 200);
  CHECK(HeaderOf(existing, "Location") == url);

  AcmeClient other(*s.service, TestKey("p384"), "ES384");
  AcmeHttpResponse refused = other.Register(pairing.eab);
  CHECK(refused.status == 403);
  CHECK(ProblemOf(refused) == "unauthorized");
  CHECK(s.authority->acme()
            .FindAccountByThumbprint(Jwk::Parse(other.jwk())->thumbprint())
            .status()
            .IsNotFound());
  // onlyReturnExisting is answered before any binding is looked at.
  AcmeHttpResponse unknown = other.PostJwk("/acme/new-account", "{\"onlyReturnExisting\":true}");
  CHECK(ProblemOf(unknown) == "accountDoesNotExist");
  // No binding at all, or a wrong MAC.
  AcmeClient third(*s.service, TestKey("rsa2048"), "RS256");
  CHECK(ProblemOf(third.PostJwk("/acme/new-account", "{\"termsOfServiceAgreed\":true}")) ==
        "externalAccountRequired");
  const AcmePairing second = s.Pair("printer");
  EabCredentials forged = second.eab;
  forged.hmac_key = pairing.eab.hmac_key;
  CHECK(ProblemOf(third.Register(forged)) == "unauthorized");
  CHECK(third.Register(second.eab).status == 201);
}

TEST_CASE("orders and CSRs for names outside the pairing, and weak keys, are refused",
          "[acme][server]") {
  Server s;
  const AcmePairing pairing = s.Pair();
  AcmeClient client(*s.service, TestKey("p256"), "ES256");
  REQUIRE(client.Register(pairing.eab).status == 201);

  AcmeHttpResponse outside = client.Order({"nas.home.arpa", "router.home.arpa"});
  CHECK(outside.status == 400);
  CHECK(ProblemOf(outside) == "rejectedIdentifier");
  CHECK(s.authority->acme().ListOrderIds(1, 10)->empty());
  CHECK(ProblemOf(client.PostKid("/acme/new-order",
                                 "{\"identifiers\":[{\"type\":\"ip\",\"value\":\"10.0.0.1\"}]}")) ==
        "unsupportedIdentifier");

  AcmeHttpResponse order = client.Order({"nas.home.arpa"});
  REQUIRE(order.status == 201);
  const std::string url = HeaderOf(order, "Location");
  const std::int64_t before = s.CertificateCount();
  ossl::Pkey key = ::homeca::testing::MakeEcKey();
  AcmeHttpResponse more = client.Finalize(url, Csr(key.get(), {"nas.home.arpa", "nas.local"}));
  CHECK(ProblemOf(more) == "badCSR");
  AcmeHttpResponse other = client.Finalize(url, Csr(key.get(), {"router.home.arpa"}));
  CHECK(ProblemOf(other) == "badCSR");
  ossl::Pkey weak = ::homeca::testing::MakeRsaKey(1024);
  AcmeHttpResponse weak_answer = client.Finalize(url, Csr(weak.get(), {"nas.home.arpa"}));
  CHECK(ProblemOf(weak_answer) == "badCSR");
  CHECK(s.CertificateCount() == before);
  // The order is still ready: a right CSR completes it.
  CHECK(client.Finalize(url, Csr(key.get(), {"nas.home.arpa"})).status == 200);
  CHECK(ProblemOf(client.Finalize(url, Csr(key.get(), {"nas.home.arpa"}))) == "orderNotReady");
}

TEST_CASE("a replayed nonce and a url that does not match change nothing", "[acme][server]") {
  Server s;
  const AcmePairing pairing = s.Pair();
  AcmeClient client(*s.service, TestKey("p256"), "ES256");
  REQUIRE(client.Register(pairing.eab).status == 201);
  const std::string payload = "{\"identifiers\":[{\"type\":\"dns\",\"value\":\"nas.home.arpa\"}]}";
  const std::string nonce = client.Nonce();
  const std::string body = testing::SignFlattened(
      client.key(), "ES256",
      testing::HeaderWithKid("ES256", nonce, testing::Url("/acme/new-order"), client.account_url),
      payload);
  CHECK(client.PostRaw("/acme/new-order", body).status == 201);
  AcmeHttpResponse replayed = client.PostRaw("/acme/new-order", body);
  CHECK(ProblemOf(replayed) == "badNonce");
  CHECK(JsonOf(replayed)->getValue<std::string>("detail").rfind(
            "JWS has an invalid anti-replay nonce", 0) == 0);
  CHECK_FALSE(HeaderOf(replayed, "Replay-Nonce").empty());

  const std::string wrong_url = testing::SignFlattened(
      client.key(), "ES256",
      testing::HeaderWithKid("ES256", client.Nonce(), testing::Url("/acme/new-account"),
                             client.account_url),
      payload);
  AcmeHttpResponse mismatch = client.PostRaw("/acme/new-order", wrong_url);
  CHECK(mismatch.status == 403);
  CHECK(ProblemOf(mismatch) == "unauthorized");
  CHECK(s.authority->acme().ListOrderIds(1, 10)->size() == 1);
}

TEST_CASE("revocation by the account and by the certificate's key", "[acme][server]") {
  Server s;
  const AcmePairing pairing = s.Pair();
  AcmeClient client(*s.service, TestKey("p256"), "ES256");
  REQUIRE(client.Register(pairing.eab).status == 201);
  auto first = Issue(client, {"nas.home.arpa"});
  AcmeHttpResponse pem = client.PostKid(PathOf(first->getValue<std::string>("certificate")), "");
  const std::string der = CertificateDer(pem.body);
  const std::string payload =
      "{\"certificate\":\"" + Base64UrlEncode(ToBytes(der)) + "\",\"reason\":4}";

  // Another device's account may not revoke it.
  const AcmePairing printer = s.Pair("printer");
  AcmeClient stranger(*s.service, TestKey("p384"), "ES384");
  REQUIRE(stranger.Register(printer.eab).status == 201);
  CHECK(ProblemOf(stranger.PostKid("/acme/revoke-cert", payload)) == "unauthorized");
  CHECK(ProblemOf(client.PostKid("/acme/revoke-cert",
                                 "{\"certificate\":\"" + Base64UrlEncode(ToBytes(der)) +
                                     "\",\"reason\":7}")) == "badRevocationReason");

  AcmeHttpResponse revoked = client.PostKid("/acme/revoke-cert", payload);
  INFO(revoked.body);
  CHECK(revoked.status == 200);
  auto record =
      s.authority->certificates().FindBySerial(ca::Certificate::FromPem(pem.body)->SerialHex());
  REQUIRE(record->revocation.has_value());
  CHECK(record->revocation->reason == ca::RevocationReason::kSuperseded);
  CHECK(ProblemOf(client.PostKid("/acme/revoke-cert", payload)) == "alreadyRevoked");
  CHECK(s.Audited("acme-revoke"));

  // By the certificate's own key, with no account at all.
  ossl::Pkey cert_key = ::homeca::testing::MakeEcKey();
  auto second = Issue(client, {"nas.home.arpa"}, cert_key.get());
  const std::string der2 =
      CertificateDer(client.PostKid(PathOf(second->getValue<std::string>("certificate")), "").body);
  const std::string payload2 = "{\"certificate\":\"" + Base64UrlEncode(ToBytes(der2)) + "\"}";
  AcmeClient wrong_key(*s.service, TestKey("p256-other"), "ES256");
  CHECK(ProblemOf(wrong_key.PostJwk("/acme/revoke-cert", payload2)) == "unauthorized");
  AcmeClient holder(*s.service, cert_key.get(), "ES256");
  CHECK(holder.PostJwk("/acme/revoke-cert", payload2).status == 200);
}

TEST_CASE("keyChange moves the account to the new key, and the old one is refused",
          "[acme][server]") {
  Server s;
  const AcmePairing pairing = s.Pair();
  AcmeClient client(*s.service, TestKey("p256"), "ES256");
  REQUIRE(client.Register(pairing.eab).status == 201);
  AcmeClient next(*s.service, TestKey("rsa2048"), "RS256");
  next.account_url = client.account_url;
  const std::string inner = testing::SignFlattened(
      next.key(), "RS256",
      "{\"alg\":\"RS256\",\"jwk\":" + next.jwk() + ",\"url\":\"" +
          testing::Url("/acme/key-change") + "\"}",
      "{\"account\":\"" + client.account_url + "\",\"oldKey\":" + client.jwk() + "}");
  // "oldKey" must be the account's current key.
  const std::string wrong_old = testing::SignFlattened(
      next.key(), "RS256",
      "{\"alg\":\"RS256\",\"jwk\":" + next.jwk() + ",\"url\":\"" +
          testing::Url("/acme/key-change") + "\"}",
      "{\"account\":\"" + client.account_url + "\",\"oldKey\":" + next.jwk() + "}");
  CHECK(ProblemOf(client.PostKid("/acme/key-change", wrong_old)) == "unauthorized");
  AcmeHttpResponse changed = client.PostKid("/acme/key-change", inner);
  INFO(changed.body);
  REQUIRE(changed.status == 200);
  CHECK(client.Order({"nas.home.arpa"}).status == 400);  // the old key no longer verifies
  CHECK(next.Order({"nas.home.arpa"}).status == 201);
  CHECK(s.Audited("acme-key-change"));
  AcmeHttpResponse existing = next.PostJwk("/acme/new-account", "{\"onlyReturnExisting\":true}");
  CHECK(HeaderOf(existing, "Location") == client.account_url);

  // A key another account holds: 409 with that account's URL.
  const AcmePairing printer = s.Pair("printer");
  AcmeClient other(*s.service, TestKey("p384"), "ES384");
  REQUIRE(other.Register(printer.eab).status == 201);
  const std::string taken = testing::SignFlattened(
      other.key(), "ES384",
      "{\"alg\":\"ES384\",\"jwk\":" + other.jwk() + ",\"url\":\"" +
          testing::Url("/acme/key-change") + "\"}",
      "{\"account\":\"" + next.account_url + "\",\"oldKey\":" + next.jwk() + "}");
  AcmeHttpResponse conflict = next.PostKid("/acme/key-change", taken);
  CHECK(conflict.status == 409);
  CHECK(HeaderOf(conflict, "Location") == other.account_url);
}

TEST_CASE("a deactivated account, authorization or device gets nothing more", "[acme][server]") {
  Server s;
  const AcmePairing pairing = s.Pair();
  AcmeClient client(*s.service, TestKey("p256"), "ES256");
  REQUIRE(client.Register(pairing.eab).status == 201);

  // certbot --dry-run gives up its authorizations: the order ends.
  AcmeHttpResponse order = client.Order({"nas.home.arpa"});
  const std::string authz_url =
      JsonOf(order)->getArray("authorizations")->getElement<std::string>(0);
  AcmeHttpResponse gone = client.PostKid(PathOf(authz_url), "{\"status\":\"deactivated\"}");
  REQUIRE(gone.status == 200);
  CHECK(JsonOf(gone)->getValue<std::string>("status") == "deactivated");
  ossl::Pkey key = ::homeca::testing::MakeEcKey();
  CHECK(ProblemOf(client.Finalize(HeaderOf(order, "Location"),
                                  Csr(key.get(), {"nas.home.arpa"}))) == "orderNotReady");

  // The admin revokes the device: no new order.
  Issue(client, {"nas.home.arpa"});
  REQUIRE(
      s.authority->RevokeDevice(pairing.id, ca::RevocationReason::kCessationOfOperation, "t").ok());
  CHECK(ProblemOf(client.Order({"nas.home.arpa"})) == "unauthorized");

  AcmeHttpResponse off = client.PostKid(PathOf(client.account_url), "{\"status\":\"deactivated\"}");
  REQUIRE(off.status == 200);
  CHECK(JsonOf(off)->getValue<std::string>("status") == "deactivated");
  AcmeHttpResponse after = client.Order({"nas.home.arpa"});
  CHECK(after.status == 403);
  CHECK(ProblemOf(after) == "unauthorized");
  CHECK(ProblemOf(client.Register(pairing.eab)) == "unauthorized");
}

TEST_CASE("an ACME pairing for a name in use is refused, or replaces the device when asked",
          "[acme][server]") {
  Server s;
  const AcmePairing first = s.Pair();
  AcmeClient old_client(*s.service, TestKey("p256"), "ES256");
  REQUIRE(old_client.Register(first.eab).status == 201);
  Issue(old_client, {"nas.home.arpa"});

  // The same words as for a code pairing, and nothing made.
  auto refused = CreateAcmePairing(*s.authority, {"nas"}, kDefaultAcmePairingTtlSeconds, "test");
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().IsAlreadyExists());
  CHECK_THAT(refused.status().message(),
             Catch::Contains("already the name of a paired device (device " +
                             std::to_string(first.id) + ")"));
  // A waiting ACME pairing holds its names too.
  s.Pair("printer");
  CHECK(CreateAcmePairing(*s.authority, {"printer"}, kDefaultAcmePairingTtlSeconds, "test")
            .status()
            .IsAlreadyExists());

  // Replacing: the old device keeps its certificate until the new client's
  // first one, which supersedes it.
  auto replacing = CreateAcmePairing(*s.authority, {"nas"}, kDefaultAcmePairingTtlSeconds, "test",
                                     NameReuse::kReplace);
  INFO(replacing.status().message());
  REQUIRE(replacing.ok());
  auto find_device = [&](std::int64_t id) {
    auto list = s.authority->pairings().ListDevices();
    REQUIRE(list.ok());
    for (const ca::DeviceRecord& d : *list) {
      if (d.pairing.id == id) return d;
    }
    FAIL("no device " << id);
    return ca::DeviceRecord{};
  };
  CHECK_FALSE(find_device(first.id).revoked_at.has_value());
  AcmeClient new_client(*s.service, TestKey("p384"), "ES384");
  REQUIRE(new_client.Register(replacing->eab).status == 201);
  Issue(new_client, {"nas.home.arpa"});
  CHECK(find_device(first.id).revoked_at.has_value());
  CHECK_FALSE(find_device(replacing->id).revoked_at.has_value());
  // The old account's certificate is revoked: its client gets no more.
  CHECK(ProblemOf(old_client.Order({"nas.home.arpa"})) != "");
}

}  // namespace homeca::enroll::acme
