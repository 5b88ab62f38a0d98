#include "enroll/acme/jwk.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>

#include <array>
#include <cstdlib>

#include "ca/base/encoding.h"
#include "ca/base/openssl_error.h"
#include "ca/base/openssl_handles.h"
#include "ca/base/rsa_public_key.h"
#include "enroll/acme/json_strict.h"
#include "enroll/acme/problem.h"

namespace homeca::enroll::acme {
namespace {

constexpr std::string_view kWhat = "the JWK";

struct Curve {
  KeyKind kind;
  std::string_view crv;         // JWK name (RFC 7518 section 6.2.1.1)
  const char* group;            // OpenSSL group name
  std::size_t coordinate_size;  // octets of x and of y
  int bits;
};

constexpr std::array<Curve, 3> kCurves = {{
    {KeyKind::kEcP256, "P-256", "prime256v1", 32, 256},
    {KeyKind::kEcP384, "P-384", "secp384r1", 48, 384},
    {KeyKind::kEcP521, "P-521", "secp521r1", 66, 521},
}};

// Members that only a private (or symmetric) key has (RFC 7518 sections
// 6.2.2, 6.3.2, 6.4). An account key sent with them is a leak, and refused.
constexpr std::array<std::string_view, 8> kPrivateMembers = {"d",  "p",  "q",   "dp",
                                                             "dq", "qi", "oth", "k"};

Status BadKey(std::string message, std::string log_detail = {}) {
  return AcmeError(ProblemType::kBadPublicKey, std::string(kWhat) + ": " + message,
                   std::move(log_detail));
}

Result<Bytes> Member(const Poco::JSON::Object& object, const std::string& name) {
  Result<std::string> text = RequiredString(object, name, kWhat);
  if (!text.ok()) return BadKey("\"" + name + "\" is missing or not a string");
  std::optional<Bytes> bytes = Base64UrlDecode(*text);
  if (!bytes || bytes->empty()) return BadKey("\"" + name + "\" is not base64url");
  return std::move(*bytes);
}

// The bit length of a big-endian number; leading zero octets do not count.
int BitLength(const Bytes& big_endian) {
  std::size_t first = 0;
  while (first < big_endian.size() && big_endian[first] == 0) ++first;
  if (first == big_endian.size()) return 0;
  int bits = static_cast<int>(big_endian.size() - first) * 8;
  for (unsigned top = big_endian[first]; (top & 0x80) == 0; top <<= 1) --bits;
  return bits;
}

// `check_point`: EC keys get OpenSSL's quick check (on the curve, not the
// point at infinity), which is complete for P-256, P-384 and P-521: their
// cofactor is 1, so every point on the curve is in the prime-order group.
// RSA numbers were checked before (ca/base/rsa_public_key.h says why not by
// OpenSSL).
Result<ossl::Pkey> FromData(const char* type, ossl::ParamBld& bld, bool check_point) {
  ossl::Params params(OSSL_PARAM_BLD_to_param(bld.get()));
  ossl::PkeyCtx ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1) {
    return ossl::CryptoError("jwk: cannot prepare the key");
  }
  EVP_PKEY* raw = nullptr;
  if (EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    return BadKey("not a valid public key", ossl::DrainErrors());
  }
  ossl::Pkey key(raw);
  if (!check_point) return key;
  // fromdata takes the numbers as given.
  ossl::PkeyCtx check(EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr));
  if (!check || EVP_PKEY_public_check_quick(check.get()) != 1) {
    return BadKey("not a valid public key", ossl::DrainErrors());
  }
  return key;
}

struct Built {
  ossl::Pkey key;
  KeyKind kind;
  int bits;
  std::string canonical;
};

Result<Built> BuildRsa(const Poco::JSON::Object& object) {
  Result<Bytes> n = Member(object, "n");
  if (!n.ok()) return n.status();
  Result<Bytes> e = Member(object, "e");
  if (!e.ok()) return e.status();
  // RFC 7518 section 6.3.1: the shortest octet string; a leading zero would
  // give one key two thumbprints.
  if ((*n)[0] == 0 || (*e)[0] == 0)
    return BadKey("\"n\" and \"e\" must not start with a zero octet");
  const int bits = BitLength(*n);
  if (bits < kMinRsaBits || bits > kMaxRsaBits) {
    return BadKey("RSA keys must have 2048 to 8192 bits, this one has " + std::to_string(bits));
  }
  if (e->size() > 4 || ((*e).back() & 1) == 0 || (e->size() == 1 && (*e)[0] < 3)) {
    return BadKey("the RSA exponent must be odd, at least 3 and at most 32 bits");
  }
  ossl::Bn bn_n(BN_bin2bn(n->data(), static_cast<int>(n->size()), nullptr));
  ossl::Bn bn_e(BN_bin2bn(e->data(), static_cast<int>(e->size()), nullptr));
  if (!bn_n || !bn_e) return ossl::CryptoError("jwk: cannot prepare the RSA key");
  if (std::string problem = RsaPublicNumbersProblem(bn_n.get(), bn_e.get()); !problem.empty()) {
    return BadKey(problem);
  }
  ossl::ParamBld bld(OSSL_PARAM_BLD_new());
  if (!bn_n || !bn_e || !bld ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, bn_n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, bn_e.get()) != 1) {
    return ossl::CryptoError("jwk: cannot prepare the RSA key");
  }
  Result<ossl::Pkey> key = FromData("RSA", bld, /*check_point=*/false);
  if (!key.ok()) return key.status();
  std::string canonical = "{\"e\":\"" + Base64UrlEncode(*e) + "\",\"kty\":\"RSA\",\"n\":\"" +
                          Base64UrlEncode(*n) + "\"}";
  return Built{std::move(*key), KeyKind::kRsa, bits, std::move(canonical)};
}

Result<Built> BuildEc(const Poco::JSON::Object& object) {
  Result<std::string> crv = RequiredString(object, "crv", kWhat);
  if (!crv.ok()) return BadKey("\"crv\" is missing or not a string");
  const Curve* curve = nullptr;
  for (const Curve& c : kCurves) {
    if (c.crv == *crv) curve = &c;
  }
  if (curve == nullptr) return BadKey("the curve must be P-256, P-384 or P-521");
  Result<Bytes> x = Member(object, "x");
  if (!x.ok()) return x.status();
  Result<Bytes> y = Member(object, "y");
  if (!y.ok()) return y.status();
  // RFC 7518 section 6.2.1.2: each coordinate is exactly the field size.
  if (x->size() != curve->coordinate_size || y->size() != curve->coordinate_size) {
    return BadKey("\"x\" and \"y\" must be " + std::to_string(curve->coordinate_size) +
                  " octets for " + std::string(curve->crv));
  }
  Bytes point{0x04};  // SEC 1 uncompressed point
  point.insert(point.end(), x->begin(), x->end());
  point.insert(point.end(), y->begin(), y->end());
  ossl::ParamBld bld(OSSL_PARAM_BLD_new());
  if (!bld ||
      OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, curve->group, 0) !=
          1 ||
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                       point.size()) != 1) {
    return ossl::CryptoError("jwk: cannot prepare the EC key");
  }
  Result<ossl::Pkey> key = FromData("EC", bld, /*check_point=*/true);
  if (!key.ok()) return key.status();
  std::string canonical = "{\"crv\":\"" + std::string(curve->crv) + "\",\"kty\":\"EC\",\"x\":\"" +
                          Base64UrlEncode(*x) + "\",\"y\":\"" + Base64UrlEncode(*y) + "\"}";
  return Built{std::move(*key), curve->kind, curve->bits, std::move(canonical)};
}

std::string Sha256Base64Url(std::string_view text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(text.data(), text.size(), digest, &size, EVP_sha256(), nullptr) != 1) {
    std::abort();  // SHA-256 of a short string cannot fail short of a broken libcrypto
  }
  return Base64UrlEncode(Bytes(digest, digest + size));
}

Result<Bytes> BnParam(const EVP_PKEY* key, const char* name, std::size_t pad_to) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &raw) != 1)
    return ossl::CryptoError("jwk: no key parameter");
  ossl::Bn bn(raw);
  Bytes out(pad_to != 0 ? pad_to : static_cast<std::size_t>(BN_num_bytes(bn.get())));
  if (BN_bn2binpad(bn.get(), out.data(), static_cast<int>(out.size())) < 0) {
    return ossl::CryptoError("jwk: key parameter too large");
  }
  return out;
}

}  // namespace

Result<Jwk> Jwk::Parse(std::string_view json) {
  Result<Poco::JSON::Object::Ptr> object = ParseStrictObject(json, kWhat);
  if (!object.ok()) return object.status();
  return FromJson(**object);
}

Result<Jwk> Jwk::FromJson(const Poco::JSON::Object& object) {
  for (std::string_view member : kPrivateMembers) {
    if (object.has(std::string(member))) {
      return BadKey("has the private member \"" + std::string(member) +
                    "\"; send only the public key");
    }
  }
  Result<std::string> kty = RequiredString(object, "kty", kWhat);
  if (!kty.ok()) return BadKey("\"kty\" is missing or not a string");
  Result<Built> built = *kty == "RSA"  ? BuildRsa(object)
                        : *kty == "EC" ? BuildEc(object)
                                       : Result<Built>(BadKey("the key type must be RSA or EC"));
  if (!built.ok()) return built.status();
  Jwk jwk;
  jwk.key_ = std::shared_ptr<EVP_PKEY>(built->key.release(), EVP_PKEY_free);
  jwk.kind_ = built->kind;
  jwk.bits_ = built->bits;
  jwk.canonical_json_ = std::move(built->canonical);
  jwk.thumbprint_ = Sha256Base64Url(jwk.canonical_json_);
  return jwk;
}

Result<Jwk> Jwk::FromPkey(const EVP_PKEY* key) {
  Result<std::string> json = PublicJwkJson(key);
  if (!json.ok()) return json.status();
  return Parse(*json);
}

bool Jwk::SameKey(const Jwk& other) const {
  return key_ && other.key_ && EVP_PKEY_eq(key_.get(), other.key_.get()) == 1;
}

Result<std::string> PublicJwkJson(const EVP_PKEY* key) {
  if (key == nullptr) return Status::InvalidArgument("jwk: no key");
  if (EVP_PKEY_is_a(key, "RSA")) {
    Result<Bytes> n = BnParam(key, OSSL_PKEY_PARAM_RSA_N, 0);
    if (!n.ok()) return n.status();
    Result<Bytes> e = BnParam(key, OSSL_PKEY_PARAM_RSA_E, 0);
    if (!e.ok()) return e.status();
    return "{\"e\":\"" + Base64UrlEncode(*e) + "\",\"kty\":\"RSA\",\"n\":\"" + Base64UrlEncode(*n) +
           "\"}";
  }
  if (EVP_PKEY_is_a(key, "EC")) {
    char group[64] = {0};
    if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group,
                                       nullptr) != 1) {
      return ossl::CryptoError("jwk: the EC key has no named curve");
    }
    for (const Curve& curve : kCurves) {
      if (std::string_view(group) != curve.group) continue;
      Result<Bytes> x = BnParam(key, OSSL_PKEY_PARAM_EC_PUB_X, curve.coordinate_size);
      if (!x.ok()) return x.status();
      Result<Bytes> y = BnParam(key, OSSL_PKEY_PARAM_EC_PUB_Y, curve.coordinate_size);
      if (!y.ok()) return y.status();
      return "{\"crv\":\"" + std::string(curve.crv) + "\",\"kty\":\"EC\",\"x\":\"" +
             Base64UrlEncode(*x) + "\",\"y\":\"" + Base64UrlEncode(*y) + "\"}";
    }
    return Status::InvalidArgument("jwk: the curve must be P-256, P-384 or P-521");
  }
  return Status::InvalidArgument("jwk: the key must be RSA or EC");
}

}  // namespace homeca::enroll::acme
