#include "tests/enroll/acme/acme_server_fixture.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <ctime>

#include "tests/support/csr_factory.h"

namespace homeca::enroll::acme::testing {

Server::Server(AcmeServiceOptions options) : clock(static_cast<std::int64_t>(std::time(nullptr))) {
  auto created = ca::Authority::Init(dir / "ca", ca::InitOptions{}, clock);
  INFO(created.status().message());
  REQUIRE(created.ok());
  authority = std::move(*created);
  service = std::make_unique<AcmeService>(*authority, std::move(options));
}

AcmePairing Server::Pair(const std::string& name) {
  auto pairing = CreateAcmePairing(*authority, {name}, kDefaultAcmePairingTtlSeconds, "test");
  INFO(pairing.status().message());
  REQUIRE(pairing.ok());
  return *pairing;
}

std::int64_t Server::CertificateCount() { return *authority->certificates().Count({}); }

bool Server::Audited(const std::string& action) {
  auto entries = authority->audit_log().ListAudit(1000, 0);
  REQUIRE(entries.ok());
  const std::vector<ca::AuditEntry> list = std::move(*entries);
  return std::any_of(list.begin(), list.end(),
                     [&](const ca::AuditEntry& e) { return e.action == action; });
}

std::string Csr(EVP_PKEY* key, std::vector<std::string> names) {
  ::homeca::testing::CsrOptions options;
  options.common_name = names.front();
  options.dns_names = std::move(names);
  return ::homeca::testing::MakeCsrDer(key, options);
}

Poco::JSON::Object::Ptr Issue(AcmeClient& client, const std::vector<std::string>& names,
                              EVP_PKEY* cert_key) {
  AcmeHttpResponse order = client.Order(names);
  INFO(order.body);
  REQUIRE(order.status == 201);
  ossl::Pkey fresh = ::homeca::testing::MakeEcKey();
  AcmeHttpResponse done =
      client.Finalize(HeaderOf(order, "Location"), Csr(cert_key ? cert_key : fresh.get(), names));
  INFO(done.body);
  REQUIRE(done.status == 200);
  return JsonOf(done);
}

}  // namespace homeca::enroll::acme::testing
