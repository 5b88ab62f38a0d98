#include "tests/device/fake_ca.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <openssl/bn.h>
#include <openssl/evp.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <ctime>
#include <sstream>

#include "enroll/pake/pairing_code.h"

namespace homeca::enroll {
namespace {

Poco::JSON::Object::Ptr ParseJson(const std::string& body) {
  Poco::JSON::Parser parser;
  return parser.parse(body).extract<Poco::JSON::Object::Ptr>();
}

std::string Render(const Poco::JSON::Object& object) {
  std::ostringstream out;
  object.stringify(out);
  return out.str();
}

Bytes B64(const Poco::JSON::Object::Ptr& object, const std::string& field) {
  std::optional<Bytes> bytes = Base64UrlDecode(object->getValue<std::string>(field));
  REQUIRE(bytes.has_value());
  return *bytes;
}

Bytes Concat(std::string_view label, const Bytes& tail) {
  Bytes out = ToBytes(label);
  out.insert(out.end(), tail.begin(), tail.end());
  return out;
}

void AppendLe64(Bytes& out, const std::string& text) {
  for (int i = 0; i < 8; ++i)
    out.push_back(static_cast<std::uint8_t>((text.size() >> (8 * i)) & 0xff));
  out.insert(out.end(), text.begin(), text.end());
}

}  // namespace

std::optional<ProverSecrets> IndependentProverSecrets(const std::string& code,
                                                      const std::string& id_prover,
                                                      const Bytes& salt, const std::string& kdf,
                                                      std::int64_t iterations, std::int64_t n,
                                                      std::int64_t r, std::int64_t p) {
  if (salt.size() < 16 || salt.size() > 32) return std::nullopt;
  Bytes input;
  AppendLe64(input, code);
  AppendLe64(input, id_prover);
  AppendLe64(input, "homeca");
  Bytes ws(80);
  if (kdf == "pbkdf2-sha256") {
    if (iterations < 1000 || iterations > 100000) return std::nullopt;
    REQUIRE(PKCS5_PBKDF2_HMAC(reinterpret_cast<const char*>(input.data()),
                              static_cast<int>(input.size()), salt.data(),
                              static_cast<int>(salt.size()), static_cast<int>(iterations),
                              EVP_sha256(), static_cast<int>(ws.size()), ws.data()) == 1);
  } else if (kdf == "scrypt") {
    if (n < 16384 || n > 65536 || (n & (n - 1)) != 0 || r < 1 || r > 16 || p < 1 || p > 4 ||
        n * r > (1 << 19) || n * r * p > (1 << 20)) {
      return std::nullopt;
    }
    REQUIRE(EVP_PBE_scrypt(reinterpret_cast<const char*>(input.data()), input.size(), salt.data(),
                           salt.size(), static_cast<std::uint64_t>(n),
                           static_cast<std::uint64_t>(r), static_cast<std::uint64_t>(p),
                           std::uint64_t{256} << 20, ws.data(), ws.size()) == 1);
  } else {
    return std::nullopt;
  }
  // P-256's group order n.
  BIGNUM* order = nullptr;
  REQUIRE(BN_hex2bn(&order, "FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551") >
          0);
  BN_CTX* ctx = BN_CTX_new();
  ProverSecrets out;
  for (int half = 0; half < 2; ++half) {
    BIGNUM* w = BN_bin2bn(ws.data() + 40 * half, 40, nullptr);
    REQUIRE(w != nullptr);
    REQUIRE(BN_mod(w, w, order, ctx) == 1);
    Bytes bytes(32);
    REQUIRE(BN_bn2binpad(w, bytes.data(), 32) == 32);
    BN_clear_free(w);
    (half == 0 ? out.w0 : out.w1) = SecretBytes(std::move(bytes));
  }
  BN_CTX_free(ctx);
  BN_free(order);
  return out;
}

DeviceTestCa::DeviceTestCa() : clock(static_cast<std::int64_t>(std::time(nullptr))) {
  auto created = ca::Authority::Init(dir / "ca", ca::InitOptions{}, clock);
  INFO(created.status().message());
  REQUIRE(created.ok());
  authority = std::move(*created);
}

std::string NewCode(int slot) {
  auto code = PairingCode::Generate(slot);
  REQUIRE(code.ok());
  return std::string(code->digits());
}

std::string WithTypo(const std::string& code) {
  std::string typo = code;
  typo.back() = static_cast<char>('0' + (typo.back() - '0' + 1) % 10);
  return typo;
}

TransportResponse ErrorAnswer(int status, const std::string& error, int retry_after) {
  Poco::JSON::Object body;
  body.set("error", error);
  body.set("message", "canned \x01 message");
  return TransportResponse{status, Render(body), retry_after};
}

FakeCa::FakeCa(ca::Authority& authority, std::string code)
    : authority_(authority), code_(std::move(code)) {}

Result<TransportResponse> FakeCa::Post(std::string_view path, std::string_view json_body) {
  const int index = static_cast<int>(requests.size());
  requests.push_back({std::string(path), std::string(json_body)});
  current_seen_hash_ = change_seen_hash_at_request >= 0 && index >= change_seen_hash_at_request
                           ? RandomBytes(32)
                           : seen_cert_hash;
  const std::string endpoint = std::string(path.substr(path.rfind('/') + 1));
  REQUIRE(json_body.size() <= kMaxRequestBody);
  TransportResponse answer;
  if (auto it = canned.find(endpoint); it != canned.end()) {
    answer = it->second;
  } else if (endpoint == "start") {
    answer = Start(std::string(json_body));
  } else if (endpoint == "exchange") {
    answer = Exchange(std::string(json_body));
  } else if (endpoint == "finish") {
    answer = Finish(std::string(json_body));
  } else if (endpoint == "renew") {
    answer = Renew(std::string(json_body));
  } else if (endpoint == "checkin") {
    answer = CheckIn(std::string(json_body));
  } else {
    answer = ErrorAnswer(404, "not_found");
  }
  if (mutate_answer) mutate_answer(endpoint, answer.body);
  return answer;
}

TransportResponse FakeCa::Start(const std::string& body) {
  Poco::JSON::Object::Ptr request = ParseJson(body);
  REQUIRE(request->getValue<int>("version") == 1);
  std::string id_prover;
  if (request->has("slot")) {
    char text[16];
    std::snprintf(text, sizeof text, "slot:%02d", request->getValue<int>("slot"));
    id_prover = text;
  } else {
    id_prover = "device:" + request->getValue<std::string>("device_id");
  }
  session_ = RandomBytes(16);
  ++starts;
  verifier_.reset();
  if (guess_code) salt = RandomBytes(16);  // a rogue CA: a fresh salt, one more guess
  // The record comes from the code as the CA would have stored it; KDF
  // bounds are the device's to enforce, so derive only with sane ones here.
  std::optional<ProverSecrets> secrets = IndependentProverSecrets(
      guess_code.value_or(code_), id_prover, salt, kdf, iterations, scrypt_n, scrypt_r, scrypt_p);
  if (secrets) {
    auto record = MakeVerifierRecord(*secrets);
    REQUIRE(record.ok());
    const Spake2PlusIds ids{Concat("homeca-enroll-v1", ca_cert_hash), ToBytes(id_prover),
                            ToBytes("homeca")};
    auto verifier = Spake2PlusVerifier::Create(ids, *record);
    REQUIRE(verifier.ok());
    verifier_.emplace(std::move(*verifier));
  }
  Poco::JSON::Object answer;
  answer.set("session", Base64UrlEncode(session_));
  answer.set("salt", Base64UrlEncode(salt));
  answer.set("kdf", kdf);
  if (kdf == "scrypt") {
    answer.set("n", static_cast<Poco::Int64>(scrypt_n));
    answer.set("r", static_cast<Poco::Int64>(scrypt_r));
    answer.set("p", static_cast<Poco::Int64>(scrypt_p));
  } else {
    answer.set("iterations", static_cast<Poco::Int64>(iterations));
  }
  return {200, Render(answer), 0};
}

TransportResponse FakeCa::Exchange(const std::string& body) {
  Poco::JSON::Object::Ptr request = ParseJson(body);
  REQUIRE(B64(request, "session") == session_);
  REQUIRE(verifier_.has_value());
  ++exchanges;
  auto response = verifier_->Respond(B64(request, "share_p"));
  if (!response.ok()) return ErrorAnswer(400, "bad_point");
  Poco::JSON::Object answer;
  answer.set("share_v", Base64UrlEncode(response->share_v));
  answer.set("confirm_v", Base64UrlEncode(response->confirm_v));
  return {200, Render(answer), 0};
}

TransportResponse FakeCa::Finish(const std::string& body) {
  Poco::JSON::Object::Ptr request = ParseJson(body);
  REQUIRE(B64(request, "session") == session_);
  if (!verifier_->Finish(B64(request, "confirm_p")).ok()) {
    return ErrorAnswer(403, "bad_confirmation");
  }
  confirmed = true;
  auto k_shared = verifier_->SharedKey();
  REQUIRE(k_shared.ok());
  auto from_device = SealKey::Derive(k_shared->span(), kSealInfoDeviceToCa);
  auto to_device = SealKey::Derive(k_shared->span(), kSealInfoCaToDevice);
  REQUIRE(from_device.ok());
  REQUIRE(to_device.ok());
  auto inner = from_device->Open(B64(request, "sealed_request"),
                                 Concat("homeca-enroll-v1 request", session_));
  REQUIRE(inner.ok());
  const Bytes csr = B64(ParseJson(ToString(*inner)), "csr");

  Poco::JSON::Object result;
  Poco::JSON::Array chain;
  for (const Bytes& der : Issue(ToString(csr))) chain.add(Base64UrlEncode(der));
  result.set("chain", chain);
  result.set("root", Base64UrlEncode(root_override.value_or(authority_.root().der())));
  Poco::JSON::Array names_json;
  for (const std::string& n : claimed_names.empty() ? names : claimed_names) names_json.add(n);
  result.set("names", names_json);
  result.set("not_after", "2099-01-01T00:00:00Z");  // the device must use the leaf's
  result.set("renew_url", renew_url);
  auto sealed =
      to_device->Seal(ToBytes(Render(result)), Concat("homeca-enroll-v1 response", session_));
  REQUIRE(sealed.ok());
  if (tamper_sealed_response) sealed->back() ^= 0x01;
  Poco::JSON::Object answer;
  answer.set("sealed_response", Base64UrlEncode(*sealed));
  return {200, Render(answer), 0};
}

TransportResponse FakeCa::Renew(const std::string& body) {
  const Bytes csr = B64(ParseJson(body), "csr");
  Poco::JSON::Object answer;
  Poco::JSON::Array chain;
  for (const Bytes& der : Issue(ToString(csr))) chain.add(Base64UrlEncode(der));
  answer.set("chain", chain);
  Poco::JSON::Array names_json;
  for (const std::string& n : claimed_names.empty() ? names : claimed_names) names_json.add(n);
  answer.set("names", names_json);
  answer.set("not_after", "2099-01-01T00:00:00Z");
  return {200, Render(answer), 0};
}

TransportResponse FakeCa::CheckIn(const std::string& body) {
  // The protocol: the body is a JSON object (empty today). The fake has no
  // TLS layer, so the credential is the transport's business here.
  Poco::JSON::Parser parser;
  if (parser.parse(body).type() != typeid(Poco::JSON::Object::Ptr)) {
    return ErrorAnswer(400, "bad_request");
  }
  ++checkins;
  Poco::JSON::Object answer;
  answer.set("address", checkin_address);
  Poco::JSON::Array names_json;
  for (const std::string& n : claimed_names.empty() ? names : claimed_names) names_json.add(n);
  answer.set("names", names_json);
  return {200, Render(answer), 0};
}

std::vector<Bytes> FakeCa::Issue(const std::string& csr_der) {
  ca::IssueRequest request;
  request.csr = issue_for_csr.value_or(csr_der);
  request.names = names;
  request.requester = "fake-ca";
  auto issued = authority_.Issue(request);
  INFO(issued.status().message());
  REQUIRE(issued.ok());
  std::vector<Bytes> out;
  for (const ca::Certificate& cert : issued->chain) out.push_back(cert.der());
  return out;
}

}  // namespace homeca::enroll
