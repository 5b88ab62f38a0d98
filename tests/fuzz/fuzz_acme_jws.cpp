// Fuzz target: the ACME message parsers (enroll/acme/): the flattened JWS
// (ParseFlattenedJws, ParseJwsAlgorithm, VerifyJwsSignature with the key in
// its own "jwk" header), the JWK (Jwk::Parse, thumbprint, canonical form)
// and the external account binding (ExternalAccountBinding::Parse and
// Verify, with the key its payload binds and a fixed HMAC key).
//
// Input: a selector byte, then the text. Selector % 3: 0 a request body,
// 1 a JWK, 2 an externalAccountBinding object. Problems are rendered for
// every failure, as a server would.
#include <cstddef>
#include <cstdint>
#include <string>

#include "enroll/acme/eab.h"
#include "enroll/acme/json_strict.h"
#include "enroll/acme/jwk.h"
#include "enroll/acme/jws.h"
#include "enroll/acme/problem.h"
#include "tests/fuzz/fuzz_input.h"

namespace {

using namespace homeca;
using namespace homeca::enroll::acme;

// The HMAC key the corpus's bindings are made with (make_corpus.py).
const Bytes kHmacKey(32, 0x42);
constexpr std::string_view kNewAccountUrl = "https://ca.home.arpa:8443/acme/new-account";

void Render(const Status& status) {
  if (!status.ok()) (void)RenderProblem(ToProblem(status));
}

void Jws(std::string_view body) {
  Result<FlattenedJws> jws = ParseFlattenedJws(body);
  if (!jws.ok()) return Render(jws.status());
  Result<std::string> alg_name = RequiredString(*jws->header, "alg", "header");
  if (!alg_name.ok()) return Render(alg_name.status());
  Result<JwsAlgorithm> alg = ParseJwsAlgorithm(*alg_name);
  if (!alg.ok()) return Render(alg.status());
  Poco::JSON::Object::Ptr jwk_object = jws->header->getObject("jwk");
  if (jwk_object.isNull()) return;
  Result<Jwk> key = Jwk::FromJson(*jwk_object);
  if (!key.ok()) return Render(key.status());
  Render(VerifyJwsSignature(*jws, *alg, *key));
}

void Key(std::string_view text) {
  Result<Jwk> key = Jwk::Parse(text);
  if (!key.ok()) return Render(key.status());
  (void)key->thumbprint();
  Result<Jwk> again = Jwk::Parse(key->canonical_json());
  if (!again.ok() || again->thumbprint() != key->thumbprint() || !again->SameKey(*key)) {
    std::abort();  // the canonical form must name the same key
  }
}

void Binding(std::string_view text) {
  Result<Poco::JSON::Object::Ptr> object = ParseStrictObject(text, "binding");
  if (!object.ok()) return Render(object.status());
  Result<ExternalAccountBinding> binding = ExternalAccountBinding::Parse(**object);
  if (!binding.ok()) return Render(binding.status());
  // Bind to the key the binding names, so the MAC check is reached.
  Result<FlattenedJws> jws = ParseFlattenedJws(**object);
  if (!jws.ok()) return;
  Result<Jwk> key = Jwk::Parse(jws->payload);
  if (!key.ok()) return Render(key.status());
  Render(binding->Verify(kNewAccountUrl, *key, kHmacKey));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text = fuzz::AsText(data, size);
  switch (fuzz::TakeSelector(text) % 3) {
    case 0:
      Jws(text);
      break;
    case 1:
      Key(text);
      break;
    default:
      Binding(text);
      break;
  }
  return 0;
}
