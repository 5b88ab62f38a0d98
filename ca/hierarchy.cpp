#include "ca/hierarchy.h"

#include <openssl/x509v3.h>

#include <algorithm>

#include "ca/cert_builder.h"

namespace homeca::ca {
namespace {

Status AddCaExtensions(CertBuilder& builder, const char* basic_constraints,
                       const NamePolicy& policy) {
  HOMECA_RETURN_IF_ERROR(builder.AddExtension(NID_basic_constraints, basic_constraints));
  HOMECA_RETURN_IF_ERROR(builder.AddExtension(NID_key_usage, "critical,keyCertSign,cRLSign"));
  // SKI before AKI: for the self-signed root OpenSSL takes the AKI from it.
  HOMECA_RETURN_IF_ERROR(builder.AddExtension(NID_subject_key_identifier, "hash"));
  HOMECA_RETURN_IF_ERROR(builder.AddExtension(NID_authority_key_identifier, "keyid:always"));
  return builder.AddExtension(NID_name_constraints, NameConstraintsConfig(policy));
}

}  // namespace

Result<Certificate> CreateRootCertificate(const PrivateKey& root_key, const CaSubject& subject,
                                          const Validity& validity, const NamePolicy& policy) {
  CertBuilder builder;
  HOMECA_RETURN_IF_ERROR(builder.SetSerial(NewSerial()));
  HOMECA_RETURN_IF_ERROR(builder.SetSubject(subject.organization, subject.common_name));
  builder.SetValidity(validity.not_before, validity.not_after);
  HOMECA_RETURN_IF_ERROR(builder.SetPublicKey(root_key.native()));
  HOMECA_RETURN_IF_ERROR(AddCaExtensions(builder, "critical,CA:TRUE", policy));
  return builder.Sign(root_key);
}

Result<Certificate> CreateIntermediateCertificate(const PrivateKey& intermediate_key,
                                                  const CaSubject& subject,
                                                  const Validity& validity,
                                                  const NamePolicy& policy,
                                                  const Certificate& root,
                                                  const PrivateKey& root_key) {
  CertBuilder builder;
  HOMECA_RETURN_IF_ERROR(builder.SetSerial(NewSerial()));
  HOMECA_RETURN_IF_ERROR(builder.SetSubject(subject.organization, subject.common_name));
  // An intermediate may not outlive the root that vouches for it.
  builder.SetValidity(validity.not_before, std::min(validity.not_after, root.NotAfter()));
  HOMECA_RETURN_IF_ERROR(builder.SetPublicKey(intermediate_key.native()));
  HOMECA_RETURN_IF_ERROR(builder.SetIssuer(root));
  HOMECA_RETURN_IF_ERROR(AddCaExtensions(builder, "critical,CA:TRUE,pathlen:0", policy));
  return builder.Sign(root_key);
}

}  // namespace homeca::ca
