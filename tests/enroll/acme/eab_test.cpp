#include "enroll/acme/eab.h"

#include <Poco/JSON/Parser.h>

#include <catch2/catch.hpp>

#include "enroll/acme/problem.h"
#include "tests/enroll/acme/jws_signer.h"

namespace acme = homeca::enroll::acme;
using acme::testing::JwkJson;
using acme::testing::MacFlattened;
using acme::testing::TestKey;

namespace {

constexpr std::string_view kUrl = "https://ca.home.arpa:8443/acme/new-account";

Poco::JSON::Object::Ptr Object(const std::string& json) {
  return Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
}

std::string EabHeader(std::string_view alg, std::string_view kid, std::string_view url,
                      std::string_view extra = "") {
  return "{\"alg\":\"" + std::string(alg) + "\",\"kid\":\"" + std::string(kid) + "\",\"url\":\"" +
         std::string(url) + "\"" + std::string(extra) + "}";
}

struct Fixture {
  acme::EabCredentials credentials = acme::GenerateEabCredentials();
  homeca::Bytes hmac_key = *acme::DecodeEabHmacKey(credentials.hmac_key);
  acme::Jwk account = *acme::Jwk::FromPkey(TestKey("p256"));

  std::string Binding(std::string_view alg = "HS256", std::string_view url = kUrl,
                      std::string payload = "", std::string_view extra = "") const {
    if (payload.empty()) payload = JwkJson(TestKey("p256"));
    return MacFlattened(hmac_key, alg, EabHeader(alg, credentials.key_id, url, extra), payload);
  }

  homeca::Status Check(const std::string& binding, const homeca::Bytes& key) const {
    auto parsed = acme::ExternalAccountBinding::Parse(*Object(binding));
    if (!parsed.ok()) return parsed.status();
    if (parsed->key_id() != credentials.key_id) return homeca::Status::Internal("wrong kid");
    return parsed->Verify(kUrl, account, key);
  }
};

acme::ProblemType TypeOf(const homeca::Status& status) { return acme::ToProblem(status).type; }

}  // namespace

TEST_CASE("eab: a binding made with the pairing's key id and HMAC key verifies") {
  Fixture f;
  CHECK(f.Check(f.Binding(), f.hmac_key).ok());
  CHECK(f.Check(f.Binding("HS384"), f.hmac_key).ok());
  CHECK(f.Check(f.Binding("HS512"), f.hmac_key).ok());
  // The payload in another member order, with "use":"sig": still the same key.
  const std::string jwk = JwkJson(TestKey("p256"));
  const std::string reordered = "{\"use\":\"sig\"," + jwk.substr(1);
  CHECK(f.Check(f.Binding("HS256", kUrl, reordered), f.hmac_key).ok());
}

TEST_CASE("eab: a wrong MAC, key, url or bound key is unauthorized") {
  Fixture f;
  homeca::Bytes other_key = f.hmac_key;
  other_key[0] ^= 1;
  auto wrong_mac = f.Check(f.Binding(), other_key);
  REQUIRE_FALSE(wrong_mac.ok());
  CHECK(TypeOf(wrong_mac) == acme::ProblemType::kUnauthorized);
  CHECK(TypeOf(f.Check(f.Binding(), {})) == acme::ProblemType::kUnauthorized);

  auto wrong_url =
      f.Check(f.Binding("HS256", "https://ca.home.arpa:8443/acme/new-order"), f.hmac_key);
  REQUIRE_FALSE(wrong_url.ok());
  CHECK(TypeOf(wrong_url) == acme::ProblemType::kUnauthorized);

  // Another account's key bound with the right MAC: the binding is not for
  // this request's key.
  auto other_account =
      f.Check(f.Binding("HS256", kUrl, JwkJson(TestKey("p256-other"))), f.hmac_key);
  REQUIRE_FALSE(other_account.ok());
  CHECK(TypeOf(other_account) == acme::ProblemType::kUnauthorized);

  // A truncated MAC.
  std::string binding = f.Binding();
  const auto sig_at = binding.find("\"signature\":\"") + 13;
  binding.erase(sig_at, 4);
  CHECK(TypeOf(f.Check(binding, f.hmac_key)) == acme::ProblemType::kUnauthorized);
}

TEST_CASE("eab: a binding of the wrong shape is malformed") {
  Fixture f;
  const std::string jwk = JwkJson(TestKey("p256"));
  for (const std::string& binding :
       {MacFlattened(f.hmac_key, "HS256",
                     "{\"alg\":\"HS256\",\"url\":\"" + std::string(kUrl) + "\"}", jwk),
        f.Binding("HS256", kUrl, "", ",\"nonce\":\"AAAA\""),
        MacFlattened(f.hmac_key, "HS256", EabHeader("none", f.credentials.key_id, kUrl), jwk),
        MacFlattened(f.hmac_key, "HS256", EabHeader("RS256", f.credentials.key_id, kUrl), jwk),
        f.Binding("HS256", kUrl, "{\"kty\":\"EC\"}"), f.Binding("HS256", kUrl, "not json"),
        std::string("{\"protected\":\"e30\",\"payload\":\"e30\"}")}) {
    INFO(binding);
    auto status = f.Check(binding, f.hmac_key);
    REQUIRE_FALSE(status.ok());
    CHECK((TypeOf(status) == acme::ProblemType::kMalformed ||
           TypeOf(status) == acme::ProblemType::kBadPublicKey));
  }
}

TEST_CASE("eab: generated credentials are fresh, unpadded base64url, a 256-bit key, no ':'") {
  const acme::EabCredentials a = acme::GenerateEabCredentials();
  const acme::EabCredentials b = acme::GenerateEabCredentials();
  CHECK(a.key_id != b.key_id);
  CHECK(a.hmac_key != b.hmac_key);
  CHECK(a.key_id.size() == 22);
  CHECK(a.hmac_key.size() == 43);
  CHECK(a.key_id.find(':') == std::string::npos);
  CHECK(a.hmac_key.find('=') == std::string::npos);
  REQUIRE(acme::DecodeEabHmacKey(a.hmac_key));
  CHECK(acme::DecodeEabHmacKey(a.hmac_key)->size() == 32);
  CHECK_FALSE(acme::DecodeEabHmacKey(a.hmac_key + "="));
  CHECK_FALSE(acme::DecodeEabHmacKey(""));
}
