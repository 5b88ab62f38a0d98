// Test-side ACME client for AcmeService in process: a key, its account URL
// once it has one, and a fresh nonce for every request, taken from the
// previous answer's Replay-Nonce as real clients do.
//
// Thread-safety: none; one client per test thread.
#pragma once

#include <Poco/JSON/Object.h>

#include <string>
#include <string_view>

#include "enroll/acme/acme_service.h"
#include "enroll/acme/eab.h"

namespace homeca::enroll::acme::testing {

inline constexpr std::string_view kOrigin = "https://ca.home.arpa";

std::string Url(std::string_view path);
// The value of header `name` in `answer`, "" when absent.
std::string HeaderOf(const AcmeHttpResponse& answer, std::string_view name);
// The body as a JSON object (fails the test otherwise).
Poco::JSON::Object::Ptr JsonOf(const AcmeHttpResponse& answer);
// "badNonce" for a problem answer, "" otherwise.
std::string ProblemOf(const AcmeHttpResponse& answer);
// The path part of one of our URLs.
std::string PathOf(const std::string& url);

class AcmeClient {
 public:
  // `key`: a TestKey(); alg ES256/ES384/ES512 or RS256 to match it.
  AcmeClient(AcmeService& service, EVP_PKEY* key, std::string alg);

  std::string Nonce();
  // A JWS with "jwk" (newAccount, revokeCert by certificate key).
  AcmeHttpResponse PostJwk(std::string_view path, std::string_view payload);
  // A JWS with "kid" = account_url (every other request); payload "" is a
  // POST-as-GET.
  AcmeHttpResponse PostKid(std::string_view path, std::string_view payload);
  // Any body, as sent, for hostile requests.
  AcmeHttpResponse PostRaw(std::string_view path, std::string body);

  // newAccount with an external account binding for `eab`; sets account_url
  // on success.
  AcmeHttpResponse Register(const EabCredentials& eab);
  // newOrder for `names`; the answer (201 and the order, or a problem).
  AcmeHttpResponse Order(const std::vector<std::string>& names);
  // finalize `order_url` with `csr_der`.
  AcmeHttpResponse Finalize(const std::string& order_url, const std::string& csr_der);

  EVP_PKEY* key() const { return key_; }
  std::string jwk() const;
  std::string account_url;
  std::string last_nonce;  // the nonce of the last request sent

 private:
  AcmeService& service_;
  EVP_PKEY* key_;
  std::string alg_;
  std::string nonce_;
};

// {"protected","payload","signature"} of an EAB for `eab` over `jwk_json`.
std::string EabJws(const EabCredentials& eab, std::string_view jwk_json);

}  // namespace homeca::enroll::acme::testing
