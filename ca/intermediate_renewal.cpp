#include "ca/intermediate_renewal.h"

#include <openssl/err.h>
#include <openssl/x509.h>

#include <algorithm>

#include "ca/base/file_util.h"
#include "ca/hierarchy.h"

namespace homeca::ca {
namespace {

std::string SubjectField(const Certificate& cert, int nid) {
  const X509_NAME* name = X509_get_subject_name(cert.native());
  const int index = X509_NAME_get_index_by_NID(name, nid, -1);
  if (index < 0) return {};
  const ASN1_STRING* value = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index));
  unsigned char* utf8 = nullptr;
  const int len = ASN1_STRING_to_UTF8(&utf8, value);
  if (len < 0) return {};
  std::string text(reinterpret_cast<char*>(utf8), static_cast<std::size_t>(len));
  OPENSSL_free(utf8);
  return text;
}

}  // namespace

Result<Certificate> RenewIntermediate(Authority& authority, const PrivateKey& root_key, int days,
                                      const std::string& actor) {
  const Certificate& root = authority.root();
  if (X509_check_private_key(root.native(), root_key.native()) != 1) {
    ERR_clear_error();
    return Status::PolicyViolation("that key is not this CA's root key");
  }
  const std::int64_t now = authority.clock().Now();
  constexpr std::int64_t kDay = 24 * 3600;
  if (days < 1 || now + kDay > root.NotAfter()) {
    return Status::InvalidArgument(
        "the intermediate lifetime must be at least 1 day, within the "
        "root's lifetime");
  }
  auto key_pem = ReadFile(authority.data_dir().intermediate_key(), 64 * 1024);
  if (!key_pem.ok()) return key_pem.status();
  auto intermediate_key = PrivateKey::FromPem(*key_pem);
  Cleanse(*key_pem);
  if (!intermediate_key.ok()) return intermediate_key.status();
  const Certificate& current = authority.intermediate();
  const CaSubject subject{SubjectField(current, NID_organizationName), current.SubjectCommonName()};
  const Validity validity{now - kCaBackdateSeconds, std::min(now + days * kDay, root.NotAfter())};
  auto renewed = CreateIntermediateCertificate(*intermediate_key, subject, validity,
                                               authority.policy(), root, root_key);
  if (!renewed.ok()) return renewed.status();
  HOMECA_RETURN_IF_ERROR(
      WriteFileAtomic(authority.data_dir().intermediate_cert(), renewed->Pem(), 0644));
  HOMECA_RETURN_IF_ERROR(authority.audit_log().AppendAudit(
      AuditEntry{0, now, actor, "intermediate-renew",
                 "intermediate " + subject.common_name + " re-certified (same key) until " +
                     FormatTime(renewed->NotAfter())}));
  return renewed;
}

}  // namespace homeca::ca
