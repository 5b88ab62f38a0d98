// Settings, "Root key": the encrypted download and the deletion after it
// (ca/root_key_offline.h). Passphrases come only in the POST body, are never
// logged, and are wiped after use.
#include "ca/pwri_envelope.h"
#include "ca/root_key_offline.h"
#include "webui/admin/admin_request.h"

namespace homeca::webui {

void PostRootKeyExport(AdminRequest& r) {
  std::string passphrase = r.http.Form("passphrase");
  std::string again = r.http.Form("passphrase2");
  std::string current = r.http.Form("current");
  const bool same = passphrase == again;
  Cleanse(again);
  if (!same) {
    Cleanse(passphrase);
    Cleanse(current);
    return SendSettings(r, 400, "", "The two passphrases differ; nothing was downloaded.");
  }
  Result<std::string> pem =
      ca::ExportRootKey(r.web.authority(), passphrase, current, AdminRequest::kActor);
  Cleanse(passphrase);
  Cleanse(current);
  if (!pem.ok() && IsClientError(pem.status())) {
    return SendSettings(r, HttpStatusFor(pem.status()), "", pem.status().message() + ".");
  }
  if (!pem.ok()) return r.SendFailure(pem.status());
  r.http.response().set("Content-Disposition", "attachment; filename=\"homeca-root-key.pem\"");
  r.http.Send(200, "application/x-pem-file", *pem);
}

void PostRootKeyDelete(AdminRequest& r) {
  if (r.http.Form("confirm") != "yes") {
    return SendSettings(r, 400, "",
                        "Tick the box to confirm you stored the downloaded root key; nothing "
                        "was deleted.");
  }
  Status deleted = ca::DeleteRootKey(r.web.authority(), AdminRequest::kActor);
  if (IsClientError(deleted)) {
    return SendSettings(r, HttpStatusFor(deleted), "", deleted.message() + ".");
  }
  if (!deleted.ok()) return r.SendFailure(deleted);
  r.http.Redirect(303, "/settings?saved=root-key-offline");
}

}  // namespace homeca::webui
