#include "enroll/pake/seal.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>

#include "ca/base/openssl_error.h"
#include "ca/base/openssl_handles.h"
#include "enroll/pake/spake2plus.h"

namespace homeca::enroll {
namespace {

Status AuthenticationFailed() {
  return Status::InvalidArgument(
      "seal: authentication failed (tampered, wrong key or wrong associated data)");
}

}  // namespace

Result<SealKey> SealKey::Derive(std::span<const std::uint8_t> k_shared, std::string_view info) {
  if (k_shared.size() < kSealKeySize) {
    return Status::InvalidArgument("seal: the shared key must be at least 32 bytes");
  }
  if (info.empty()) return Status::InvalidArgument("seal: the key derivation needs an info string");
  Result<SecretBytes> okm = HkdfSha256(k_shared, info, kSealKeySize);
  if (!okm.ok()) return okm.status().WithContext("seal");
  SealKey key;
  std::copy(okm->bytes().begin(), okm->bytes().end(), key.key_.begin());
  return key;
}

SealKey::~SealKey() { OPENSSL_cleanse(key_.data(), key_.size()); }

Result<Bytes> SealKey::Seal(std::span<const std::uint8_t> plaintext,
                            std::span<const std::uint8_t> aad) const {
  if (plaintext.size() > kMaxSealPlaintext || aad.size() > kMaxSealPlaintext) {
    return Status::InvalidArgument("seal: the message is too large");
  }
  Bytes out(kSealOverhead + plaintext.size());
  const Bytes nonce = RandomBytes(kSealNonceSize);
  std::copy(nonce.begin(), nonce.end(), out.begin());
  std::uint8_t* body = out.data() + kSealNonceSize;
  ossl::CipherCtx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  int tail = 0;
  if (!ctx ||
      EVP_EncryptInit_ex2(ctx.get(), EVP_aes_256_gcm(), key_.data(), nonce.data(), nullptr) != 1 ||
      (!aad.empty() && EVP_EncryptUpdate(ctx.get(), nullptr, &len, aad.data(),
                                         static_cast<int>(aad.size())) != 1) ||
      (!plaintext.empty() && EVP_EncryptUpdate(ctx.get(), body, &len, plaintext.data(),
                                               static_cast<int>(plaintext.size())) != 1) ||
      EVP_EncryptFinal_ex(ctx.get(), body + plaintext.size(), &tail) != 1 || tail != 0 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_GET_TAG, static_cast<int>(kSealTagSize),
                          body + plaintext.size()) != 1) {
    return ossl::CryptoError("seal: AES-256-GCM encryption failed");
  }
  return out;
}

Result<Bytes> SealKey::Open(std::span<const std::uint8_t> sealed,
                            std::span<const std::uint8_t> aad) const {
  if (sealed.size() < kSealOverhead)
    return Status::InvalidArgument("seal: the message is too short");
  if (sealed.size() > kMaxSealPlaintext + kSealOverhead || aad.size() > kMaxSealPlaintext) {
    return Status::InvalidArgument("seal: the message is too large");
  }
  const std::span<const std::uint8_t> nonce = sealed.first(kSealNonceSize);
  const std::span<const std::uint8_t> body =
      sealed.subspan(kSealNonceSize, sealed.size() - kSealOverhead);
  const std::span<const std::uint8_t> tag = sealed.last(kSealTagSize);
  // OpenSSL copies the expected tag; the cast only satisfies its signature.
  std::array<std::uint8_t, kSealTagSize> tag_copy{};
  std::copy(tag.begin(), tag.end(), tag_copy.begin());

  Bytes out(body.size());
  ossl::CipherCtx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  int tail = 0;
  if (!ctx ||
      EVP_DecryptInit_ex2(ctx.get(), EVP_aes_256_gcm(), key_.data(), nonce.data(), nullptr) != 1 ||
      (!aad.empty() && EVP_DecryptUpdate(ctx.get(), nullptr, &len, aad.data(),
                                         static_cast<int>(aad.size())) != 1) ||
      (!body.empty() && EVP_DecryptUpdate(ctx.get(), out.data(), &len, body.data(),
                                          static_cast<int>(body.size())) != 1) ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_SET_TAG, static_cast<int>(kSealTagSize),
                          tag_copy.data()) != 1) {
    Cleanse(out);
    return ossl::CryptoError("seal: AES-256-GCM decryption failed");
  }
  // A wrong tag is an expected answer from the network, not an OpenSSL fault.
  if (EVP_DecryptFinal_ex(ctx.get(), out.data() + out.size(), &tail) != 1) {
    Cleanse(out);
    ossl::ClearErrors();
    return AuthenticationFailed();
  }
  return out;
}

}  // namespace homeca::enroll
