// CertificateRequest::RequestedNames and CheckCsrAsksOnlyFor (ca/csr.h).
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cctype>

#include "ca/base/openssl_error.h"
#include "ca/base/openssl_handles.h"
#include "ca/csr.h"

namespace homeca::ca {
namespace {

std::string AsText(const ASN1_STRING* s) {
  return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                     static_cast<std::size_t>(ASN1_STRING_length(s)));
}

// A DNS name as the name policy normalizes it: lower case, no trailing dot.
std::string NormalizeDns(std::string name) {
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (!name.empty() && name.back() == '.') name.pop_back();
  return name;
}

// "IP Address:10.0.0.5", "email:a@b", "URI:...", as OpenSSL prints them.
std::string Describe(GENERAL_NAME* name) {
  ossl::Bio bio(BIO_new(BIO_s_mem()));
  if (!bio || GENERAL_NAME_print(bio.get(), name) != 1) return "a subjectAltName of another kind";
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(len));
}

// An empty commonName (some "create CSR" screens leave one) asks for nothing.
void AddOnce(std::vector<std::string>& out, std::string name) {
  if (!name.empty() && std::find(out.begin(), out.end(), name) == out.end())
    out.push_back(std::move(name));
}

}  // namespace

std::vector<std::string> CertificateRequest::RequestedNames() const {
  std::vector<std::string> out;
  const X509_NAME* subject = X509_REQ_get_subject_name(req_.get());
  for (int i = X509_NAME_get_index_by_NID(subject, NID_commonName, -1); i >= 0;
       i = X509_NAME_get_index_by_NID(subject, NID_commonName, i)) {
    AddOnce(out, NormalizeDns(AsText(X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, i)))));
  }
  ossl::X509ExtStack extensions(X509_REQ_get_extensions(req_.get()));
  const int at =
      extensions ? X509v3_get_ext_by_NID(extensions.get(), NID_subject_alt_name, -1) : -1;
  if (at >= 0) {
    ossl::GeneralNames sans(
        static_cast<GENERAL_NAMES*>(X509V3_EXT_d2i(X509v3_get_ext(extensions.get(), at))));
    if (!sans) AddOnce(out, "a subjectAltName that does not parse");
    for (int i = 0; sans && i < sk_GENERAL_NAME_num(sans.get()); ++i) {
      GENERAL_NAME* san = sk_GENERAL_NAME_value(sans.get(), i);
      AddOnce(out, san->type == GEN_DNS ? NormalizeDns(AsText(san->d.dNSName)) : Describe(san));
    }
  }
  ossl::ClearErrors();
  return out;
}

Status CheckCsrAsksOnlyFor(const CertificateRequest& csr, const std::vector<std::string>& names) {
  for (const std::string& asked : csr.RequestedNames()) {
    if (std::find(names.begin(), names.end(), asked) != names.end()) continue;
    std::string allowed;
    for (std::size_t i = 0; i < names.size(); ++i) {
      allowed += (i == 0 ? "" : i + 1 == names.size() ? " and " : ", ") + names[i];
    }
    // Long or hostile text from the CSR is cut short; the page escapes it.
    const std::string shown = asked.size() > 80 ? asked.substr(0, 77) + "..." : asked;
    return Status::PolicyViolation(
        "the CSR asks for '" + shown + "', but this device's names are " + allowed +
        ". homeca decides the names: make the CSR again with Common Name " +
        (names.empty() ? std::string("empty") : names.front()) +
        " (or with no names at all); nothing was issued");
  }
  return Status::Ok();
}

}  // namespace homeca::ca
