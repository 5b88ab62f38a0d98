#include "tests/support/csr_factory.h"

#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <stdexcept>

namespace homeca::testing {
namespace {

ossl::X509Req BuildCsr(EVP_PKEY* key, const CsrOptions& options) {
  ossl::X509Req req(X509_REQ_new());
  X509_REQ_set_version(req.get(), 0);
  X509_NAME* name = X509_REQ_get_subject_name(req.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(options.common_name.c_str()),
                             -1, -1, 0);
  X509_REQ_set_pubkey(req.get(), key);
  ossl::X509ExtStack exts(sk_X509_EXTENSION_new_null());
  auto add = [&](int nid, const std::string& value) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, nullptr, nid, value.c_str());
    if (ext == nullptr) throw std::runtime_error("bad test extension");
    sk_X509_EXTENSION_push(exts.get(), ext);
  };
  if (!options.dns_names.empty()) {
    std::string san;
    for (const std::string& n : options.dns_names) san += (san.empty() ? "DNS:" : ",DNS:") + n;
    add(NID_subject_alt_name, san);
  }
  if (options.request_ca) add(NID_basic_constraints, "critical,CA:TRUE");
  if (sk_X509_EXTENSION_num(exts.get()) > 0) X509_REQ_add_extensions(req.get(), exts.get());
  const EVP_MD* md = options.digest != nullptr ? EVP_get_digestbyname(options.digest) : nullptr;
  if (X509_REQ_sign(req.get(), key, md) <= 0) throw std::runtime_error("cannot sign test CSR");
  return req;
}

}  // namespace

ossl::Pkey MakeEcKey(const char* curve) {
  return ossl::Pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", curve));
}

ossl::Pkey MakeRsaKey(int bits) {
  return ossl::Pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(bits)));
}

ossl::Pkey MakeEd25519Key() { return ossl::Pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519")); }

std::string MakeCsrPem(EVP_PKEY* key, const CsrOptions& options) {
  ossl::X509Req req = BuildCsr(key, options);
  ossl::Bio bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509_REQ(bio.get(), req.get());
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(len));
}

std::string MakeCsrDer(EVP_PKEY* key, const CsrOptions& options) {
  ossl::X509Req req = BuildCsr(key, options);
  unsigned char* der = nullptr;
  int len = i2d_X509_REQ(req.get(), &der);
  std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(len));
  OPENSSL_free(der);
  return out;
}

std::string PrivateKeyPem(EVP_PKEY* key) {
  ossl::Bio bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(len));
}

}  // namespace homeca::testing
