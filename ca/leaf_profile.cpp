#include "ca/leaf_profile.h"

#include <openssl/x509v3.h>

#include <algorithm>

#include "ca/cert_builder.h"

namespace homeca::ca {

Result<Certificate> SignLeaf(const CertificateRequest& csr, const LeafSpec& spec,
                             const Certificate& issuer, const PrivateKey& issuer_key) {
  if (spec.names.empty()) return Status::InvalidArgument("a certificate needs at least one name");
  // Browsers ignore the CN, but tools still show it; never an IP address.
  auto first_dns = std::find_if(spec.names.begin(), spec.names.end(), [](const CheckedName& n) {
    return n.kind == CheckedName::Kind::kDns;
  });
  const std::string common_name = first_dns != spec.names.end() ? first_dns->text : "";

  CertBuilder builder;
  HOMECA_RETURN_IF_ERROR(builder.SetSerial(NewSerial()));
  // O copied from the issuer: the CA certificates permit only subjects under
  // their own O (a directoryName constraint, see NameConstraintsConfig).
  HOMECA_RETURN_IF_ERROR(builder.SetSubjectUnder(issuer, common_name));
  const bool subject_empty =
      common_name.empty() && X509_NAME_get_index_by_NID(X509_get_subject_name(issuer.native()),
                                                        NID_organizationName, -1) < 0;
  builder.SetValidity(spec.validity.not_before, spec.validity.not_after);
  HOMECA_RETURN_IF_ERROR(builder.CopyPublicKey(csr.encoded_public_key()));
  HOMECA_RETURN_IF_ERROR(builder.SetIssuer(issuer));
  HOMECA_RETURN_IF_ERROR(builder.AddExtension(NID_basic_constraints, "critical,CA:FALSE"));
  // Chromium refuses an ECDSA leaf without digitalSignature; RSA key exchange
  // additionally needs keyEncipherment.
  HOMECA_RETURN_IF_ERROR(
      builder.AddExtension(NID_key_usage, csr.IsRsa() ? "critical,digitalSignature,keyEncipherment"
                                                      : "critical,digitalSignature"));
  HOMECA_RETURN_IF_ERROR(builder.AddExtension(NID_ext_key_usage, "serverAuth,clientAuth"));
  HOMECA_RETURN_IF_ERROR(builder.AddExtension(NID_subject_key_identifier, "hash"));
  HOMECA_RETURN_IF_ERROR(builder.AddExtension(NID_authority_key_identifier, "keyid:always"));
  HOMECA_RETURN_IF_ERROR(builder.AddSubjectAltNames(spec.names, subject_empty));
  if (!spec.crl_url.empty()) {
    HOMECA_RETURN_IF_ERROR(
        builder.AddExtension(NID_crl_distribution_points, "URI:" + spec.crl_url));
  }
  return builder.Sign(issuer_key);
}

}  // namespace homeca::ca
