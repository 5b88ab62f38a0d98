#include "ca/x509/certificate.h"

#include <arpa/inet.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <openssl/x509v3.h>

#include <cctype>
#include <ctime>

#include "ca/base/openssl_error.h"
#include "ca/base/openssl_handles.h"
#include "ca/base/unix_time.h"
#include "ca/x509/key.h"

namespace homeca::ca {
namespace {

std::string NameText(const X509_NAME* name) {
  ossl::Bio bio(BIO_new(BIO_s_mem()));
  if (!bio || X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) < 0) {
    return {};
  }
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(len));
}

// Text form of an iPAddress GeneralName (4 or 16 octets); "" otherwise.
std::string IpAddressText(const ASN1_OCTET_STRING* ip) {
  const int len = ASN1_STRING_length(ip);
  const int family = len == 4 ? AF_INET : len == 16 ? AF_INET6 : -1;
  char buf[INET6_ADDRSTRLEN] = {};
  if (family < 0 || inet_ntop(family, ASN1_STRING_get0_data(ip), buf, sizeof buf) == nullptr) {
    return {};
  }
  return buf;
}

}  // namespace

void Certificate::Free::operator()(X509* c) const { X509_free(c); }

Result<Certificate> Certificate::Adopt(X509* cert) {
  std::shared_ptr<X509> owned(cert, Free());
  unsigned char* der = nullptr;
  int len = i2d_X509(cert, &der);
  if (len <= 0) return ossl::CryptoError("cannot encode the certificate");
  ossl::OpenSslBytes der_owner(der);
  return Certificate(std::move(owned), Bytes(der, der + len));
}

Result<Certificate> Certificate::FromDer(const Bytes& der) {
  const unsigned char* p = der.data();
  X509* cert = d2i_X509(nullptr, &p, static_cast<long>(der.size()));
  if (cert == nullptr || p != der.data() + der.size()) {
    X509_free(cert);
    return Status::InvalidArgument("not a DER certificate", ossl::DrainErrors());
  }
  return Adopt(cert);
}

Result<Certificate> Certificate::FromPem(std::string_view pem) {
  ossl::Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  X509* cert = bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr;
  if (cert == nullptr) return Status::InvalidArgument("not a PEM certificate", ossl::DrainErrors());
  return Adopt(cert);
}

std::string Certificate::Pem() const { return CertificatePem(der_); }

std::string Certificate::SerialHex() const {
  ossl::Bn bn(ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert_.get()), nullptr));
  if (!bn) return {};
  ossl::OpenSslString hex(BN_bn2hex(bn.get()));
  std::string out(hex.get());
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string Certificate::SubjectCommonName() const {
  const X509_NAME* subject = X509_get_subject_name(cert_.get());
  int index = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
  if (index < 0) return {};
  const ASN1_STRING* value = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, index));
  unsigned char* utf8 = nullptr;
  int len = ASN1_STRING_to_UTF8(&utf8, value);
  if (len < 0) return {};
  ossl::OpenSslBytes owned(utf8);
  return std::string(reinterpret_cast<char*>(utf8), static_cast<std::size_t>(len));
}

std::string Certificate::SubjectText() const {
  return NameText(X509_get_subject_name(cert_.get()));
}
std::string Certificate::IssuerText() const { return NameText(X509_get_issuer_name(cert_.get())); }
std::int64_t Certificate::NotBefore() const {
  return UnixFromAsn1Time(X509_get0_notBefore(cert_.get()));
}
std::int64_t Certificate::NotAfter() const {
  return UnixFromAsn1Time(X509_get0_notAfter(cert_.get()));
}

std::vector<std::string> Certificate::SubjectAltNames() const {
  std::vector<std::string> out;
  ossl::GeneralNames names(static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(cert_.get(), NID_subject_alt_name, nullptr, nullptr)));
  if (!names) return out;
  for (int i = 0; i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names.get(), i);
    if (name->type == GEN_DNS) {
      const ASN1_IA5STRING* dns = name->d.dNSName;
      out.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(dns)),
                       static_cast<std::size_t>(ASN1_STRING_length(dns)));
    } else if (name->type == GEN_IPADD) {
      std::string text = IpAddressText(name->d.iPAddress);
      if (!text.empty()) out.push_back(std::move(text));
    }
  }
  return out;
}

Bytes Certificate::FingerprintSha256() const {
  Bytes digest(SHA256_DIGEST_LENGTH);
  SHA256(der_.data(), der_.size(), digest.data());
  return digest;
}

std::string Certificate::KeyDescription() const {
  const EVP_PKEY* key = X509_get0_pubkey(cert_.get());
  if (key == nullptr) ossl::ClearErrors();  // freshly signed leaves carry no decoded key
  return DescribeKey(key);
}

std::string CertificatePem(const Bytes& der) {
  ossl::Bio bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio(bio.get(), PEM_STRING_X509, "", der.data(),
                            static_cast<long>(der.size())) <= 0) {
    return {};
  }
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(len));
}

std::string ChainPem(const std::vector<Certificate>& chain) {
  std::string out;
  for (const Certificate& c : chain) out += c.Pem();
  return out;
}

}  // namespace homeca::ca
