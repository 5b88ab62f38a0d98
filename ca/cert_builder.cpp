#include "ca/cert_builder.h"

#include <openssl/x509v3.h>

#include <algorithm>
#include <cctype>

#include "ca/base/openssl_error.h"
#include "ca/base/unix_time.h"

namespace homeca::ca {

Bytes NewSerial() {
  Bytes serial = RandomBytes(16);
  // A zero serial is invalid (RFC 5280 section 4.1.2.2); at 2^-128 odds it
  // still costs nothing to rule out.
  if (std::all_of(serial.begin(), serial.end(), [](std::uint8_t b) { return b == 0; })) {
    serial.back() = 1;
  }
  return serial;
}

Result<std::string> NormalizeSerial(std::string_view text) {
  std::string hex;
  if (text.substr(0, 2) == "0x" || text.substr(0, 2) == "0X") text.remove_prefix(2);
  for (char c : text) {
    if (c == ':' || c == ' ') continue;
    if (!std::isxdigit(static_cast<unsigned char>(c)) || hex.size() >= 64) {
      return Status::InvalidArgument("'" + std::string(text.substr(0, 80)) +
                                     "' is not a serial number (hex digits)");
    }
    hex.push_back(c);
  }
  if (hex.empty()) return Status::InvalidArgument("serial number is empty");
  BIGNUM* raw = nullptr;
  if (BN_hex2bn(&raw, hex.c_str()) == 0) return ossl::CryptoError("cannot parse serial number");
  ossl::Bn bn(raw);
  ossl::OpenSslString out(BN_bn2hex(bn.get()));
  std::string normalized(out.get());
  for (char& c : normalized) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return normalized;
}

CertBuilder::CertBuilder() : cert_(X509_new()) {
  if (cert_) X509_set_version(cert_.get(), X509_VERSION_3);
}

Status CertBuilder::SetSerial(const Bytes& serial) {
  ossl::Bn bn(BN_bin2bn(serial.data(), static_cast<int>(serial.size()), nullptr));
  ossl::Asn1Integer integer(bn ? BN_to_ASN1_INTEGER(bn.get(), nullptr) : nullptr);
  if (!integer || X509_set_serialNumber(cert_.get(), integer.get()) != 1) {
    return ossl::CryptoError("cannot set the serial number");
  }
  return Status::Ok();
}

namespace {

// Appends field=value (UTF8String) to `name`; an empty value adds nothing.
bool AddNameEntry(X509_NAME* name, const char* field, const std::string& value) {
  return value.empty() ||
         X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
                                    reinterpret_cast<const unsigned char*>(value.data()),
                                    static_cast<int>(value.size()), -1, 0) == 1;
}

}  // namespace

Status CertBuilder::SetSubject(const std::string& organization, const std::string& common_name) {
  ossl::X509Name name(X509_NAME_new());
  if (!name || !AddNameEntry(name.get(), "O", organization) ||
      !AddNameEntry(name.get(), "CN", common_name) ||
      X509_set_subject_name(cert_.get(), name.get()) != 1) {
    return ossl::CryptoError("cannot set the subject name (too long?)");
  }
  return Status::Ok();
}

Status CertBuilder::SetSubjectUnder(const Certificate& ca, const std::string& common_name) {
  ossl::X509Name name(X509_NAME_new());
  if (!name) return ossl::CryptoError("out of memory");
  const X509_NAME* ca_subject = X509_get_subject_name(ca.native());
  const int o = X509_NAME_get_index_by_NID(ca_subject, NID_organizationName, -1);
  if (o >= 0 && X509_NAME_add_entry(name.get(), X509_NAME_get_entry(ca_subject, o), -1, 0) != 1) {
    return ossl::CryptoError("cannot copy the CA's organization");
  }
  if (!AddNameEntry(name.get(), "CN", common_name) ||
      X509_set_subject_name(cert_.get(), name.get()) != 1) {
    return ossl::CryptoError("cannot set the subject name (too long?)");
  }
  return Status::Ok();
}

void CertBuilder::SetValidity(std::int64_t not_before, std::int64_t not_after) {
  // Not ASN1_TIME_set: it takes a time_t, 32 bits on armhf (see unix_time.h).
  SetAsn1Time(X509_getm_notBefore(cert_.get()), not_before);
  SetAsn1Time(X509_getm_notAfter(cert_.get()), not_after);
}

Status CertBuilder::SetPublicKey(EVP_PKEY* key) {
  if (X509_set_pubkey(cert_.get(), key) != 1) return ossl::CryptoError("cannot set the public key");
  return Status::Ok();
}

Status CertBuilder::CopyPublicKey(const X509_PUBKEY* source) {
  const unsigned char* encoded = nullptr;
  int encoded_len = 0;
  X509_ALGOR* algorithm = nullptr;
  if (X509_PUBKEY_get0_param(nullptr, &encoded, &encoded_len, &algorithm, source) != 1) {
    return ossl::CryptoError("cannot read the public key");
  }
  const ASN1_OBJECT* oid = nullptr;
  int param_type = V_ASN1_UNDEF;
  const void* param = nullptr;
  X509_ALGOR_get0(&oid, &param_type, &param, algorithm);
  // Only the parameter forms our allowed keys use: a named curve OID (EC) or
  // NULL/absent (RSA).
  void* param_copy = nullptr;
  if (param_type == V_ASN1_OBJECT) {
    param_copy = OBJ_dup(static_cast<const ASN1_OBJECT*>(param));
  } else if (param_type != V_ASN1_NULL && param_type != V_ASN1_UNDEF) {
    return Status::PolicyViolation("unsupported public key parameters");
  }
  auto* key_copy =
      static_cast<unsigned char*>(OPENSSL_memdup(encoded, static_cast<size_t>(encoded_len)));
  ASN1_OBJECT* oid_copy = OBJ_dup(oid);
  if (key_copy == nullptr || oid_copy == nullptr ||
      (param_type == V_ASN1_OBJECT && param_copy == nullptr) ||
      X509_PUBKEY_set0_param(X509_get_X509_PUBKEY(cert_.get()), oid_copy, param_type, param_copy,
                             key_copy, encoded_len) != 1) {
    OPENSSL_free(key_copy);
    ASN1_OBJECT_free(oid_copy);
    ASN1_OBJECT_free(static_cast<ASN1_OBJECT*>(param_copy));
    return ossl::CryptoError("cannot copy the public key");
  }
  return Status::Ok();
}

Status CertBuilder::SetIssuer(const Certificate& issuer) {
  issuer_ = issuer.native();
  if (X509_set_issuer_name(cert_.get(), X509_get_subject_name(issuer_)) != 1) {
    return ossl::CryptoError("cannot set the issuer name");
  }
  return Status::Ok();
}

Status CertBuilder::AddExtension(int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer_ != nullptr ? issuer_ : cert_.get(), cert_.get(), nullptr, nullptr,
                 0);
  ossl::X509Ext ext(X509V3_EXT_nconf_nid(nullptr, &ctx, nid, value.c_str()));
  if (!ext || X509_add_ext(cert_.get(), ext.get(), -1) != 1) {
    return ossl::CryptoError(std::string("cannot add extension ") + OBJ_nid2sn(nid));
  }
  return Status::Ok();
}

Status CertBuilder::AddSubjectAltNames(const std::vector<CheckedName>& names, bool critical) {
  ossl::GeneralNames san(GENERAL_NAMES_new());
  if (!san) return ossl::CryptoError("out of memory");
  for (const CheckedName& n : names) {
    GENERAL_NAME* gn = GENERAL_NAME_new();
    if (gn == nullptr) return ossl::CryptoError("out of memory");
    bool ok;
    if (n.kind == CheckedName::Kind::kIp) {
      ASN1_OCTET_STRING* ip = ASN1_OCTET_STRING_new();
      ok = ip != nullptr && ASN1_OCTET_STRING_set(ip, n.ip.data(), static_cast<int>(n.ip.size()));
      GENERAL_NAME_set0_value(gn, GEN_IPADD, ip);
    } else {
      ASN1_IA5STRING* dns = ASN1_IA5STRING_new();
      ok = dns != nullptr && ASN1_STRING_set(dns, n.text.data(), static_cast<int>(n.text.size()));
      GENERAL_NAME_set0_value(gn, GEN_DNS, dns);
    }
    if (!ok || sk_GENERAL_NAME_push(san.get(), gn) == 0) {
      GENERAL_NAME_free(gn);
      return ossl::CryptoError("cannot build subjectAltName");
    }
  }
  if (X509_add1_ext_i2d(cert_.get(), NID_subject_alt_name, san.get(), critical ? 1 : 0,
                        X509V3_ADD_DEFAULT) != 1) {
    return ossl::CryptoError("cannot add subjectAltName");
  }
  return Status::Ok();
}

Status CertBuilder::AddNameConstraints(const std::string& config) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer_ != nullptr ? issuer_ : cert_.get(), cert_.get(), nullptr, nullptr,
                 0);
  ossl::X509Ext parsed(X509V3_EXT_nconf_nid(nullptr, &ctx, NID_name_constraints, config.c_str()));
  if (!parsed) return ossl::CryptoError("cannot build nameConstraints");
  ossl::NameConstraints nc(static_cast<NAME_CONSTRAINTS*>(X509V3_EXT_d2i(parsed.get())));
  if (!nc) return ossl::CryptoError("cannot read back nameConstraints");
  if (X509_add1_ext_i2d(cert_.get(), NID_name_constraints, nc.get(), 1, X509V3_ADD_DEFAULT) != 1) {
    return ossl::CryptoError("cannot add nameConstraints");
  }
  return Status::Ok();
}

Result<Certificate> CertBuilder::Sign(const PrivateKey& signer) {
  if (issuer_ == nullptr &&
      X509_set_issuer_name(cert_.get(), X509_get_subject_name(cert_.get())) != 1) {
    return ossl::CryptoError("cannot set the issuer name");
  }
  const EVP_MD* md = signer.Description() == "EC P-384" ? EVP_sha384() : EVP_sha256();
  if (X509_sign(cert_.get(), signer.native(), md) <= 0) {
    return ossl::CryptoError("cannot sign the certificate");
  }
  return Certificate::Adopt(cert_.release());
}

}  // namespace homeca::ca
