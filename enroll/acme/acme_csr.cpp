#include "enroll/acme/acme_csr.h"

#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cctype>

#include "ca/base/openssl_error.h"
#include "ca/base/openssl_handles.h"
#include "enroll/acme/problem.h"

namespace homeca::enroll::acme {
namespace {

void Add(std::vector<std::string>& out, std::string name) {
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(std::move(name));
}

std::string Text(const ASN1_STRING* s) {
  return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                     static_cast<std::size_t>(ASN1_STRING_length(s)));
}

}  // namespace

Result<std::vector<std::string>> CsrIdentifiers(const Bytes& der) {
  const unsigned char* p = der.data();
  ossl::X509Req req(d2i_X509_REQ(nullptr, &p, static_cast<long>(der.size())));
  if (!req || p != der.data() + der.size()) {
    ossl::ClearErrors();
    return AcmeError(ProblemType::kBadCsr, "the CSR is not one DER PKCS#10 request");
  }
  std::vector<std::string> out;
  const X509_NAME* subject = X509_REQ_get_subject_name(req.get());
  for (int i = X509_NAME_get_index_by_NID(subject, NID_commonName, -1); i >= 0;
       i = X509_NAME_get_index_by_NID(subject, NID_commonName, i)) {
    Add(out, Text(X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, i))));
  }
  ossl::X509ExtStack extensions(X509_REQ_get_extensions(req.get()));
  if (extensions) {
    const int index = X509v3_get_ext_by_NID(extensions.get(), NID_subject_alt_name, -1);
    if (index >= 0) {
      ossl::GeneralNames names(
          static_cast<GENERAL_NAMES*>(X509V3_EXT_d2i(X509v3_get_ext(extensions.get(), index))));
      if (!names) {
        ossl::ClearErrors();
        return AcmeError(ProblemType::kBadCsr, "the CSR's subjectAltName does not parse");
      }
      for (int i = 0; i < sk_GENERAL_NAME_num(names.get()); ++i) {
        const GENERAL_NAME* name = sk_GENERAL_NAME_value(names.get(), i);
        if (name->type == GEN_DNS) {
          Add(out, Text(name->d.dNSName));
        } else {
          Add(out, "other:" + std::to_string(name->type));
        }
      }
    }
  }
  ossl::ClearErrors();
  return out;
}

}  // namespace homeca::enroll::acme
