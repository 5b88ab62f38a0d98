#include "enroll/acme/jws.h"

#include <openssl/ec.h>
#include <openssl/evp.h>

#include <vector>

#include "ca/base/openssl_error.h"
#include "ca/base/openssl_handles.h"
#include "enroll/acme/json_strict.h"
#include "enroll/acme/problem.h"

namespace homeca::enroll::acme {
namespace {

Status Malformed(std::string message, std::string log_detail = {}) {
  return AcmeError(ProblemType::kMalformed, "JWS: " + message, std::move(log_detail));
}

Result<Bytes> DecodeMember(const Poco::JSON::Object& jws, const std::string& name) {
  Result<std::string> text = RequiredString(jws, name, "JWS");
  if (!text.ok()) return text.status();
  std::optional<Bytes> bytes = Base64UrlDecode(*text);
  if (!bytes) return Malformed("\"" + name + "\" is not unpadded base64url");
  return std::move(*bytes);
}

using EcdsaSig = ossl::Ptr<ECDSA_SIG, ECDSA_SIG_free>;

// JWS carries an ECDSA signature as R||S, each the curve's size (RFC 7518
// section 3.4); OpenSSL verifies the DER SEQUENCE of two INTEGERs.
Result<Bytes> RawEcdsaToDer(const Bytes& raw) {
  const int half = static_cast<int>(raw.size() / 2);
  ossl::Bn r(BN_bin2bn(raw.data(), half, nullptr));
  ossl::Bn s(BN_bin2bn(raw.data() + half, half, nullptr));
  EcdsaSig sig(ECDSA_SIG_new());
  if (!r || !s || !sig || ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1) {
    return ossl::CryptoError("JWS: cannot convert the signature");
  }
  (void)r.release();  // owned by sig now
  (void)s.release();
  unsigned char* der = nullptr;
  const int size = i2d_ECDSA_SIG(sig.get(), &der);
  if (size <= 0) return ossl::CryptoError("JWS: cannot convert the signature");
  ossl::OpenSslBytes owned(der);
  return Bytes(der, der + size);
}

struct AlgorithmInfo {
  JwsAlgorithm alg;
  std::string_view name;
  KeyKind kind;
  const char* digest;
  std::size_t raw_signature_size;  // 0 for RSA: the modulus size, OpenSSL checks
};

constexpr std::array<AlgorithmInfo, 4> kAlgorithms = {{
    {JwsAlgorithm::kRs256, "RS256", KeyKind::kRsa, "SHA256", 0},
    {JwsAlgorithm::kEs256, "ES256", KeyKind::kEcP256, "SHA256", 64},
    {JwsAlgorithm::kEs384, "ES384", KeyKind::kEcP384, "SHA384", 96},
    {JwsAlgorithm::kEs512, "ES512", KeyKind::kEcP521, "SHA512", 132},
}};

const AlgorithmInfo& Info(JwsAlgorithm alg) {
  for (const AlgorithmInfo& info : kAlgorithms) {
    if (info.alg == alg) return info;
  }
  return kAlgorithms[0];  // unreachable: the table is complete
}

}  // namespace

Result<JwsAlgorithm> ParseJwsAlgorithm(std::string_view alg) {
  for (const AlgorithmInfo& info : kAlgorithms) {
    if (info.name == alg) return info.alg;
  }
  return AcmeError(ProblemType::kBadSignatureAlgorithm,
                   "JWS: the algorithm \"" + std::string(alg.substr(0, 32)) +
                       "\" is not accepted; use ES256, ES384, ES512 or RS256");
}

std::string_view JwsAlgorithmName(JwsAlgorithm alg) { return Info(alg).name; }

Result<FlattenedJws> ParseFlattenedJws(std::string_view body) {
  Result<Poco::JSON::Object::Ptr> object = ParseStrictObject(body, "the JWS", 8);
  if (!object.ok()) {
    if (body.find('{') == std::string_view::npos && body.find('.') != std::string_view::npos) {
      return Malformed("the compact serialization is refused; send the flattened JSON one");
    }
    return object.status();
  }
  return ParseFlattenedJws(**object);
}

Result<FlattenedJws> ParseFlattenedJws(const Poco::JSON::Object& jws) {
  if (jws.has("signatures")) {
    return Malformed("the general serialization (\"signatures\") is refused; send one signature");
  }
  if (jws.has("header")) return Malformed("an unprotected \"header\" is refused");
  std::vector<std::string> names;
  jws.getNames(names);
  for (const std::string& name : names) {
    if (name != "protected" && name != "payload" && name != "signature") {
      return Malformed("unknown member \"" + name.substr(0, 32) + "\"");
    }
  }
  FlattenedJws out;
  Result<std::string> protected_b64 = RequiredString(jws, "protected", "JWS");
  if (!protected_b64.ok()) return protected_b64.status();
  Result<std::string> payload_b64 = RequiredString(jws, "payload", "JWS");
  if (!payload_b64.ok()) return payload_b64.status();
  Result<Bytes> header = DecodeMember(jws, "protected");
  if (!header.ok()) return header.status();
  Result<Bytes> payload = DecodeMember(jws, "payload");
  if (!payload.ok()) return payload.status();
  Result<Bytes> signature = DecodeMember(jws, "signature");
  if (!signature.ok()) return signature.status();

  Result<Poco::JSON::Object::Ptr> parsed =
      ParseStrictObject(ToString(*header), "the JWS protected header", 4);
  if (!parsed.ok()) return parsed.status();
  // RFC 7515 section 4.1.11: a recipient must refuse a JWS whose "crit" names
  // an extension it does not understand; we understand none.
  if ((*parsed)->has("crit")) return Malformed("critical header extensions are refused");
  // RFC 7797: an unencoded payload changes the signing input.
  if ((*parsed)->has("b64")) {
    Poco::Dynamic::Var b64 = (*parsed)->get("b64");
    if (!b64.isBoolean() || !b64.extract<bool>()) return Malformed("\"b64\" must be true");
  }
  out.protected_b64 = std::move(*protected_b64);
  out.payload_b64 = std::move(*payload_b64);
  out.header = std::move(*parsed);
  out.payload = ToString(*payload);
  out.signature = std::move(*signature);
  return out;
}

Status VerifyJwsSignature(const FlattenedJws& jws, JwsAlgorithm alg, const Jwk& key) {
  const AlgorithmInfo& info = Info(alg);
  if (key.kind() != info.kind) {
    return AcmeError(ProblemType::kBadSignatureAlgorithm,
                     "JWS: the key does not fit the algorithm " + std::string(info.name));
  }
  Bytes signature = jws.signature;
  if (info.raw_signature_size != 0) {
    if (signature.size() != info.raw_signature_size) {
      return Malformed("an " + std::string(info.name) + " signature must be " +
                       std::to_string(info.raw_signature_size) + " octets (R||S)");
    }
    Result<Bytes> der = RawEcdsaToDer(signature);
    if (!der.ok()) return der.status();
    signature = std::move(*der);
  }
  ossl::MdCtx ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit_ex(ctx.get(), nullptr, info.digest, nullptr, nullptr, key.pkey(),
                                      nullptr) != 1) {
    return ossl::CryptoError("JWS: cannot start verifying");
  }
  const std::string input = jws.SigningInput();
  if (EVP_DigestVerify(ctx.get(), signature.data(), signature.size(),
                       reinterpret_cast<const unsigned char*>(input.data()), input.size()) != 1) {
    return Malformed("the signature does not verify", ossl::DrainErrors());
  }
  return Status::Ok();
}

}  // namespace homeca::enroll::acme
