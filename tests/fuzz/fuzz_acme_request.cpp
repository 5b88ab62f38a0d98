// Fuzz target: the ACME request check (enroll/acme/request_verifier.h:
// VerifyAcmeRequest) as an ACME endpoint runs it, then, for a verified
// newAccount, the external account binding in its payload; every failure is
// turned into its problem document.
//
// Input: a selector byte, the account key's JWK (what the account lookup
// returns for kid https://ca.home.arpa:8443/acme/acct/1), a newline, the
// request body. Selector % 3 picks the endpoint: 0 newAccount (jwk), 1
// newOrder (kid), 2 revokeCert (either). Each input gets a fresh nonce pool
// whose one nonce is AAAAAAAAAAAAAAAAAAAAAA (a fixed random source), so
// signed seeds from make_corpus.py get through the nonce check.
#include <cstddef>
#include <cstdint>
#include <string>

#include "ca/base/clock.h"
#include "enroll/acme/eab.h"
#include "enroll/acme/json_strict.h"
#include "enroll/acme/problem.h"
#include "enroll/acme/request_verifier.h"
#include "tests/fuzz/fuzz_input.h"

namespace {

using namespace homeca;
using namespace homeca::enroll::acme;

constexpr std::string_view kBase = "https://ca.home.arpa:8443/acme/";
const Bytes kHmacKey(32, 0x42);  // as in fuzz_acme_jws and make_corpus.py

void NewAccountBinding(const VerifiedRequest& request) {
  Result<Poco::JSON::Object::Ptr> payload = ParseStrictObject(request.payload, "payload");
  if (!payload.ok()) return;
  Poco::JSON::Object::Ptr eab = (*payload)->getObject("externalAccountBinding");
  if (eab.isNull()) return;
  Result<ExternalAccountBinding> binding = ExternalAccountBinding::Parse(*eab);
  if (!binding.ok()) return (void)RenderProblem(ToProblem(binding.status()));
  Status verified = binding->Verify(request.url, request.key, kHmacKey);
  if (!verified.ok()) (void)RenderProblem(ToProblem(verified));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const ca::FakeClock clock(1'800'000'000);
  std::string_view text = fuzz::AsText(data, size);
  const std::uint8_t selector = fuzz::TakeSelector(text);
  const std::vector<std::string_view> parts = fuzz::Split(text, '\n', 2);
  if (parts.size() != 2) return 0;
  const std::string account_jwk(parts[0]);

  NoncePool nonces(clock, {}, [](std::size_t n) { return Bytes(n, 0); });
  (void)nonces.Issue();
  const AccountKeyLookup lookup = [&](std::string_view kid) -> Result<Jwk> {
    if (kid != std::string(kBase) + "acct/1") {
      return AcmeError(ProblemType::kAccountDoesNotExist, "no such account");
    }
    return Jwk::Parse(account_jwk);
  };
  static const char* const kEndpoints[] = {"new-account", "new-order", "revoke-cert"};
  static const KeyReference kReferences[] = {KeyReference::kJwk, KeyReference::kKid,
                                             KeyReference::kJwkOrKid};
  const std::string url = std::string(kBase) + kEndpoints[selector % 3];
  Result<VerifiedRequest> request = VerifyAcmeRequest({url, kJoseContentType, parts[1]},
                                                      kReferences[selector % 3], nonces, lookup);
  if (!request.ok()) {
    (void)RenderProblem(ToProblem(request.status()));
    return 0;
  }
  if (selector % 3 == 0) NewAccountBinding(*request);
  return 0;
}
