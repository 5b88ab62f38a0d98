// The certificate list, one certificate (details and PEM download), and
// revoking it with a reason and an explicit confirmation.
#include "ca/x509/certificate.h"
#include "webui/admin/admin_request.h"
#include "webui/admin/admin_views.h"

namespace homeca::webui {
namespace {

constexpr std::string_view kPemSuffix = ".pem";

bool LooksLikeSerial(const std::string& text) {
  return !text.empty() && text.size() <= 64 &&
         text.find_first_not_of("0123456789abcdefABCDEF") == std::string::npos;
}

void SendNoSuchCertificate(AdminRequest& r) {
  r.SendMessage(404, "No such certificate", "There is no certificate with this serial number.",
                "/certificates", "Back to certificates");
}

void SendCertificate(AdminRequest& r, const std::string& serial, int status,
                     const std::string& notice, const std::string& error) {
  Result<ca::CertificateRecord> record = r.web.authority().certificates().FindBySerial(serial);
  if (!record.ok()) {
    if (record.status().IsNotFound()) return SendNoSuchCertificate(r);
    return r.SendFailure(record.status());
  }
  pages::CertificateView view = ToCertificateView(*record, r.web.clock().Now());
  view.notice = notice;
  view.error = error;
  r.SendPage(status,
             pages::RenderCertificatePage(r.Frame(record->subject_cn, "certificates"), view));
}

void SendPem(AdminRequest& r, const std::string& serial) {
  Result<ca::CertificateRecord> record = r.web.authority().certificates().FindBySerial(serial);
  if (!record.ok()) {
    if (record.status().IsNotFound()) return SendNoSuchCertificate(r);
    return r.SendFailure(record.status());
  }
  Result<ca::Certificate> cert = ca::Certificate::FromDer(record->der);
  if (!cert.ok()) return r.SendFailure(cert.status());
  r.http.response().set("Content-Disposition",
                        "attachment; filename=\"" + record->serial_hex + ".pem\"");
  r.http.Send(200, "application/x-pem-file", cert->Pem());
}

}  // namespace

void GetCertificates(AdminRequest& r) {
  Result<pages::CertificatesView> view =
      LoadCertificates(r.web.authority(), r.http.Query("q"), r.http.Query("status"),
                       ParsePage(r.http.Query("page")));
  if (!view.ok() && view.status().IsInvalidArgument()) {
    pages::CertificatesView empty;
    empty.query = r.http.Query("q").substr(0, 256);
    empty.error = view.status().message();
    r.SendPage(HttpStatusFor(view.status()),
               pages::RenderCertificatesPage(r.Frame("Certificates", "certificates"), empty));
    return;
  }
  if (!view.ok()) return r.SendFailure(view.status());
  r.SendPage(200, pages::RenderCertificatesPage(r.Frame("Certificates", "certificates"), *view));
}

void GetCertificate(AdminRequest& r) {
  std::string serial = r.params[0];
  const bool pem = serial.size() > kPemSuffix.size() && serial.ends_with(kPemSuffix);
  if (pem) serial.resize(serial.size() - kPemSuffix.size());
  if (!LooksLikeSerial(serial)) return SendNoSuchCertificate(r);
  if (pem) return SendPem(r, serial);
  SendCertificate(r, serial, 200, r.http.Query("revoked") == "1" ? "Certificate revoked." : "", "");
}

void PostRevokeCertificate(AdminRequest& r) {
  const std::string serial = r.params[0];
  if (!LooksLikeSerial(serial)) return SendNoSuchCertificate(r);
  if (r.http.Form("confirm") != "yes") {
    return SendCertificate(r, serial, 400, "",
                           "Tick the confirmation box to revoke; nothing was changed.");
  }
  Result<ca::RevocationReason> reason = ca::ParseRevocationReason(r.http.Form("reason"));
  if (!reason.ok()) {
    return SendCertificate(r, serial, HttpStatusFor(reason.status()), "",
                           reason.status().message());
  }
  Status revoked = r.web.authority().Revoke(serial, *reason, AdminRequest::kActor);
  if (revoked.IsNotFound()) return SendNoSuchCertificate(r);
  if (revoked.IsAlreadyExists()) {
    return SendCertificate(r, serial, HttpStatusFor(revoked), "",
                           "This certificate was already revoked.");
  }
  if (!revoked.ok()) return r.SendFailure(revoked);
  r.http.Redirect(303, "/certificates/" + serial + "?revoked=1");
}

}  // namespace homeca::webui
