// A device without a shell (enroll/manual_device.h): the CSR upload, which
// issues and then offers the chain, and the CA-made key, which is answered
// at once as a download (PKCS#12 or PEM) and never kept: not in the store,
// not in a log, not in the session. Passwords come only in the POST body
// and are wiped after use.
#include "ca/base/renewal_rule.h"
#include "ca/key_bundle.h"
#include "enroll/manual_device.h"
#include "webui/admin/admin_request.h"
#include "webui/admin/admin_views.h"
#include "webui/names/name_directory.h"

namespace homeca::webui {
namespace {

pages::ManualDeviceView ViewFromForm(AdminRequest& r) {
  pages::ManualDeviceView view;
  view.name = r.http.Form("name");
  view.min_password = ca::kMinPkcs12PasswordLength;
  return view;
}

void SendFormError(AdminRequest& r, pages::ManualDeviceView view, const Status& status,
                   const char* form) {
  // The engine's messages start in lower case; here they stand alone.
  std::string message = status.message();
  if (!message.empty() && message[0] >= 'a' && message[0] <= 'z') message[0] -= 'a' - 'A';
  if (!message.empty() && message.back() != '.') message += '.';
  view.error = message;
  view.error_form = form;
  if (!IsClientError(status)) {
    r.web.log().error("web UI: %s (%s)", status.message(), status.detail());
  }
  r.SendPage(HttpStatusFor(status),
             pages::RenderManualDevicePage(r.Frame("A device without a shell", "add"), view));
}

// "nas.home.arpa" -> "nas": the label names the downloaded files.
std::string FileLabel(const std::vector<std::string>& names) {
  std::string label = names.empty() ? "device" : names.front().substr(0, names.front().find('.'));
  for (char& c : label) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-')) c = '-';
  }
  return label;
}

void SendDownload(AdminRequest& r, const std::string& filename, const std::string& type,
                  std::string_view body) {
  r.http.response().set("Content-Disposition", "attachment; filename=\"" + filename + "\"");
  r.http.response().set("Cache-Control", "no-store");
  r.http.Send(200, type, body);
}

void Refresh(AdminRequest& r) {
  if (r.web.names() != nullptr) r.web.names()->Changed();  // a new device's names
}

}  // namespace

void GetManualDevice(AdminRequest& r) {
  pages::ManualDeviceView view;
  view.name = r.http.Query("name");
  view.min_password = ca::kMinPkcs12PasswordLength;
  r.SendPage(200, pages::RenderManualDevicePage(r.Frame("A device without a shell", "add"), view));
}

void PostManualCsr(AdminRequest& r) {
  pages::ManualDeviceView view = ViewFromForm(r);
  view.csr = r.http.Form("csr");
  Result<enroll::ManualCertificate> issued =
      enroll::IssueForCsr(r.web.authority(), view.name, view.csr, AdminRequest::kActor);
  if (!issued.ok()) return SendFormError(r, view, issued.status(), "csr");
  Refresh(r);
  r.http.Redirect(303, "/devices/" + std::to_string(issued->pairing_id) + "/issued");
}

void PostManualKey(AdminRequest& r) {
  pages::ManualDeviceView view = ViewFromForm(r);
  view.key_type = r.http.Form("key_type");
  view.format = r.http.Form("format");
  std::string password = r.http.Form("password");
  std::string again = r.http.Form("password2");
  const bool pem = view.format == "pem";
  const bool legacy = view.format == "p12-legacy";
  Status ready = Status::Ok();
  if (!pem && !legacy && view.format != "p12") {
    ready = Status::InvalidArgument("choose the file: PKCS#12, legacy PKCS#12 or PEM");
  } else if (r.http.Form("confirm") != "yes") {
    ready = Status::InvalidArgument(
        "tick the box to confirm the key may leave this box; nothing was made");
  } else if (!pem) {
    ready = ca::CheckPkcs12Password(password, again);
  }
  Cleanse(again);
  Result<ca::DeviceKeyType> key_type = ca::ParseDeviceKeyType(view.key_type);
  if (ready.ok() && !key_type.ok()) ready = key_type.status();
  if (!ready.ok()) {
    Cleanse(password);
    return SendFormError(r, view, ready, "key");
  }
  Result<enroll::CaMadeKey> made =
      enroll::IssueWithCaKey(r.web.authority(), view.name, *key_type, AdminRequest::kActor);
  if (!made.ok()) {
    Cleanse(password);
    return SendFormError(r, view, made.status(), "key");
  }
  Refresh(r);
  const ca::IssuedCertificate& issued = made->certificate.issued;
  const std::string label = FileLabel(issued.record.names);
  if (pem) {
    Result<std::string> bundle = ca::PemKeyBundle(made->key, issued.chain);
    if (!bundle.ok()) return r.SendFailure(bundle.status());
    SendDownload(r, label + "-key-and-chain.pem", "application/x-pem-file", *bundle);
    Cleanse(*bundle);
    return;
  }
  Result<Bytes> p12 =
      ca::BuildPkcs12(made->key, issued.chain, password,
                      legacy ? ca::Pkcs12Protection::kLegacy3Des : ca::Pkcs12Protection::kAes256,
                      issued.record.names.empty() ? label : issued.record.names.front());
  Cleanse(password);
  if (!p12.ok()) return r.SendFailure(p12.status());
  SendDownload(r, label + ".p12", "application/x-pkcs12",
               std::string_view(reinterpret_cast<const char*>(p12->data()), p12->size()));
}

void GetManualIssued(AdminRequest& r) {
  const std::int64_t id = ParseId(r.params[0]);
  const std::int64_t now = r.web.clock().Now();
  Result<std::vector<ca::DeviceRecord>> devices = r.web.authority().pairings().ListDevices();
  if (!devices.ok()) return r.SendFailure(devices.status());
  for (const ca::DeviceRecord& d : *devices) {
    // Only a device renewed by hand: the page says so of it.
    if (d.pairing.id != id || !d.current || !enroll::IsManualPairing(d.pairing.key)) continue;
    pages::ManualIssuedView view;
    view.device_id = id;
    view.names = d.pairing.names;
    view.serial = d.current->serial_hex;
    view.not_after = d.current->not_after;
    view.renew_by = ca::RenewalDue(d.current->not_before, d.current->not_after);
    view.now = now;
    return r.SendPage(
        200, pages::RenderManualIssuedPage(r.Frame("Certificate issued", "devices"), view));
  }
  r.SendMessage(404, "No such device", "There is no paired device with that number.", "/devices",
                "Back to the devices");
}

// The device's current certificate and the intermediate: public, so it can
// be fetched again (after a renewal too) for as long as the device is active.
void GetDeviceChain(AdminRequest& r) {
  const std::int64_t id = ParseId(r.params[0]);
  Result<std::vector<ca::DeviceRecord>> devices = r.web.authority().pairings().ListDevices();
  if (!devices.ok()) return r.SendFailure(devices.status());
  for (const ca::DeviceRecord& d : *devices) {
    if (d.pairing.id != id || !d.current || d.revoked_at) continue;
    Result<ca::Certificate> leaf = ca::Certificate::FromDer(d.current->der);
    if (!leaf.ok()) return r.SendFailure(leaf.status());
    return SendDownload(r, FileLabel(d.pairing.names) + "-chain.pem", "application/x-pem-file",
                        ca::ChainPem({*leaf, r.web.authority().intermediate()}));
  }
  r.SendMessage(404, "No such device", "There is no active device with that number.", "/devices",
                "Back to the devices");
}

}  // namespace homeca::webui
