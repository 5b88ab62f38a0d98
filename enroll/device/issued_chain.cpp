#include "enroll/device/issued_chain.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <algorithm>

#include "ca/base/openssl_error.h"
#include "ca/base/openssl_handles.h"
#include "enroll/protocol/json.h"

namespace homeca::enroll {
namespace {

char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// DNS names compare case-insensitively in ASCII only (RFC 4343). Not
// std::tolower: this runs inside the device's program, whose locale may be
// one where 'I' does not lower to 'i'.
bool SameName(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](char x, char y) { return AsciiLower(x) == AsciiLower(y); });
}

// sk_X509_free is a macro in OpenSSL 3; Ptr needs a function. Frees the
// stack only: its elements are borrowed.
void FreeX509Stack(STACK_OF(X509) * s) { sk_X509_free(s); }

Status Untrusted(std::string why, std::string detail = {}) {
  return Fail(EnrollError::kUntrusted, "the issued certificate is not acceptable: " + why,
              std::move(detail));
}

}  // namespace

Result<std::vector<ca::Certificate>> ParseDerChain(const std::vector<Bytes>& der) {
  if (der.empty() || der.size() > kMaxChainLength) {
    return Fail(EnrollError::kBadResponse, "the CA's chain has " + std::to_string(der.size()) +
                                               " certificates (expected 1 to " +
                                               std::to_string(kMaxChainLength) + ")");
  }
  std::vector<ca::Certificate> chain;
  for (const Bytes& cert : der) {
    Result<ca::Certificate> parsed = ca::Certificate::FromDer(cert);
    if (!parsed.ok()) {
      return Fail(EnrollError::kBadResponse, "the CA sent an unreadable certificate",
                  parsed.status().detail());
    }
    chain.push_back(std::move(*parsed));
  }
  return chain;
}

Result<std::vector<ca::Certificate>> ParsePemCertificates(std::string_view pem) {
  ossl::Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return ossl::CryptoError("cannot read PEM");
  std::vector<ca::Certificate> out;
  while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    Result<ca::Certificate> adopted = ca::Certificate::Adopt(cert);
    if (!adopted.ok()) return adopted.status();
    out.push_back(std::move(*adopted));
  }
  // Reading stops with "no start line" at the end of the text: expected.
  ossl::ClearErrors();
  if (out.empty()) return Status::InvalidArgument("no PEM certificate found");
  return out;
}

Status VerifyIssuedChain(const std::vector<ca::Certificate>& chain, const ca::Certificate& root,
                         const std::vector<std::string>& names, const ca::PrivateKey& key,
                         std::int64_t now) {
  if (chain.empty()) return Untrusted("the chain is empty");
  X509* leaf = chain.front().native();
  if (X509_self_signed(root.native(), 1) != 1 || X509_check_ca(root.native()) == 0) {
    ossl::ClearErrors();
    return Untrusted("the root is not a self-signed CA certificate");
  }

  ossl::X509Store store(X509_STORE_new());
  ossl::Ptr<STACK_OF(X509), FreeX509Stack> untrusted(sk_X509_new_null());
  ossl::X509StoreCtx ctx(X509_STORE_CTX_new());
  if (!store || !untrusted || !ctx || X509_STORE_add_cert(store.get(), root.native()) != 1) {
    return Fail(EnrollError::kInternal, ossl::CryptoError("cannot set up chain verification"));
  }
  for (std::size_t i = 1; i < chain.size(); ++i) {
    // Borrowed pointers: the stack is freed without freeing its elements.
    if (sk_X509_push(untrusted.get(), chain[i].native()) <= 0) {
      return Fail(EnrollError::kInternal, ossl::CryptoError("cannot set up chain verification"));
    }
  }
  if (X509_STORE_CTX_init(ctx.get(), store.get(), leaf, untrusted.get()) != 1) {
    return Fail(EnrollError::kInternal, ossl::CryptoError("cannot set up chain verification"));
  }
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
  // The leaf is used as a TLS server certificate (e.g. by nginx): check it is fit for it.
  X509_STORE_CTX_set_purpose(ctx.get(), X509_PURPOSE_SSL_SERVER);
  X509_VERIFY_PARAM_set_time(param, static_cast<time_t>(now));
  if (X509_verify_cert(ctx.get()) != 1) {
    const int err = X509_STORE_CTX_get_error(ctx.get());
    ossl::ClearErrors();
    std::string why = X509_verify_cert_error_string(err);
    if (err == X509_V_ERR_CERT_NOT_YET_VALID) why += " (is this device's clock right?)";
    return Untrusted("it does not verify to the CA's root: " + why);
  }

  if (names.empty()) return Untrusted("the CA assigned no names");
  const std::vector<std::string> sans = chain.front().SubjectAltNames();
  for (const std::string& name : names) {
    const bool found = std::any_of(sans.begin(), sans.end(),
                                   [&](const std::string& san) { return SameName(san, name); });
    if (!found) return Untrusted("it does not cover the assigned name " + SanitizeForLog(name, 80));
  }

  if (EVP_PKEY_eq(X509_get0_pubkey(leaf), key.native()) != 1) {
    ossl::ClearErrors();
    return Untrusted("it certifies another key than this device's");
  }
  return Status::Ok();
}

}  // namespace homeca::enroll
