#include "ca/hierarchy.h"

#include <openssl/x509v3.h>

#include <algorithm>

#include "ca/base/openssl_handles.h"
#include "ca/cert_builder.h"

namespace homeca::ca {
namespace {

Status AddCaExtensions(CertBuilder& builder, const char* basic_constraints,
                       const NamePolicy& policy) {
  HOMECA_RETURN_IF_ERROR(builder.AddExtension(NID_basic_constraints, basic_constraints));
  HOMECA_RETURN_IF_ERROR(builder.AddExtension(NID_key_usage, "critical,keyCertSign,cRLSign"));
  // TLS only. Verifiers that nest extendedKeyUsage down the chain (OpenSSL
  // with a purpose, NSS, Chromium, Apple, Windows) then refuse an S/MIME or
  // code-signing leaf from these keys. Not critical, as the CA/B Forum
  // Baseline Requirements (2.0, sections 7.1.2.5.1 and 7.1.2.10.6) require of a
  // technically constrained TLS intermediate, so verifiers that do not know
  // the nesting rule still accept the chain. The BRs forbid an EKU on a
  // publicly trusted root (section 7.1.2.1.2); this root is private and its EKU is
  // what keeps a new intermediate from a leaked root key TLS-only too.
  HOMECA_RETURN_IF_ERROR(builder.AddExtension(NID_ext_key_usage, "serverAuth,clientAuth"));
  // SKI before AKI: for the self-signed root OpenSSL takes the AKI from it.
  HOMECA_RETURN_IF_ERROR(builder.AddExtension(NID_subject_key_identifier, "hash"));
  HOMECA_RETURN_IF_ERROR(builder.AddExtension(NID_authority_key_identifier, "keyid:always"));
  // No directoryName subtree, although the BRs ask one of a publicly trusted
  // constrained intermediate (7.1.2.5.2): Go's crypto/x509 (lego, Caddy,
  // Traefik and every Go program in the house) and pyca/cryptography's
  // verifier refuse a critical nameConstraints holding one ("unhandled
  // critical extension"), and it guarded only the subject's O, which no
  // browser shows. The DNS, IP, e-mail and URI subtrees are all Go handles.
  return builder.AddNameConstraints(NameConstraintsConfig(policy));
}

// The O names the household's CA in every subject below it (a leaf copies
// it), which is how people tell two homeca CAs apart in a certificate viewer.
Status CheckSubject(const CaSubject& subject) {
  if (subject.organization.empty()) {
    return Status::InvalidArgument("a CA certificate needs an organization name");
  }
  return Status::Ok();
}

}  // namespace

Result<Certificate> CreateRootCertificate(const PrivateKey& root_key, const CaSubject& subject,
                                          const Validity& validity, const NamePolicy& policy) {
  HOMECA_RETURN_IF_ERROR(CheckSubject(subject));
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
                                                  const NamePolicy& policy, const Certificate& root,
                                                  const PrivateKey& root_key) {
  HOMECA_RETURN_IF_ERROR(CheckSubject(subject));
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

bool HasDirectoryNameConstraint(const Certificate& ca) {
  ossl::NameConstraints nc(static_cast<NAME_CONSTRAINTS*>(
      X509_get_ext_d2i(ca.native(), NID_name_constraints, nullptr, nullptr)));
  if (!nc) return false;
  for (STACK_OF(GENERAL_SUBTREE) * subtrees : {nc->permittedSubtrees, nc->excludedSubtrees}) {
    for (int i = 0; i < sk_GENERAL_SUBTREE_num(subtrees); ++i) {
      if (sk_GENERAL_SUBTREE_value(subtrees, i)->base->type == GEN_DIRNAME) return true;
    }
  }
  return false;
}

}  // namespace homeca::ca
