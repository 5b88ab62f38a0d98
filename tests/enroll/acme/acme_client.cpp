#include "tests/enroll/acme/acme_client.h"

#include <Poco/JSON/Parser.h>

#include <catch2/catch.hpp>

#include "ca/base/encoding.h"
#include "tests/enroll/acme/jws_signer.h"

namespace homeca::enroll::acme::testing {

std::string Url(std::string_view path) { return std::string(kOrigin) + std::string(path); }

std::string PathOf(const std::string& url) {
  REQUIRE(url.rfind(std::string(kOrigin), 0) == 0);
  return url.substr(kOrigin.size());
}

std::string HeaderOf(const AcmeHttpResponse& answer, std::string_view name) {
  for (const auto& [key, value] : answer.headers) {
    if (key == name) return value;
  }
  return "";
}

Poco::JSON::Object::Ptr JsonOf(const AcmeHttpResponse& answer) {
  INFO(answer.status << " " << answer.body);
  Poco::JSON::Object::Ptr out;
  try {
    out = Poco::JSON::Parser().parse(answer.body).extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception& e) {
    FAIL("not a JSON object: " << e.displayText());
  }
  REQUIRE(!out.isNull());
  return out;
}

std::string ProblemOf(const AcmeHttpResponse& answer) {
  if (answer.content_type != "application/problem+json") return "";
  const std::string type = JsonOf(answer)->getValue<std::string>("type");
  const std::string prefix = "urn:ietf:params:acme:error:";
  REQUIRE(type.rfind(prefix, 0) == 0);
  return type.substr(prefix.size());
}

std::string EabJws(const EabCredentials& eab, std::string_view jwk_json) {
  std::optional<Bytes> key = DecodeEabHmacKey(eab.hmac_key);
  REQUIRE(key.has_value());
  return MacFlattened(*key, "HS256",
                      "{\"alg\":\"HS256\",\"kid\":\"" + eab.key_id + "\",\"url\":\"" +
                          Url("/acme/new-account") + "\"}",
                      jwk_json);
}

AcmeClient::AcmeClient(AcmeService& service, EVP_PKEY* key, std::string alg)
    : service_(service), key_(key), alg_(std::move(alg)) {}

std::string AcmeClient::jwk() const { return JwkJson(key_); }

std::string AcmeClient::Nonce() {
  if (!nonce_.empty()) return std::exchange(nonce_, std::string());
  AcmeHttpResponse answer = service_.Handle({"HEAD", "/acme/new-nonce", "", ""});
  REQUIRE(answer.status == 200);
  return HeaderOf(answer, "Replay-Nonce");
}

AcmeHttpResponse AcmeClient::PostRaw(std::string_view path, std::string body) {
  AcmeHttpResponse answer =
      service_.Handle({"POST", std::string(path), "application/jose+json", std::move(body)});
  nonce_ = HeaderOf(answer, "Replay-Nonce");
  return answer;
}

AcmeHttpResponse AcmeClient::PostJwk(std::string_view path, std::string_view payload) {
  last_nonce = Nonce();
  return PostRaw(
      path, SignFlattened(key_, alg_, HeaderWithJwk(alg_, last_nonce, Url(path), jwk()), payload));
}

AcmeHttpResponse AcmeClient::PostKid(std::string_view path, std::string_view payload) {
  last_nonce = Nonce();
  return PostRaw(
      path,
      SignFlattened(key_, alg_, HeaderWithKid(alg_, last_nonce, Url(path), account_url), payload));
}

AcmeHttpResponse AcmeClient::Register(const EabCredentials& eab) {
  AcmeHttpResponse answer = PostJwk(
      "/acme/new-account",
      "{\"termsOfServiceAgreed\":true,\"externalAccountBinding\":" + EabJws(eab, jwk()) + "}");
  if (answer.status == 201 || answer.status == 200) account_url = HeaderOf(answer, "Location");
  return answer;
}

AcmeHttpResponse AcmeClient::Order(const std::vector<std::string>& names) {
  std::string ids;
  for (const std::string& name : names) {
    ids += (ids.empty() ? "" : ",") + std::string("{\"type\":\"dns\",\"value\":\"") + name + "\"}";
  }
  return PostKid("/acme/new-order", "{\"identifiers\":[" + ids + "]}");
}

AcmeHttpResponse AcmeClient::Finalize(const std::string& order_url, const std::string& csr_der) {
  return PostKid(PathOf(order_url) + "/finalize",
                 "{\"csr\":\"" + Base64UrlEncode(ToBytes(csr_der)) + "\"}");
}

}  // namespace homeca::enroll::acme::testing
