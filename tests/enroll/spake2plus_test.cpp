#include "enroll/pake/spake2plus.h"

#include <openssl/obj_mac.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "ca/base/openssl_handles.h"
#include "enroll/pake/pairing_code.h"

namespace homeca::enroll {
namespace {

// key=value lines of tests/vectors/rfc9383-p256-sha256.txt; '#' starts a comment.
using Vector = std::map<std::string, std::string>;

const Vector& Rfc9383() {
  static const Vector v = [] {
    Vector out;
    std::ifstream in(HOMECA_RFC9383_VECTOR);
    REQUIRE(in.good());
    for (std::string line; std::getline(in, line);) {
      if (line.empty() || line[0] == '#') continue;
      const std::size_t eq = line.find('=');
      REQUIRE(eq != std::string::npos);
      out[line.substr(0, eq)] = line.substr(eq + 1);
    }
    return out;
  }();
  return v;
}

std::string Field(const std::string& key) {
  const auto it = Rfc9383().find(key);
  INFO("vector field " << key);
  REQUIRE(it != Rfc9383().end());
  return it->second;
}

Bytes HexField(const std::string& key) {
  auto b = HexDecode(Field(key));
  INFO("vector field " << key);
  REQUIRE(b.has_value());
  return *b;
}

Bytes QuotedField(const std::string& key) {
  const std::string s = Field(key);
  REQUIRE(s.size() >= 2);
  REQUIRE(s.front() == '"');
  REQUIRE(s.back() == '"');
  return ToBytes(s.substr(1, s.size() - 2));
}

std::string Hex(const SecretBytes& s) { return HexEncode(s.bytes()); }

Spake2PlusIds VectorIds() {
  return {QuotedField("context"), QuotedField("idProver"), QuotedField("idVerifier")};
}

ProverSecrets VectorSecrets() { return {SecretBytes(HexField("w0")), SecretBytes(HexField("w1"))}; }

Spake2PlusIds TestIds() {
  return {ToBytes("homeca enroll test"), ToBytes("device"), ToBytes("ca")};
}

ProverSecrets SecretsFor(std::string_view code, const Bytes& salt) {
  auto s =
      DeriveProverSecrets(code, "device", "ca", salt, PasswordKdf::Pbkdf2(kMinPbkdfIterations));
  REQUIRE(s.ok());
  return std::move(s).value();
}

VerifierRecord RecordFor(const ProverSecrets& secrets) {
  auto r = MakeVerifierRecord(secrets);
  REQUIRE(r.ok());
  return std::move(r).value();
}

// k*P (uncompressed), with P decoded from the vector's compressed M or N.
Bytes MulVectorPoint(const std::string& point_key, const SecretBytes& k) {
  ossl::EcGroup group(EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1));
  ossl::EcPoint p(EC_POINT_new(group.get()));
  ossl::EcPoint r(EC_POINT_new(group.get()));
  ossl::Bn scalar(BN_bin2bn(k.bytes().data(), static_cast<int>(k.size()), nullptr));
  const Bytes enc = HexField(point_key);
  REQUIRE(EC_POINT_oct2point(group.get(), p.get(), enc.data(), enc.size(), nullptr) == 1);
  REQUIRE(EC_POINT_mul(group.get(), r.get(), nullptr, p.get(), scalar.get(), nullptr) == 1);
  Bytes out(kSpakePointSize);
  REQUIRE(EC_POINT_point2oct(group.get(), r.get(), POINT_CONVERSION_UNCOMPRESSED, out.data(),
                             out.size(), nullptr) == out.size());
  return out;
}

TEST_CASE("SPAKE2+ reproduces the RFC 9383 P-256 test vector byte for byte", "[spake2plus]") {
  const Spake2PlusIds ids = VectorIds();
  const ProverSecrets secrets = VectorSecrets();
  const VerifierRecord record = RecordFor(secrets);
  CHECK(HexEncode(record.l) == Field("L"));
  CHECK(Hex(record.w0) == Field("w0"));

  auto prover = Spake2PlusProver::CreateForTesting(ids, secrets, HexField("x"));
  REQUIRE(prover.ok());
  CHECK(HexEncode(prover->share_p()) == Field("shareP"));
  auto verifier = Spake2PlusVerifier::CreateForTesting(ids, record, HexField("y"));
  REQUIRE(verifier.ok());
  auto response = verifier->Respond(prover->share_p());
  REQUIRE(response.ok());
  CHECK(HexEncode(response->share_v) == Field("shareV"));
  CHECK(HexEncode(response->confirm_v) == Field("confirmV"));
  auto confirm_p = prover->Finish(response->share_v, response->confirm_v);
  REQUIRE(confirm_p.ok());
  CHECK(HexEncode(*confirm_p) == Field("confirmP"));
  REQUIRE(verifier->Finish(*confirm_p).ok());

  for (const Spake2PlusTranscript* t :
       {&prover->TranscriptForTesting(), &verifier->TranscriptForTesting()}) {
    CHECK(HexEncode(t->share_p) == Field("shareP"));
    CHECK(HexEncode(t->share_v) == Field("shareV"));
    CHECK(Hex(t->z) == Field("Z"));
    CHECK(Hex(t->v) == Field("V"));
    CHECK(Hex(t->tt) == Field("TT"));
    CHECK(Hex(t->k_main) == Field("K_main"));
    CHECK(Hex(t->k_confirm_p) == Field("K_confirmP"));
    CHECK(Hex(t->k_confirm_v) == Field("K_confirmV"));
    CHECK(HexEncode(t->confirm_p) == Field("confirmP"));
    CHECK(HexEncode(t->confirm_v) == Field("confirmV"));
    CHECK(Hex(t->k_shared) == Field("K_shared"));
  }
  auto prover_key = prover->SharedKey();
  auto verifier_key = verifier->SharedKey();
  REQUIRE(prover_key.ok());
  REQUIRE(verifier_key.ok());
  CHECK(Hex(*prover_key) == Field("K_shared"));
  CHECK(Hex(*verifier_key) == Field("K_shared"));
}

// The KDF's input and output, computed independently with Python's hashlib
// (the script is in the comment; n is P-256's group order):
//   import hashlib, struct
//   n = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
//   def enc(*parts): return b''.join(struct.pack('<Q', len(p)) + p for p in parts)
//   inp = enc(b'314159265358', b'slot:31', b'homeca'); salt = bytes(range(16))
//   ws = hashlib.pbkdf2_hmac('sha256', inp, salt, 1000, 80)
//   ws = hashlib.scrypt(inp, salt=salt, n=2**15, r=8, p=1, maxmem=64*2**20, dklen=80)
//   w0 = int.from_bytes(ws[:40], 'big') % n; w1 = int.from_bytes(ws[40:], 'big') % n
TEST_CASE("the KDF input is RFC 9383's len(pw)||pw||len(idP)||idP||len(idV)||idV", "[spake2plus]") {
  CHECK(HexEncode(EncodeKdfInput("314159265358", ToBytes("slot:31"), ToBytes("homeca"))) ==
        "0c00000000000000333134313539323635333538"
        "0700000000000000736c6f743a3331"
        "0600000000000000686f6d656361");
  CHECK(HexEncode(EncodeKdfInput("1", {}, {})) ==
        "010000000000000031"
        "0000000000000000"
        "0000000000000000");
}

TEST_CASE("PBKDF2 and scrypt derivations of w0 and w1 match an independent computation",
          "[spake2plus]") {
  Bytes salt(16);
  for (std::size_t i = 0; i < salt.size(); ++i) salt[i] = static_cast<std::uint8_t>(i);
  auto s =
      DeriveProverSecrets("314159265358", "slot:31", "homeca", salt, PasswordKdf::Pbkdf2(1000));
  REQUIRE(s.ok());
  CHECK(Hex(s->w0) == "bdb62658964f0e97401dfe2778a9947961c71076d61a0686e9b6c2157ef44c2f");
  CHECK(Hex(s->w1) == "1d35ca0d183ee265bf0056e0c8e99b3ee8d35671c9db8bac3a55c8ac901d30f0");
  auto t =
      DeriveProverSecrets("314159265358", "slot:31", "homeca", salt, PasswordKdf::Scrypt(15, 8, 1));
  REQUIRE(t.ok());
  CHECK(Hex(t->w0) == "4cc03461958d08da63bbaddede67b1e764c27dfd433637337b3c78df0d8fddff");
  CHECK(Hex(t->w1) == "ba396ff92cdf8531d5874e9be7e5ae90b5e10bc5eb7a72f2cfe3d4f780696f82");
  // Another identity is another record: the ids are bound into the stretch.
  auto u =
      DeriveProverSecrets("314159265358", "slot:32", "homeca", salt, PasswordKdf::Pbkdf2(1000));
  REQUIRE(u.ok());
  CHECK(Hex(u->w0) != Hex(s->w0));
}

TEST_CASE("KDF parameters outside the allowed ranges are refused", "[spake2plus]") {
  const Bytes salt16 = RandomBytes(16);
  auto derive = [](std::string_view code, const Bytes& salt, const PasswordKdf& kdf) {
    return DeriveProverSecrets(code, "slot:31", "homeca", salt, kdf).status();
  };
  const PasswordKdf pbkdf2 = PasswordKdf::Pbkdf2(1000);
  CHECK(derive("314159265358", RandomBytes(15), pbkdf2).IsInvalidArgument());
  CHECK(derive("314159265358", RandomBytes(33), pbkdf2).IsInvalidArgument());
  CHECK(derive("314159265358", salt16, PasswordKdf::Pbkdf2(999)).IsInvalidArgument());
  CHECK(derive("314159265358", salt16, PasswordKdf::Pbkdf2(100001)).IsInvalidArgument());
  CHECK(derive("", salt16, pbkdf2).IsInvalidArgument());
  CHECK(derive("314159265358", salt16, pbkdf2).ok());
  CHECK(derive("314159265358", RandomBytes(32), PasswordKdf::Pbkdf2(100000)).ok());
  // scrypt: N 2^14..2^16, r 1..16, p 1..4, 128*N*r <= 64 MiB, N*r*p <= 2^20.
  for (const PasswordKdf& bad :
       {PasswordKdf::Scrypt(13, 8, 1), PasswordKdf::Scrypt(17, 8, 1), PasswordKdf::Scrypt(30, 8, 1),
        PasswordKdf::Scrypt(15, 0, 1), PasswordKdf::Scrypt(15, 17, 1),
        PasswordKdf::Scrypt(15, 8, 0), PasswordKdf::Scrypt(15, 8, 5),
        PasswordKdf::Scrypt(16, 16, 1), PasswordKdf::Scrypt(16, 8, 4)}) {
    INFO(FormatPasswordKdf(bad));
    CHECK(derive("314159265358", salt16, bad).IsInvalidArgument());
  }
  CHECK(derive("314159265358", salt16, PasswordKdf::Scrypt(14, 8, 1)).ok());
}

TEST_CASE("KDF parameter strings round-trip and are checked", "[spake2plus]") {
  for (const PasswordKdf& kdf : {PasswordKdf::Scrypt(), PasswordKdf::Scrypt(16, 8, 1),
                                 PasswordKdf::Pbkdf2(), PasswordKdf::Pbkdf2(1000)}) {
    auto parsed = ParsePasswordKdf(FormatPasswordKdf(kdf));
    REQUIRE(parsed.ok());
    CHECK(*parsed == kdf);
  }
  CHECK(FormatPasswordKdf(PasswordKdf::Scrypt()) == "scrypt$15$8$1");
  CHECK(*ParsePasswordKdf("scrypt") == PasswordKdf::Scrypt(15, 8, 1));
  CHECK(*ParsePasswordKdf("pbkdf2-sha256") == PasswordKdf::Pbkdf2(20000));
  for (std::string_view bad : {"", "argon2", "scrypt$15$8", "scrypt$20$8$1", "scrypt$015$8$1",
                               "pbkdf2-sha256$999", "pbkdf2-sha256$1e5", "scrypt$15$8$1$"}) {
    INFO(bad);
    CHECK(ParsePasswordKdf(bad).status().IsInvalidArgument());
  }
  CHECK(PairingProverId(7, "") == "slot:07");
  CHECK(PairingProverId(std::nullopt, "cam-1") == "device:cam-1");
}

TEST_CASE("a random prover and verifier agree on K_shared", "[spake2plus]") {
  auto code = PairingCode::Generate(42);
  REQUIRE(code.ok());
  const Bytes salt = RandomBytes(16);
  const ProverSecrets secrets = SecretsFor(code->digits(), salt);
  const VerifierRecord record = RecordFor(SecretsFor(code->digits(), salt));

  std::vector<std::string> keys;
  for (int run = 0; run < 2; ++run) {
    auto prover = Spake2PlusProver::Create(TestIds(), secrets);
    auto verifier = Spake2PlusVerifier::Create(TestIds(), record);
    REQUIRE(prover.ok());
    REQUIRE(verifier.ok());
    CHECK_FALSE(prover->SharedKey().ok());
    auto response = verifier->Respond(prover->share_p());
    REQUIRE(response.ok());
    CHECK_FALSE(verifier->SharedKey().ok());  // not before confirmP
    auto confirm_p = prover->Finish(response->share_v, response->confirm_v);
    REQUIRE(confirm_p.ok());
    REQUIRE(verifier->Finish(*confirm_p).ok());
    auto pk = prover->SharedKey();
    auto vk = verifier->SharedKey();
    REQUIRE(pk.ok());
    REQUIRE(vk.ok());
    CHECK(pk->size() == 32);
    CHECK(Hex(*pk) == Hex(*vk));
    keys.push_back(Hex(*pk));
  }
  CHECK(keys[0] != keys[1]);  // fresh x and y every session
}

TEST_CASE("a wrong code or context fails key confirmation on both sides", "[spake2plus]") {
  const Bytes salt = RandomBytes(16);
  const VerifierRecord record = RecordFor(SecretsFor("314159265358", salt));
  Spake2PlusIds other_context = TestIds();
  other_context.context = ToBytes("homeca enroll test, another TLS certificate");
  struct Case {
    const char* name;
    std::string code;
    Spake2PlusIds ids;
  };
  for (const Case& c : {Case{"wrong code", "314159265359", TestIds()},
                        Case{"wrong context", "314159265358", other_context}}) {
    INFO(c.name);
    auto prover = Spake2PlusProver::Create(c.ids, SecretsFor(c.code, salt));
    auto verifier = Spake2PlusVerifier::Create(TestIds(), record);
    REQUIRE(prover.ok());
    REQUIRE(verifier.ok());
    auto response = verifier->Respond(prover->share_p());
    REQUIRE(response.ok());
    auto confirm_p = prover->Finish(response->share_v, response->confirm_v);
    CHECK(confirm_p.status().code() == ErrorCode::kPermissionDenied);
    CHECK_FALSE(prover->SharedKey().ok());
    // A prover that carries on anyway sends its own confirmP; the CA refuses it.
    const Status s = verifier->Finish(prover->TranscriptForTesting().confirm_p);
    CHECK(s.code() == ErrorCode::kPermissionDenied);
    CHECK(s.message().find("314159") == std::string::npos);
    CHECK_FALSE(verifier->SharedKey().ok());
  }
}

std::vector<std::pair<std::string, Bytes>> InvalidPoints() {
  const Bytes good = HexField("shareP");
  std::vector<std::pair<std::string, Bytes>> out;
  Bytes off_curve = good;
  off_curve.back() ^= 1;
  out.emplace_back("off the curve", off_curve);
  out.emplace_back("identity (SEC1 single zero byte)", Bytes{0x00});
  Bytes zeros(kSpakePointSize, 0);
  out.emplace_back("65 zero bytes", zeros);
  zeros[0] = 0x04;
  out.emplace_back("04 followed by zeros", zeros);
  Bytes compressed(good.begin(), good.begin() + 33);
  compressed[0] = static_cast<std::uint8_t>(0x02 | (good.back() & 1));
  out.emplace_back("compressed form of a valid point", compressed);
  Bytes hybrid = good;
  hybrid[0] = static_cast<std::uint8_t>(0x06 | (good.back() & 1));
  out.emplace_back("hybrid form of a valid point", hybrid);
  out.emplace_back("truncated", Bytes(good.begin(), good.end() - 1));
  Bytes longer = good;
  longer.push_back(0);
  out.emplace_back("one byte too long", longer);
  out.emplace_back("empty", Bytes{});
  Bytes garbage = RandomBytes(kSpakePointSize);
  garbage[0] = 0x04;
  out.emplace_back("random garbage", garbage);
  out.emplace_back("text", ToBytes("not a point at all"));
  return out;
}

TEST_CASE("invalid peer points are rejected by both sides", "[spake2plus]") {
  const ProverSecrets secrets = VectorSecrets();
  const VerifierRecord record = RecordFor(secrets);
  for (const auto& [name, point] : InvalidPoints()) {
    INFO(name);
    auto verifier = Spake2PlusVerifier::Create(VectorIds(), record);
    REQUIRE(verifier.ok());
    const Status vs = verifier->Respond(point).status();
    CHECK(vs.IsInvalidArgument());
    CHECK(vs.message().find("shareP is not") != std::string::npos);
    // Single use: the failed session cannot be retried with a good point.
    CHECK_FALSE(verifier->Respond(HexField("shareP")).ok());

    auto prover = Spake2PlusProver::Create(VectorIds(), secrets);
    REQUIRE(prover.ok());
    const Status ps = prover->Finish(point, HexField("confirmV")).status();
    CHECK(ps.IsInvalidArgument());
    CHECK(ps.message().find("shareV is not") != std::string::npos);
    CHECK_FALSE(prover->SharedKey().ok());
  }
}

TEST_CASE("shares that make Z the identity are rejected", "[spake2plus]") {
  const ProverSecrets secrets = VectorSecrets();
  // shareP = w0*M makes X - w0*M the identity; shareV = w0*N does the same to Y.
  auto verifier = Spake2PlusVerifier::Create(VectorIds(), RecordFor(secrets));
  REQUIRE(verifier.ok());
  const Status vs = verifier->Respond(MulVectorPoint("M", secrets.w0)).status();
  CHECK(vs.IsInvalidArgument());
  CHECK(vs.message().find("identity") != std::string::npos);

  auto prover = Spake2PlusProver::Create(VectorIds(), secrets);
  REQUIRE(prover.ok());
  const Status ps = prover->Finish(MulVectorPoint("N", secrets.w0), HexField("confirmV")).status();
  CHECK(ps.IsInvalidArgument());
  CHECK(ps.message().find("identity") != std::string::npos);
}

TEST_CASE("tampered confirmations are rejected", "[spake2plus]") {
  const ProverSecrets secrets = VectorSecrets();
  const VerifierRecord record = RecordFor(secrets);
  auto tampered = [](Bytes b, std::size_t i) {
    b[i] ^= 0x80;
    return b;
  };
  for (std::size_t i : {std::size_t{0}, std::size_t{15}, std::size_t{31}}) {
    INFO("flipped byte " << i);
    auto prover = Spake2PlusProver::Create(VectorIds(), secrets);
    auto verifier = Spake2PlusVerifier::Create(VectorIds(), record);
    REQUIRE(prover.ok());
    REQUIRE(verifier.ok());
    auto response = verifier->Respond(prover->share_p());
    REQUIRE(response.ok());
    CHECK(prover->Finish(response->share_v, tampered(response->confirm_v, i)).status().code() ==
          ErrorCode::kPermissionDenied);

    const Bytes good_p = prover->TranscriptForTesting().confirm_p;
    CHECK(verifier->Finish(tampered(good_p, i)).code() == ErrorCode::kPermissionDenied);
    CHECK_FALSE(verifier->Finish(good_p).ok());  // no second try
    CHECK_FALSE(verifier->SharedKey().ok());
  }
  for (const Bytes& wrong_size : {Bytes{}, Bytes(31, 0), Bytes(33, 0)}) {
    auto prover = Spake2PlusProver::Create(VectorIds(), secrets);
    auto verifier = Spake2PlusVerifier::Create(VectorIds(), record);
    REQUIRE(prover.ok());
    REQUIRE(verifier.ok());
    auto response = verifier->Respond(prover->share_p());
    REQUIRE(response.ok());
    CHECK_FALSE(prover->Finish(response->share_v, wrong_size).ok());
    CHECK_FALSE(verifier->Finish(wrong_size).ok());
  }
}

TEST_CASE("steps out of order and bad inputs are refused", "[spake2plus]") {
  const ProverSecrets secrets = VectorSecrets();
  const VerifierRecord record = RecordFor(secrets);
  auto verifier = Spake2PlusVerifier::Create(VectorIds(), record);
  REQUIRE(verifier.ok());
  CHECK_FALSE(verifier->Finish(HexField("confirmP")).ok());

  CHECK_FALSE(Spake2PlusProver::CreateForTesting(VectorIds(), secrets, Bytes(32, 0)).ok());
  CHECK_FALSE(Spake2PlusProver::CreateForTesting(VectorIds(), secrets, Bytes(31, 1)).ok());
  CHECK_FALSE(Spake2PlusProver::CreateForTesting(VectorIds(), secrets, Bytes(32, 0xff)).ok());
  ProverSecrets short_w0{SecretBytes(Bytes(31, 1)), secrets.w1};
  CHECK(Spake2PlusProver::Create(VectorIds(), short_w0).status().IsInvalidArgument());
  CHECK(MakeVerifierRecord(short_w0).status().IsInvalidArgument());
  VerifierRecord bad_l{record.w0, HexField("M")};  // compressed: refused
  CHECK(Spake2PlusVerifier::Create(VectorIds(), bad_l).status().IsInvalidArgument());
}

TEST_CASE("SecretBytes moves and copies keep the bytes", "[spake2plus]") {
  SecretBytes a(Bytes{1, 2, 3});
  SecretBytes b = a;
  SecretBytes c = std::move(a);
  CHECK(a.empty());  // NOLINT(bugprone-use-after-move): moved-from is empty by contract
  CHECK(b.bytes() == Bytes{1, 2, 3});
  c = b;
  CHECK(c.bytes() == Bytes{1, 2, 3});
}

}  // namespace
}  // namespace homeca::enroll
