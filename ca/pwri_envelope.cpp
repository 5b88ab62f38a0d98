#include "ca/pwri_envelope.h"

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include "ca/encoding.h"
#include "ca/openssl_error.h"
#include "ca/openssl_handles.h"

namespace homeca::ca {
namespace {

using Cms = ossl::Ptr<CMS_ContentInfo, CMS_ContentInfo_free>;

constexpr std::size_t kKeyBytes = 32;  // AES-256
constexpr std::size_t kBlock = 16;     // AES block and CBC IV
constexpr std::size_t kSaltBytes = 16;

// ---- A minimal DER writer: only what the structures below need. ----

std::string Length(std::size_t n) {
  if (n < 0x80) return std::string(1, static_cast<char>(n));
  std::string bytes;
  for (; n != 0; n >>= 8) bytes.insert(bytes.begin(), static_cast<char>(n & 0xff));
  return static_cast<char>(0x80 | bytes.size()) + bytes;
}

std::string Tlv(unsigned char tag, std::string_view content) {
  return static_cast<char>(tag) + Length(content.size()) + std::string(content);
}

std::string Integer(std::uint64_t value) {
  std::string bytes;
  do {
    bytes.insert(bytes.begin(), static_cast<char>(value & 0xff));
    value >>= 8;
  } while (value != 0);
  if (static_cast<unsigned char>(bytes[0]) & 0x80) bytes.insert(bytes.begin(), '\0');
  return Tlv(0x02, bytes);
}

std::string Oid(int nid) {
  const ASN1_OBJECT* object = OBJ_nid2obj(nid);
  unsigned char* der = nullptr;
  const int len = i2d_ASN1_OBJECT(object, &der);
  if (len <= 0) return {};
  ossl::OpenSslBytes owned(der);
  return std::string(reinterpret_cast<const char*>(der), static_cast<std::size_t>(len));
}

std::string Sequence(std::string_view content) { return Tlv(0x30, content); }
std::string OctetString(std::string_view content) { return Tlv(0x04, content); }

// AlgorithmIdentifier { aes256-CBC, IV } (RFC 3565 section 4.1).
std::string Aes256CbcAlgorithm(std::string_view iv) {
  return Sequence(Oid(NID_aes_256_cbc) + OctetString(iv));
}

Result<std::string> Random(std::size_t n) {
  std::string bytes(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(n)) != 1) {
    return ossl::CryptoError("no randomness");
  }
  return bytes;
}

// AES-256-CBC over `in`; `pad` selects PKCS#7 padding (the content) or none
// (the RFC 3211 key wrap, which pads itself). `chained` encrypts the result
// a second time in the same CBC chain, the wrap's second pass.
Result<std::string> Aes256Cbc(std::string_view key, std::string_view iv, std::string_view in,
                              bool pad, bool chained = false) {
  ossl::CipherCtx ctx(EVP_CIPHER_CTX_new());
  if (!ctx ||
      EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_cbc(), nullptr,
                         reinterpret_cast<const unsigned char*>(key.data()),
                         reinterpret_cast<const unsigned char*>(iv.data())) != 1 ||
      EVP_CIPHER_CTX_set_padding(ctx.get(), pad ? 1 : 0) != 1) {
    return ossl::CryptoError("cannot start AES-256-CBC");
  }
  std::string out(in.size() + kBlock, '\0');
  int n = 0;
  int total = 0;
  auto* dst = reinterpret_cast<unsigned char*>(out.data());
  if (EVP_EncryptUpdate(ctx.get(), dst, &n, reinterpret_cast<const unsigned char*>(in.data()),
                        static_cast<int>(in.size())) != 1) {
    return ossl::CryptoError("cannot encrypt");
  }
  total = n;
  if (chained) {
    std::string first = out.substr(0, static_cast<std::size_t>(total));
    out.assign(first.size() + kBlock, '\0');
    dst = reinterpret_cast<unsigned char*>(out.data());
    if (EVP_EncryptUpdate(ctx.get(), dst, &n, reinterpret_cast<const unsigned char*>(first.data()),
                          static_cast<int>(first.size())) != 1) {
      return ossl::CryptoError("cannot encrypt");
    }
    total = n;
  }
  if (EVP_EncryptFinal_ex(ctx.get(), dst + total, &n) != 1)
    return ossl::CryptoError("cannot encrypt");
  out.resize(static_cast<std::size_t>(total + n));
  return out;
}

// RFC 3211 section 2.3.1: length byte, the complement of the key's first
// three bytes as a check value, the key, random padding to a whole number of
// blocks (at least two); then CBC-encrypted twice in one chain.
Result<std::string> WrapContentKey(std::string_view kek, std::string_view iv,
                                   std::string_view cek) {
  std::string blob(1, static_cast<char>(cek.size()));
  for (int i = 0; i < 3; ++i) blob += static_cast<char>(~static_cast<unsigned char>(cek[i]));
  blob += cek;
  std::size_t padded = (blob.size() + kBlock - 1) / kBlock * kBlock;
  if (padded < 2 * kBlock) padded = 2 * kBlock;
  auto padding = Random(padded - blob.size());
  if (!padding.ok()) return padding.status();
  blob += *padding;
  auto wrapped = Aes256Cbc(kek, iv, blob, /*pad=*/false, /*chained=*/true);
  Cleanse(blob);
  return wrapped;
}

}  // namespace

Status CheckNewPassphrase(std::string_view passphrase) {
  if (passphrase.size() < kMinPassphraseLength) {
    return Status::InvalidArgument("the passphrase must be at least " +
                                   std::to_string(kMinPassphraseLength) +
                                   " characters (a few unrelated words make a good one)");
  }
  return Status::Ok();
}

Result<std::string> SealWithPassphrase(std::string_view plaintext, std::string_view passphrase,
                                       int iterations) {
  if (passphrase.empty()) return Status::InvalidArgument("an empty passphrase protects nothing");
  auto salt = Random(kSaltBytes);
  auto kek_iv = Random(kBlock);
  auto content_iv = Random(kBlock);
  auto cek = Random(kKeyBytes);
  for (const auto* r : {&salt, &kek_iv, &content_iv, &cek}) {
    if (!r->ok()) return r->status();
  }
  std::string kek(kKeyBytes, '\0');
  if (PKCS5_PBKDF2_HMAC(passphrase.data(), static_cast<int>(passphrase.size()),
                        reinterpret_cast<const unsigned char*>(salt->data()),
                        static_cast<int>(salt->size()), iterations, EVP_sha256(),
                        static_cast<int>(kek.size()),
                        reinterpret_cast<unsigned char*>(kek.data())) != 1) {
    return ossl::CryptoError("cannot derive a key from the passphrase");
  }
  auto wrapped = WrapContentKey(kek, *kek_iv, *cek);
  Cleanse(kek);
  if (!wrapped.ok()) {
    Cleanse(*cek);
    return wrapped.status();
  }
  auto ciphertext = Aes256Cbc(*cek, *content_iv, plaintext, /*pad=*/true);
  Cleanse(*cek);
  if (!ciphertext.ok()) return ciphertext.status();

  // PBKDF2-params (RFC 8018 A.2) with the PRF spelled out: hmacWithSHA256.
  const std::string pbkdf2 =
      Oid(NID_id_pbkdf2) +
      Sequence(OctetString(*salt) + Integer(static_cast<std::uint64_t>(iterations)) +
               Sequence(Oid(NID_hmacWithSHA256) + Tlv(0x05, "")));
  // PasswordRecipientInfo (RFC 5652 6.2.4), [3] IMPLICIT in RecipientInfo;
  // keyDerivationAlgorithm is [0] IMPLICIT.
  const std::string pwri =
      Tlv(0xA3, Integer(0) + Tlv(0xA0, pbkdf2) +
                    Sequence(Oid(NID_id_alg_PWRI_KEK) + Aes256CbcAlgorithm(*kek_iv)) +
                    OctetString(*wrapped));
  // EncryptedContentInfo with encryptedContent [0] IMPLICIT OCTET STRING.
  const std::string content =
      Sequence(Oid(NID_pkcs7_data) + Aes256CbcAlgorithm(*content_iv) + Tlv(0x80, *ciphertext));
  // EnvelopedData version 3: a pwri is present (RFC 5652 section 6.1).
  const std::string enveloped = Sequence(Integer(3) + Tlv(0x31, pwri) + content);
  return Sequence(Oid(NID_pkcs7_enveloped) + Tlv(0xA0, enveloped));
}

Result<std::string> OpenWithPassphrase(std::string_view sealed, std::string_view passphrase) {
  // PEM ("-----BEGIN CMS-----", as openssl cms -outform PEM writes) is
  // unwrapped to DER first.
  std::string der_from_pem;
  if (sealed.substr(0, 11) == "-----BEGIN ") {
    ossl::Bio pem_in(BIO_new_mem_buf(sealed.data(), static_cast<int>(sealed.size())));
    char* name = nullptr;
    char* header = nullptr;
    unsigned char* data = nullptr;
    long len = 0;
    if (!pem_in || PEM_read_bio(pem_in.get(), &name, &header, &data, &len) != 1) {
      ERR_clear_error();
      return Status::InvalidArgument("not a passphrase-encrypted file (unreadable PEM)");
    }
    der_from_pem.assign(reinterpret_cast<const char*>(data), static_cast<std::size_t>(len));
    OPENSSL_free(name);
    OPENSSL_free(header);
    OPENSSL_free(data);
    sealed = der_from_pem;
  }
  const auto* der = reinterpret_cast<const unsigned char*>(sealed.data());
  Cms cms(d2i_CMS_ContentInfo(nullptr, &der, static_cast<long>(sealed.size())));
  if (!cms || OBJ_obj2nid(CMS_get0_type(cms.get())) != NID_pkcs7_enveloped) {
    ERR_clear_error();
    return Status::InvalidArgument("not a passphrase-encrypted file (CMS EnvelopedData)");
  }
  std::string pass(passphrase);
  const int set =
      CMS_decrypt_set1_password(cms.get(), reinterpret_cast<unsigned char*>(pass.data()),
                                static_cast<ossl_ssize_t>(pass.size()));
  ossl::Bio out(BIO_new(BIO_s_mem()));
  const bool opened = set == 1 && out &&
                      CMS_decrypt(cms.get(), nullptr, nullptr, nullptr, out.get(), CMS_BINARY) == 1;
  Cleanse(pass);
  if (!opened) {
    ERR_clear_error();
    return Status::PermissionDenied("wrong passphrase (or a damaged file)");
  }
  char* data = nullptr;
  const long len = BIO_get_mem_data(out.get(), &data);
  std::string plaintext(data, static_cast<std::size_t>(len));
  OPENSSL_cleanse(data, static_cast<std::size_t>(len));
  return plaintext;
}

}  // namespace homeca::ca
