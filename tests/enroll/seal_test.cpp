#include "enroll/pake/seal.h"

#include <catch2/catch.hpp>
#include <string>
#include <string_view>

namespace homeca::enroll {
namespace {

SealKey KeyFor(const Bytes& k_shared, std::string_view info) {
  auto key = SealKey::Derive(k_shared, info);
  REQUIRE(key.ok());
  return key.value();
}

TEST_CASE("sealed messages open with the same key and associated data", "[seal]") {
  const Bytes k_shared = RandomBytes(32);
  const SealKey sender = KeyFor(k_shared, kSealInfoCaToDevice);
  const SealKey receiver = KeyFor(k_shared, kSealInfoCaToDevice);
  for (const Bytes& plaintext :
       {Bytes{}, ToBytes("x"), ToBytes("-----BEGIN CERTIFICATE-----"), RandomBytes(4096)}) {
    for (const Bytes& aad : {Bytes{}, ToBytes("homeca v1 certificate")}) {
      auto sealed = sender.Seal(plaintext, aad);
      REQUIRE(sealed.ok());
      CHECK(sealed->size() == plaintext.size() + kSealOverhead);
      auto opened = receiver.Open(*sealed, aad);
      REQUIRE(opened.ok());
      CHECK(*opened == plaintext);
    }
  }
}

TEST_CASE("each seal uses a fresh nonce", "[seal]") {
  const SealKey key = KeyFor(RandomBytes(32), kSealInfoDeviceToCa);
  auto a = key.Seal(ToBytes("same message"), {});
  auto b = key.Seal(ToBytes("same message"), {});
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(Bytes(a->begin(), a->begin() + kSealNonceSize) !=
        Bytes(b->begin(), b->begin() + kSealNonceSize));
  CHECK(*a != *b);
}

TEST_CASE("tampering, another key or other associated data are rejected", "[seal]") {
  const Bytes k_shared = RandomBytes(32);
  const SealKey key = KeyFor(k_shared, kSealInfoDeviceToCa);
  const Bytes aad = ToBytes("homeca v1 csr");
  auto sealed = key.Seal(ToBytes("a certificate signing request"), aad);
  REQUIRE(sealed.ok());

  for (std::size_t i = 0; i < sealed->size(); ++i) {
    Bytes tampered = *sealed;
    tampered[i] ^= 0x01;
    INFO("flipped byte " << i);
    const Status s = key.Open(tampered, aad).status();
    CHECK(s.IsInvalidArgument());
    CHECK(s.message().find("authentication failed") != std::string::npos);
  }
  CHECK_FALSE(key.Open(Bytes(sealed->begin(), sealed->end() - 1), aad).ok());
  Bytes longer = *sealed;
  longer.push_back(0);
  CHECK_FALSE(key.Open(longer, aad).ok());
  CHECK(key.Open(Bytes(kSealOverhead - 1, 0), aad).status().IsInvalidArgument());
  CHECK(key.Open(Bytes{}, aad).status().IsInvalidArgument());

  CHECK_FALSE(key.Open(*sealed, ToBytes("homeca v1 csS")).ok());
  CHECK_FALSE(key.Open(*sealed, {}).ok());
  // The other direction's key, and a key from another session.
  CHECK_FALSE(KeyFor(k_shared, kSealInfoCaToDevice).Open(*sealed, aad).ok());
  CHECK_FALSE(KeyFor(RandomBytes(32), kSealInfoDeviceToCa).Open(*sealed, aad).ok());
  CHECK(key.Open(*sealed, aad).ok());
}

TEST_CASE("key derivation refuses weak input and separates directions", "[seal]") {
  CHECK(SealKey::Derive(RandomBytes(31), kSealInfoCaToDevice).status().IsInvalidArgument());
  CHECK(SealKey::Derive(Bytes{}, kSealInfoCaToDevice).status().IsInvalidArgument());
  CHECK(SealKey::Derive(RandomBytes(32), "").status().IsInvalidArgument());
  CHECK(kSealInfoCaToDevice != kSealInfoDeviceToCa);
}

TEST_CASE("sealing matches an independent HKDF-SHA256 and AES-256-GCM", "[seal]") {
  // Made with Python (hmac, hashlib, cryptography's AESGCM):
  //   prk = HMAC-SHA256(32 zero bytes, bytes(range(32)))   # salt = nil
  //   key = HMAC-SHA256(prk, b"homeca v1 ca->device" + b"\x01")
  //   sealed = nonce(00..0b) || AESGCM(key).encrypt(nonce, b"hello device", b"aad")
  constexpr std::string_view kSealed =
      "000102030405060708090a0bd8e266f9e1daf4fa8cd4f377491e1e21276ae42d8700e60b3c96902b";
  Bytes ikm(32);
  for (std::size_t i = 0; i < ikm.size(); ++i) ikm[i] = static_cast<std::uint8_t>(i);
  const SealKey key = KeyFor(ikm, kSealInfoCaToDevice);
  const auto sealed = HexDecode(kSealed);
  REQUIRE(sealed.has_value());
  auto opened = key.Open(*sealed, ToBytes("aad"));
  REQUIRE(opened.ok());
  CHECK(ToString(*opened) == "hello device");
  CHECK_FALSE(KeyFor(ikm, kSealInfoDeviceToCa).Open(*sealed, ToBytes("aad")).ok());
}

}  // namespace
}  // namespace homeca::enroll
