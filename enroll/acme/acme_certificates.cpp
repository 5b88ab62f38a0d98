// AcmeService: certificate download (RFC 8555 section 7.4.2, POST-as-GET,
// application/pem-certificate-chain) and revocation (section 7.6), signed
// either by an account of the certificate's device or by the certificate's
// own key.
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "ca/base/openssl_error.h"
#include "ca/x509/certificate.h"
#include "enroll/acme/acme_service_impl.h"
#include "enroll/acme/json_strict.h"

namespace homeca::enroll::acme {
namespace {

// An account may touch a certificate that one of its pairing's accounts
// ordered.
Status CheckOwner(ca::AcmeRecords& records, const ca::AcmeAccount& account,
                  const std::string& serial) {
  Result<ca::AcmeOrder> order = records.FindOrderByCertificate(serial);
  if (order.ok() && order->account_id != account.id) {
    Result<ca::AcmeAccount> owner = records.FindAccount(order->account_id);
    if (owner.ok() && owner->pairing_id == account.pairing_id) return Status::Ok();
  }
  if (order.ok() && order->account_id == account.id) return Status::Ok();
  if (!order.ok() && !order.status().IsNotFound()) return order.status();
  return AcmeError(ProblemType::kUnauthorized,
                   "this certificate was not issued to this account's device");
}

Result<ca::RevocationReason> Reason(const Poco::JSON::Object& payload) {
  if (!payload.has("reason")) return ca::RevocationReason::kUnspecified;
  const Poco::Dynamic::Var value = payload.get("reason");
  if (!value.isInteger()) return AcmeError(ProblemType::kMalformed, "\"reason\" is an integer");
  switch (value.convert<int>()) {
    case 0:
      return ca::RevocationReason::kUnspecified;
    case 1:
      return ca::RevocationReason::kKeyCompromise;
    case 3:
      return ca::RevocationReason::kAffiliationChanged;
    case 4:
      return ca::RevocationReason::kSuperseded;
    case 5:
      return ca::RevocationReason::kCessationOfOperation;
    default:
      return AcmeError(ProblemType::kBadRevocationReason,
                       "reasons accepted: 0, 1, 3, 4 and 5 (RFC 5280 section 5.3.1)");
  }
}

}  // namespace

AcmeHttpResponse AcmeService::Impl::Certificate(const AcmeHttpRequest& request,
                                                const AcmeUrls& urls, const std::string& serial) {
  Result<AccountRequest> checked = VerifyAccount(request, urls);
  if (!checked.ok()) return ProblemAnswer(checked.status());
  const VerifiedRequest* verified = &checked->verified;
  const Requester* requester = &checked->requester;
  if (!verified->post_as_get()) {
    return ProblemAnswer(
        AcmeError(ProblemType::kMalformed, "a certificate is fetched with POST-as-GET"));
  }
  Status owner = CheckOwner(records(), requester->account, serial);
  if (!owner.ok()) return ProblemAnswer(owner);
  Result<ca::CertificateRecord> record = authority.certificates().FindBySerial(serial);
  if (!record.ok()) return ProblemAnswer(record.status());
  AcmeHttpResponse answer;
  answer.status = 200;
  answer.content_type = "application/pem-certificate-chain";
  answer.body = ca::CertificatePem(record->der) + authority.intermediate().Pem();
  return answer;
}

AcmeHttpResponse AcmeService::Impl::RevokeCert(const AcmeHttpRequest& request,
                                               const AcmeUrls& urls) {
  Result<VerifiedRequest> verified = Verify(request, urls, KeyReference::kJwkOrKid);
  if (!verified.ok()) return ProblemAnswer(verified.status());
  Result<Poco::JSON::Object::Ptr> payload = PayloadObject(*verified);
  if (!payload.ok()) return ProblemAnswer(payload.status());
  Result<std::string> cert_text = RequiredString(**payload, "certificate", "revokeCert");
  if (!cert_text.ok()) return ProblemAnswer(cert_text.status());
  Result<ca::RevocationReason> reason = Reason(**payload);
  if (!reason.ok()) return ProblemAnswer(reason.status());
  std::optional<Bytes> der = Base64UrlDecode(*cert_text);
  Result<ca::Certificate> cert =
      der ? ca::Certificate::FromDer(*der) : Result<ca::Certificate>(Status::InvalidArgument(""));
  if (!cert.ok()) {
    return ProblemAnswer(
        AcmeError(ProblemType::kMalformed, "\"certificate\" is not base64url DER"));
  }
  const std::string serial = cert->SerialHex();
  Result<ca::CertificateRecord> record = authority.certificates().FindBySerial(serial);
  if (!record.ok() || record->der != *der) {
    return ProblemAnswer(
        AcmeError(ProblemType::kMalformed, "this CA did not issue that certificate", {}, 404));
  }
  std::string actor;
  if (!verified->kid.empty()) {
    Result<Requester> requester = AccountOf(*verified, urls);
    if (!requester.ok()) return ProblemAnswer(requester.status());
    Status owner = CheckOwner(records(), requester->account, serial);
    if (!owner.ok()) return ProblemAnswer(owner);
    actor = AccountActor(requester->account.id);
  } else {
    // Signed with the certificate's own key: possession of it is the right
    // to revoke (RFC 8555 section 7.6), whoever the certificate was for.
    EVP_PKEY* cert_key = X509_get0_pubkey(cert->native());
    const bool same = cert_key != nullptr && EVP_PKEY_eq(cert_key, verified->key.pkey()) == 1;
    ossl::ClearErrors();
    if (!same) {
      return ProblemAnswer(
          AcmeError(ProblemType::kUnauthorized, "the JWS key is not the certificate's key"));
    }
    actor = "acme:certificate-key";
  }
  if (record->revocation) {
    return ProblemAnswer(AcmeError(ProblemType::kAlreadyRevoked, "already revoked"));
  }
  Status revoked = authority.Revoke(serial, *reason, actor);
  if (revoked.IsAlreadyExists()) {
    return ProblemAnswer(AcmeError(ProblemType::kAlreadyRevoked, "already revoked"));
  }
  if (!revoked.ok() && !revoked.IsNotFound()) {
    // Durable but the CRL failed: the revocation stands; the log says why.
    Result<ca::CertificateRecord> now = authority.certificates().FindBySerial(serial);
    if (!now.ok() || !now->revocation) return ProblemAnswer(revoked);
  }
  AuditAfter(ca::AuditEntry{
      0, Now(), actor, "acme-revoke",
      "serial " + serial + " revoked through ACME, reason " + ca::ToString(*reason)});
  return AcmeHttpResponse{200, {}, {}, {}, {}};
}

}  // namespace homeca::enroll::acme
