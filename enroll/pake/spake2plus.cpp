#include "enroll/pake/spake2plus.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/obj_mac.h>

#include <initializer_list>
#include <optional>
#include <string>

#include "ca/base/openssl_error.h"
#include "ca/base/openssl_handles.h"

namespace homeca::enroll {

// Points derived from secrets (Z, V, w0*M, ...) are wiped when freed.
using EcPointSecure = ossl::Ptr<EC_POINT, EC_POINT_clear_free>;

namespace detail {

// P-256 with the fixed points M and N of RFC 9383 section 4. Built once and
// only read after that, so every session shares one copy: building the group
// and decoding M and N used to be a large part of starting a session.
struct CurveConstants {
  ossl::EcGroup group;
  ossl::EcPoint m;
  ossl::EcPoint n;
};

// What one session uses: the shared constants and its own scratch context.
struct Curve {
  const CurveConstants* constants = nullptr;
  ossl::BnCtx ctx;
  const EC_GROUP* group() const { return constants->group.get(); }
  const EC_POINT* m() const { return constants->m.get(); }
  const EC_POINT* n() const { return constants->n.get(); }
  const BIGNUM* order() const { return EC_GROUP_get0_order(group()); }
};

struct Spake2PlusSession {
  enum class Stage { kStarted, kResponded, kConfirmed, kFailed };
  Curve c;
  Spake2PlusIds ids;
  SecretBytes w0_bytes;  // as it goes into TT
  ossl::BnSecure w0;
  ossl::BnSecure w1;      // Prover only
  ossl::EcPoint l;        // Verifier only
  ossl::BnSecure scalar;  // x for the Prover, y for the Verifier
  Spake2PlusTranscript t;
  Stage stage = Stage::kStarted;
};

}  // namespace detail

namespace {

using detail::Curve;
using detail::Spake2PlusSession;
using Stage = Spake2PlusSession::Stage;
using ByteSpan = std::span<const std::uint8_t>;

constexpr std::string_view kMHex =
    "02886e2f97ace46e55ba9dd7242579f2993b64e16ef3dcab95afd497333d8fa12f";
constexpr std::string_view kNHex =
    "03d8bbd6c639c62937b04d997f38c3770719c629d7014d49a24b4f98baa1292b49";

Status CryptoFailure(const std::string& what) { return ossl::CryptoError("spake2+: " + what); }
Status Invalid(std::string_view what) {
  return Status::InvalidArgument("spake2+: " + std::string(what));
}
Status OutOfOrder() {
  return Status::Internal("spake2+: session step called out of order or after a failure");
}

// OSSL_PARAM is not const-correct; OpenSSL only reads these buffers.
OSSL_PARAM OctetParam(const char* key, ByteSpan data) {
  return OSSL_PARAM_construct_octet_string(key, const_cast<std::uint8_t*>(data.data()),
                                           data.size());
}
OSSL_PARAM Sha256Param(const char* key) {
  return OSSL_PARAM_construct_utf8_string(key, const_cast<char*>("SHA256"), 0);
}

// nullptr only if OpenSSL itself cannot build P-256 (out of memory).
std::unique_ptr<const detail::CurveConstants> BuildCurveConstants() {
  auto k = std::make_unique<detail::CurveConstants>();
  k->group.reset(EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1));
  if (!k->group) return nullptr;
  for (const auto& [hex, point] : {std::pair{kMHex, &k->m}, std::pair{kNHex, &k->n}}) {
    Bytes enc = HexDecode(hex).value();
    point->reset(EC_POINT_new(k->group.get()));
    if (!*point ||
        EC_POINT_oct2point(k->group.get(), point->get(), enc.data(), enc.size(), nullptr) != 1) {
      return nullptr;
    }
  }
  return k;
}

Status LoadCurve(Curve& c) {
  // Thread-safe one-time initialization (a function-local static).
  static const std::unique_ptr<const detail::CurveConstants> shared = BuildCurveConstants();
  c.constants = shared.get();
  c.ctx.reset(BN_CTX_secure_new());
  if (c.constants == nullptr || !c.ctx) return CryptoFailure("cannot set up P-256");
  return Status::Ok();
}

// A scalar in [1, n-1], big-endian, exactly 32 bytes.
Status LoadScalar(const Curve& c, ByteSpan in, std::string_view what, ossl::BnSecure* out) {
  if (in.size() != kSpakeScalarSize) return Invalid(std::string(what) + " must be 32 bytes");
  out->reset(BN_secure_new());
  if (!*out || !BN_bin2bn(in.data(), static_cast<int>(in.size()), out->get())) {
    return CryptoFailure("cannot load " + std::string(what));
  }
  BN_set_flags(out->get(), BN_FLG_CONSTTIME);
  if (BN_is_zero(out->get()) || BN_cmp(out->get(), c.order()) >= 0) {
    return Invalid(std::string(what) + " is out of range");
  }
  return Status::Ok();
}

Status RandomScalar(const Curve& c, ossl::BnSecure* out) {
  out->reset(BN_secure_new());
  if (!*out) return CryptoFailure("cannot allocate a scalar");
  do {
    if (BN_priv_rand_range_ex(out->get(), c.order(), 0, c.ctx.get()) != 1) {
      return CryptoFailure("cannot draw a random scalar");
    }
  } while (BN_is_zero(out->get()));
  BN_set_flags(out->get(), BN_FLG_CONSTTIME);
  return Status::Ok();
}

// k*P, or k*G when `p` is null; nullptr on failure. One scalar per call on
// purpose: OpenSSL runs those on its constant-time ladder, but may use
// variable-time wNAF for the combined form k1*G + k2*P.
EcPointSecure Mul(const Curve& c, const EC_POINT* p, const BIGNUM* k) {
  EcPointSecure r(EC_POINT_new(c.group()));
  if (!r) return r;
  int ok = p ? EC_POINT_mul(c.group(), r.get(), nullptr, p, k, c.ctx.get())
             : EC_POINT_mul(c.group(), r.get(), k, nullptr, nullptr, c.ctx.get());
  if (ok != 1) r.reset();
  return r;
}

Status Encode(const Curve& c, const EC_POINT* p, Bytes* out) {
  out->assign(kSpakePointSize, 0);
  if (EC_POINT_point2oct(c.group(), p, POINT_CONVERSION_UNCOMPRESSED, out->data(), out->size(),
                         c.ctx.get()) != kSpakePointSize) {
    return CryptoFailure("cannot encode a point");
  }
  return Status::Ok();
}

// RFC 9383 section 3.3 requires aborting on invalid peer points. Only the
// 65-byte uncompressed form is accepted, so each point has one encoding in TT;
// it cannot express the identity, which is checked anyway.
Status DecodePeerPoint(const Curve& c, ByteSpan in, std::string_view what, ossl::EcPoint* out) {
  if (in.size() != kSpakePointSize || in[0] != POINT_CONVERSION_UNCOMPRESSED) {
    return Invalid(std::string(what) + " is not an uncompressed P-256 point");
  }
  out->reset(EC_POINT_new(c.group()));
  if (!*out) return CryptoFailure("cannot allocate a point");
  if (EC_POINT_oct2point(c.group(), out->get(), in.data(), in.size(), c.ctx.get()) != 1 ||
      EC_POINT_is_on_curve(c.group(), out->get(), c.ctx.get()) != 1 ||
      EC_POINT_is_at_infinity(c.group(), out->get())) {
    ossl::ClearErrors();
    return Invalid(std::string(what) + " is not a valid P-256 point");
  }
  return Status::Ok();
}

// shareP = x*G + w0*M, shareV = y*G + w0*N.
Status Share(const Spake2PlusSession& s, const EC_POINT* base, Bytes* out) {
  EcPointSecure a = Mul(s.c, nullptr, s.scalar.get());
  EcPointSecure b = Mul(s.c, base, s.w0.get());
  if (!a || !b || EC_POINT_add(s.c.group(), a.get(), a.get(), b.get(), s.c.ctx.get()) != 1) {
    return CryptoFailure("cannot compute the share");
  }
  return Encode(s.c, a.get(), out);
}

// peer - w0*base: the peer's blinding removed.
EcPointSecure Unblind(const Spake2PlusSession& s, const EC_POINT* peer, const EC_POINT* base) {
  EcPointSecure t = Mul(s.c, base, s.w0.get());
  if (!t || EC_POINT_invert(s.c.group(), t.get(), s.c.ctx.get()) != 1 ||
      EC_POINT_add(s.c.group(), t.get(), peer, t.get(), s.c.ctx.get()) != 1) {
    t.reset();
  }
  return t;
}

Status Sha256(ByteSpan data, SecretBytes* out) {
  Bytes digest(kSpakeHashSize);
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), digest.data(), &len, EVP_sha256(), nullptr) != 1 ||
      len != digest.size()) {
    return CryptoFailure("SHA-256 failed");
  }
  *out = SecretBytes(std::move(digest));
  return Status::Ok();
}

Status HmacSha256(ByteSpan key, ByteSpan data, Bytes* out) {
  ossl::Mac mac(EVP_MAC_fetch(nullptr, "HMAC", nullptr));
  ossl::MacCtx ctx(mac ? EVP_MAC_CTX_new(mac.get()) : nullptr);
  OSSL_PARAM params[] = {Sha256Param(OSSL_MAC_PARAM_DIGEST), OSSL_PARAM_construct_end()};
  out->assign(kSpakeHashSize, 0);
  std::size_t len = 0;
  if (!ctx || EVP_MAC_init(ctx.get(), key.data(), key.size(), params) != 1 ||
      EVP_MAC_update(ctx.get(), data.data(), data.size()) != 1 ||
      EVP_MAC_final(ctx.get(), out->data(), &len, out->size()) != 1 || len != out->size()) {
    return CryptoFailure("HMAC-SHA256 failed");
  }
  return Status::Ok();
}

// RFC 9383 section 3.4: TT, K_main = Hash(TT), the confirmation keys, K_shared
// and both confirmation MACs. Aborts when Z or V is the identity (section 3.3).
Status RunKeySchedule(Spake2PlusSession& s, const EC_POINT* z, const EC_POINT* v) {
  Spake2PlusTranscript& t = s.t;
  if (!z || !v) return CryptoFailure("cannot compute Z and V");
  if (EC_POINT_is_at_infinity(s.c.group(), z) || EC_POINT_is_at_infinity(s.c.group(), v)) {
    return Invalid("the peer's share leads to the identity point");
  }
  Bytes m, n, zb, vb;
  HOMECA_RETURN_IF_ERROR(Encode(s.c, s.c.m(), &m));
  HOMECA_RETURN_IF_ERROR(Encode(s.c, s.c.n(), &n));
  HOMECA_RETURN_IF_ERROR(Encode(s.c, z, &zb));
  t.z = SecretBytes(std::move(zb));
  HOMECA_RETURN_IF_ERROR(Encode(s.c, v, &vb));
  t.v = SecretBytes(std::move(vb));

  const ByteSpan parts[] = {
      s.ids.context, s.ids.id_prover, s.ids.id_verifier, m,          n,
      t.share_p,     t.share_v,       t.z.span(),        t.v.span(), s.w0_bytes.span()};
  std::size_t total = 0;
  for (ByteSpan p : parts) total += 8 + p.size();
  Bytes tt;
  tt.reserve(total);  // no reallocation, so no stray copies of Z, V or w0
  for (ByteSpan p : parts) {
    const std::uint64_t len = p.size();
    for (int i = 0; i < 8; ++i) tt.push_back(static_cast<std::uint8_t>(len >> (8 * i)));
    tt.insert(tt.end(), p.begin(), p.end());
  }
  t.tt = SecretBytes(std::move(tt));

  HOMECA_RETURN_IF_ERROR(Sha256(t.tt.span(), &t.k_main));
  Result<SecretBytes> keys = HkdfSha256(t.k_main.span(), "ConfirmationKeys", 2 * kSpakeHashSize);
  if (!keys.ok()) return keys.status();
  t.k_confirm_p = SecretBytes(Bytes(keys->bytes().begin(), keys->bytes().begin() + kSpakeHashSize));
  t.k_confirm_v = SecretBytes(Bytes(keys->bytes().begin() + kSpakeHashSize, keys->bytes().end()));
  Result<SecretBytes> shared = HkdfSha256(t.k_main.span(), "SharedKey", kSpakeHashSize);
  if (!shared.ok()) return shared.status();
  t.k_shared = std::move(shared).value();
  HOMECA_RETURN_IF_ERROR(HmacSha256(t.k_confirm_p.span(), t.share_v, &t.confirm_p));
  return HmacSha256(t.k_confirm_v.span(), t.share_p, &t.confirm_v);
}

bool ConstantTimeEqual(ByteSpan expected, ByteSpan got) {
  return expected.size() == got.size() &&
         CRYPTO_memcmp(expected.data(), got.data(), expected.size()) == 0;
}

Status ConfirmationFailed() {
  return Status::PermissionDenied("spake2+: key confirmation failed (wrong pairing code?)");
}

// Shared by both roles: curve, ids, w0 and the scalar x or y.
Status StartSession(const Spake2PlusIds& ids, const SecretBytes& w0,
                    std::optional<ByteSpan> fixed_scalar, Spake2PlusSession& s) {
  HOMECA_RETURN_IF_ERROR(LoadCurve(s.c));
  s.ids = ids;
  HOMECA_RETURN_IF_ERROR(LoadScalar(s.c, w0.span(), "w0", &s.w0));
  s.w0_bytes = w0;
  return fixed_scalar ? LoadScalar(s.c, *fixed_scalar, "the fixed scalar", &s.scalar)
                      : RandomScalar(s.c, &s.scalar);
}

Result<SecretBytes> SharedKeyOf(const Spake2PlusSession& s) {
  if (s.stage != Stage::kConfirmed) {
    return Status::Internal("spake2+: no shared key before key confirmation");
  }
  return s.t.k_shared;
}

Status StartProver(const Spake2PlusIds& ids, const ProverSecrets& secrets,
                   std::optional<ByteSpan> x, Spake2PlusSession& s) {
  HOMECA_RETURN_IF_ERROR(StartSession(ids, secrets.w0, x, s));
  HOMECA_RETURN_IF_ERROR(LoadScalar(s.c, secrets.w1.span(), "w1", &s.w1));
  return Share(s, s.c.m(), &s.t.share_p);
}

Status StartVerifier(const Spake2PlusIds& ids, const VerifierRecord& record,
                     std::optional<ByteSpan> y, Spake2PlusSession& s) {
  HOMECA_RETURN_IF_ERROR(StartSession(ids, record.w0, y, s));
  return DecodePeerPoint(s.c, record.l, "L", &s.l);
}

}  // namespace

Result<SecretBytes> HkdfSha256(ByteSpan ikm, std::string_view info, std::size_t length) {
  if (ikm.empty() || length == 0) return Invalid("HKDF needs key material and a length");
  ossl::Kdf kdf(EVP_KDF_fetch(nullptr, "HKDF", nullptr));
  ossl::KdfCtx ctx(kdf ? EVP_KDF_CTX_new(kdf.get()) : nullptr);
  const ByteSpan info_bytes(reinterpret_cast<const std::uint8_t*>(info.data()), info.size());
  // No salt parameter: RFC 9383 section 4 uses salt = nil (hashLen zeros).
  OSSL_PARAM params[] = {Sha256Param(OSSL_KDF_PARAM_DIGEST), OctetParam(OSSL_KDF_PARAM_KEY, ikm),
                         OctetParam(OSSL_KDF_PARAM_INFO, info_bytes), OSSL_PARAM_construct_end()};
  Bytes out(length);
  if (!ctx || EVP_KDF_derive(ctx.get(), out.data(), out.size(), params) != 1) {
    Cleanse(out);
    return CryptoFailure("HKDF-SHA256 failed");
  }
  return SecretBytes(std::move(out));
}

Result<ProverSecrets> DeriveProverSecrets(std::string_view password, std::string_view id_prover,
                                          std::string_view id_verifier, ByteSpan salt,
                                          const PasswordKdf& kdf) {
  if (password.empty()) return Invalid("the password is empty");
  Curve c;
  HOMECA_RETURN_IF_ERROR(LoadCurve(c));
  const SecretBytes input(EncodeKdfInput(password, ToBytes(id_prover), ToBytes(id_verifier)));
  // w0s || w1s: 40 bytes each, so that reducing mod n leaves a negligible bias
  // (RFC 9383 section 3.2: at least 64 bits beyond the order's size).
  constexpr std::size_t kHalf = kSpakeScalarSize + 8;
  Result<Bytes> raw = StretchPassword(input.span(), salt, kdf, 2 * kHalf);
  if (!raw.ok()) return raw.status();
  const SecretBytes ws(std::move(raw).value());  // wiped on every way out
  ProverSecrets out;
  for (auto [offset, w] : {std::pair{std::size_t{0}, &out.w0}, std::pair{kHalf, &out.w1}}) {
    ossl::BnSecure wide(BN_secure_new());
    ossl::BnSecure reduced(BN_secure_new());
    Bytes bytes(kSpakeScalarSize);
    if (!wide || !reduced ||
        !BN_bin2bn(ws.bytes().data() + offset, static_cast<int>(kHalf), wide.get()) ||
        BN_nnmod(reduced.get(), wide.get(), c.order(), c.ctx.get()) != 1 ||
        BN_is_zero(reduced.get()) ||
        BN_bn2binpad(reduced.get(), bytes.data(), static_cast<int>(bytes.size())) < 0) {
      Cleanse(bytes);
      return CryptoFailure("cannot reduce w0 or w1");
    }
    *w = SecretBytes(std::move(bytes));
  }
  return out;
}

Result<VerifierRecord> MakeVerifierRecord(const ProverSecrets& secrets) {
  Curve c;
  HOMECA_RETURN_IF_ERROR(LoadCurve(c));
  ossl::BnSecure w0, w1;
  HOMECA_RETURN_IF_ERROR(LoadScalar(c, secrets.w0.span(), "w0", &w0));
  HOMECA_RETURN_IF_ERROR(LoadScalar(c, secrets.w1.span(), "w1", &w1));
  EcPointSecure l = Mul(c, nullptr, w1.get());
  if (!l) return CryptoFailure("cannot compute L");
  VerifierRecord record{secrets.w0, {}};
  HOMECA_RETURN_IF_ERROR(Encode(c, l.get(), &record.l));
  return record;
}

Spake2PlusProver::Spake2PlusProver(std::unique_ptr<Spake2PlusSession> session)
    : session_(std::move(session)) {}
Spake2PlusProver::Spake2PlusProver(Spake2PlusProver&&) noexcept = default;
Spake2PlusProver& Spake2PlusProver::operator=(Spake2PlusProver&&) noexcept = default;
Spake2PlusProver::~Spake2PlusProver() = default;

Result<Spake2PlusProver> Spake2PlusProver::Create(const Spake2PlusIds& ids,
                                                  const ProverSecrets& secrets) {
  auto s = std::make_unique<Spake2PlusSession>();
  HOMECA_RETURN_IF_ERROR(StartProver(ids, secrets, std::nullopt, *s));
  return Spake2PlusProver(std::move(s));
}

Result<Spake2PlusProver> Spake2PlusProver::CreateForTesting(const Spake2PlusIds& ids,
                                                            const ProverSecrets& secrets,
                                                            ByteSpan x) {
  auto s = std::make_unique<Spake2PlusSession>();
  HOMECA_RETURN_IF_ERROR(StartProver(ids, secrets, x, *s));
  return Spake2PlusProver(std::move(s));
}

const Bytes& Spake2PlusProver::share_p() const { return session_->t.share_p; }

Result<Bytes> Spake2PlusProver::Finish(ByteSpan share_v, ByteSpan confirm_v) {
  Spake2PlusSession& s = *session_;
  if (s.stage != Stage::kStarted) return OutOfOrder();
  s.stage = Stage::kFailed;  // until confirmV checks out
  ossl::EcPoint y;
  HOMECA_RETURN_IF_ERROR(DecodePeerPoint(s.c, share_v, "shareV", &y));
  s.t.share_v.assign(share_v.begin(), share_v.end());
  // RFC 9383 section 3.3: Z = h*x*(Y - w0*N), V = h*w1*(Y - w0*N); h = 1 on P-256.
  EcPointSecure unblinded = Unblind(s, y.get(), s.c.n());
  if (!unblinded) return CryptoFailure("cannot unblind shareV");
  EcPointSecure z = Mul(s.c, unblinded.get(), s.scalar.get());
  EcPointSecure v = Mul(s.c, unblinded.get(), s.w1.get());
  HOMECA_RETURN_IF_ERROR(RunKeySchedule(s, z.get(), v.get()));
  if (!ConstantTimeEqual(s.t.confirm_v, confirm_v)) return ConfirmationFailed();
  s.stage = Stage::kConfirmed;
  return s.t.confirm_p;
}

Result<SecretBytes> Spake2PlusProver::SharedKey() const { return SharedKeyOf(*session_); }

const Spake2PlusTranscript& Spake2PlusProver::TranscriptForTesting() const { return session_->t; }

Spake2PlusVerifier::Spake2PlusVerifier(std::unique_ptr<Spake2PlusSession> session)
    : session_(std::move(session)) {}
Spake2PlusVerifier::Spake2PlusVerifier(Spake2PlusVerifier&&) noexcept = default;
Spake2PlusVerifier& Spake2PlusVerifier::operator=(Spake2PlusVerifier&&) noexcept = default;
Spake2PlusVerifier::~Spake2PlusVerifier() = default;

Result<Spake2PlusVerifier> Spake2PlusVerifier::Create(const Spake2PlusIds& ids,
                                                      const VerifierRecord& record) {
  auto s = std::make_unique<Spake2PlusSession>();
  HOMECA_RETURN_IF_ERROR(StartVerifier(ids, record, std::nullopt, *s));
  return Spake2PlusVerifier(std::move(s));
}

Result<Spake2PlusVerifier> Spake2PlusVerifier::CreateForTesting(const Spake2PlusIds& ids,
                                                                const VerifierRecord& record,
                                                                ByteSpan y) {
  auto s = std::make_unique<Spake2PlusSession>();
  HOMECA_RETURN_IF_ERROR(StartVerifier(ids, record, y, *s));
  return Spake2PlusVerifier(std::move(s));
}

Result<Spake2PlusVerifier::Response> Spake2PlusVerifier::Respond(ByteSpan share_p) {
  Spake2PlusSession& s = *session_;
  if (s.stage != Stage::kStarted) return OutOfOrder();
  s.stage = Stage::kFailed;  // until confirmP checks out
  ossl::EcPoint x;
  HOMECA_RETURN_IF_ERROR(DecodePeerPoint(s.c, share_p, "shareP", &x));
  s.t.share_p.assign(share_p.begin(), share_p.end());
  HOMECA_RETURN_IF_ERROR(Share(s, s.c.n(), &s.t.share_v));
  // RFC 9383 section 3.3: Z = h*y*(X - w0*M), V = h*y*L; h = 1 on P-256.
  EcPointSecure unblinded = Unblind(s, x.get(), s.c.m());
  if (!unblinded) return CryptoFailure("cannot unblind shareP");
  EcPointSecure z = Mul(s.c, unblinded.get(), s.scalar.get());
  EcPointSecure v = Mul(s.c, s.l.get(), s.scalar.get());
  HOMECA_RETURN_IF_ERROR(RunKeySchedule(s, z.get(), v.get()));
  s.stage = Stage::kResponded;
  return Response{s.t.share_v, s.t.confirm_v};
}

Status Spake2PlusVerifier::Finish(ByteSpan confirm_p) {
  Spake2PlusSession& s = *session_;
  if (s.stage != Stage::kResponded) return OutOfOrder();
  s.stage = Stage::kFailed;
  if (!ConstantTimeEqual(s.t.confirm_p, confirm_p)) return ConfirmationFailed();
  s.stage = Stage::kConfirmed;
  return Status::Ok();
}

Result<SecretBytes> Spake2PlusVerifier::SharedKey() const { return SharedKeyOf(*session_); }

const Spake2PlusTranscript& Spake2PlusVerifier::TranscriptForTesting() const { return session_->t; }

}  // namespace homeca::enroll
