// Devices, adding a device, and following one pairing. A code the CA makes
// is shown on the pairing's page: it lives only in the admin's session (in
// memory) until the pairing is over, never in the database or a log.
#include "ca/plain_words.h"
#include "enroll/acme/acme_pairing.h"
#include "enroll/pairing_admin.h"
#include "webui/admin/admin_request.h"
#include "webui/admin/admin_views.h"
#include "webui/api/api_json.h"
#include "webui/names/name_directory.h"

namespace homeca::webui {
namespace {

std::string CodeStashKey(std::int64_t pairing_id) {
  return "pairing:" + std::to_string(pairing_id);
}

pages::AddDeviceView AddDeviceDefaults(AdminRequest& r) {
  pages::AddDeviceView view;
  view.discovery_enabled = r.web.discovery().enabled();
  view.discovery_status = r.web.discovery().StatusText();
  if (view.discovery_enabled) view.waiting = r.web.discovery().WaitingToPair();
  return view;
}

// Minutes from the form; the pairing code checks the range again.
std::int64_t TtlSeconds(const std::string& text, int* minutes_out) {
  int minutes = 10;
  if (!text.empty() && text.size() <= 5 &&
      text.find_first_not_of("0123456789") == std::string::npos) {
    minutes = std::stoi(text);
  }
  *minutes_out = minutes;
  return std::int64_t{minutes} * 60;
}

void SendAddDeviceError(AdminRequest& r, pages::AddDeviceView view, const Status& status,
                        const char* form) {
  view.error = status.message();
  view.error_form = form;
  if (!IsClientError(status)) {
    r.web.log().error("web UI: %s (%s)", status.message(), status.detail());
  }
  r.SendPage(HttpStatusFor(status),
             pages::RenderAddDevicePage(r.Frame("Add a device", "add"), view));
}

}  // namespace

void GetDevices(AdminRequest& r) {
  pages::DevicesView view;
  view.now = r.web.clock().Now();
  Result<std::vector<pages::DeviceRow>> devices = LoadDevices(r.web.authority());
  if (!devices.ok()) return r.SendFailure(devices.status());
  view.devices = std::move(*devices);
  for (pages::DeviceRow& d : view.devices) d.addresses = r.web.discovery().AddressesOf(d.name);
  ca::PairingFilter waiting;
  waiting.waiting_only = true;
  waiting.now = view.now;
  Result<std::vector<ca::PairingSummary>> pending =
      r.web.authority().pairings().ListPairings(waiting);
  if (!pending.ok()) return r.SendFailure(pending.status());
  for (const ca::PairingSummary& p : *pending) {
    view.pending.push_back(
        pages::PendingPairingRow{p.id, p.names.empty() ? std::string() : p.names.front(),
                                 p.key.slot                           ? "its pairing code"
                                 : enroll::acme::IsAcmePairing(p.key) ? "its ACME client"
                                                                      : "device " + p.key.device_id,
                                 p.expires_at});
  }
  view.discovery_enabled = r.web.discovery().enabled();
  view.discovery_status = r.web.discovery().StatusText();
  view.names = LoadNameMethods(r.web);
  AddNameStatus(r.web, view.devices);
  if (view.discovery_enabled) {
    view.waiting = r.web.discovery().WaitingToPair();
    view.inventory = r.web.discovery().Inventory();
  }
  r.SendPage(200, pages::RenderDevicesPage(r.Frame("Devices", "devices"), view));
}

void GetAddDevice(AdminRequest& r) {
  pages::AddDeviceView view = AddDeviceDefaults(r);
  view.device_id = r.http.Query("device_id");
  r.SendPage(200, pages::RenderAddDevicePage(r.Frame("Add a device", "add"), view));
}

void PostAddDevice(AdminRequest& r) {
  pages::AddDeviceView view = AddDeviceDefaults(r);
  view.device_name = r.http.Form("name");
  const std::int64_t ttl = TtlSeconds(r.http.Form("ttl"), &view.ttl_minutes);
  if (r.http.Form("acme") == "on") {
    // The form's default (10 minutes) is for a code typed at once; an ACME
    // client is set up at its own pace, so its binding waits a day unless
    // the admin chose otherwise.
    const std::int64_t acme_ttl = r.http.Form("ttl").empty() || r.http.Form("ttl") == "10"
                                      ? enroll::acme::kDefaultAcmePairingTtlSeconds
                                      : ttl;
    Result<enroll::acme::AcmePairing> acme = enroll::acme::CreateAcmePairing(
        r.web.authority(), {view.device_name}, acme_ttl, AdminRequest::kActor);
    if (!acme.ok()) return SendAddDeviceError(r, view, acme.status(), "code");
    r.web.sessions().Stash(r.session_id, CodeStashKey(acme->id),
                           acme->eab.key_id + "\n" + acme->eab.hmac_key);
    return r.http.Redirect(303, "/pairings/" + std::to_string(acme->id));
  }
  const bool replace = r.http.Form("replace") == "on";
  Result<enroll::CodePairing> pairing =
      enroll::CreateCodePairing(r.web.authority(), {view.device_name}, ttl, AdminRequest::kActor,
                                replace ? enroll::NameReuse::kReplace : enroll::NameReuse::kRefuse);
  if (!pairing.ok()) {
    // A name in use: refused in plain words, with the choice to replace.
    view.offer_replace = !replace && pairing.status().IsAlreadyExists();
    view.replace_what = view.device_name;
    return SendAddDeviceError(r, view, pairing.status(), "code");
  }
  r.web.sessions().Stash(r.session_id, CodeStashKey(pairing->id), pairing->code.Display());
  r.http.Redirect(303, "/pairings/" + std::to_string(pairing->id));
}

void PostArmDevice(AdminRequest& r) {
  pages::AddDeviceView view = AddDeviceDefaults(r);
  view.device_id = r.http.Form("device_id");
  view.armed_name = r.http.Form("name");
  std::string code = r.http.Form("code");
  // Arm with the KDF the device asked for in its announcement (only a
  // constrained device asks for PBKDF2); scrypt otherwise.
  enroll::PasswordKdf kdf = enroll::DefaultPairingKdf();
  if (view.discovery_enabled) {
    for (const WaitingDevice& w : r.web.discovery().WaitingToPair()) {
      if (w.device_id == view.device_id && w.kdf == enroll::kKdfPbkdf2) {
        kdf = enroll::PasswordKdf::Pbkdf2();
      }
    }
  }
  Result<enroll::DevicePairing> pairing =
      enroll::ArmDevicePairing(r.web.authority(), view.device_id, code, {view.armed_name},
                               enroll::kDefaultPairingTtlSeconds, AdminRequest::kActor, kdf);
  Cleanse(code);
  if (!pairing.ok()) return SendAddDeviceError(r, view, pairing.status(), "device");
  r.http.Redirect(303, "/pairings/" + std::to_string(pairing->id));
}

void GetPairing(AdminRequest& r) {
  const std::int64_t id = ParseId(r.params[0]);
  const std::int64_t now = r.web.clock().Now();
  Result<ca::PairingSummary> pairing = r.web.authority().pairings().GetPairing(id, now);
  if (!pairing.ok()) {
    if (pairing.status().IsNotFound()) {
      return r.SendMessage(HttpStatusFor(pairing.status()), "No such pairing",
                           "There is no pairing with this number.", "/devices", "Back to devices");
    }
    return r.SendFailure(pairing.status());
  }
  pages::PairingView view;
  view.id = pairing->id;
  view.names = pairing->names;
  view.device_id = pairing->key.device_id;
  view.status = PairingStatusName(pairing->state);
  const ca::PairingStanding standing = ca::DescribePairing(*pairing);
  view.summary = standing.sentence;
  view.attempts_left = standing.attempts_left;
  view.wrong_code = standing.wrong_code;
  // Only a code the CA made can be made again; an ACME binding or a
  // device's own code cannot.
  view.can_make_new_code = standing.can_make_new_code && pairing->key.slot.has_value();
  view.replaces = pairing->replaces;
  view.expires_at = pairing->expires_at;
  view.seconds_left = std::max<std::int64_t>(0, pairing->expires_at - now);
  view.certificate_serial = pairing->certificate_serial;
  const std::string key = CodeStashKey(id);
  view.acme = enroll::acme::IsAcmePairing(pairing->key);
  if (view.acme) {
    view.device_id.clear();
    view.acme_directory = r.web.urls().admin_base + "/acme/directory";
    std::string stashed =
        view.status == "waiting" ? r.web.sessions().Peek(r.session_id, key).value_or("") : "";
    if (const std::size_t nl = stashed.find('\n'); nl != std::string::npos) {
      enroll::acme::AcmePairing shown;
      shown.names = pairing->names;
      shown.eab = {stashed.substr(0, nl), stashed.substr(nl + 1)};
      view.acme_key_id = shown.eab.key_id;
      view.acme_hmac_key = shown.eab.hmac_key;
      view.acme_command = enroll::acme::CertbotRecipe(shown, view.acme_directory);
      Cleanse(shown.eab.hmac_key);
    }
    Cleanse(stashed);
    if (view.status != "waiting") r.web.sessions().Drop(r.session_id, key);
  } else if (view.status == "waiting") {
    view.code = r.web.sessions().Peek(r.session_id, key).value_or("");
    if (!view.code.empty()) view.enroll_command = EnrollCommand(view.code, r.web.urls().admin_base);
  } else {
    r.web.sessions().Drop(r.session_id, key);  // the code is of no use any more
  }
  r.SendPage(200, pages::RenderPairingPage(r.Frame("Pairing", "add"), view));
  Cleanse(view.code);
  Cleanse(view.acme_hmac_key);
  Cleanse(view.acme_command);
}

void GetPairingStatus(AdminRequest& r) {
  const std::int64_t id = ParseId(r.params[0]);
  Result<ca::PairingSummary> pairing =
      r.web.authority().pairings().GetPairing(id, r.web.clock().Now());
  if (!pairing.ok()) {
    if (!IsClientError(pairing.status())) {
      r.web.log().error("web UI: %s (%s)", pairing.status().message(), pairing.status().detail());
    }
    r.http.SendJson(HttpStatusFor(pairing.status()),
                    ErrorJson(ErrorWordFor(pairing.status()), pairing.status().message()));
    return;
  }
  r.http.SendJson(200, PairingJson(*pairing, r.web.clock().Now()));
}

void PostCancelPairing(AdminRequest& r) {
  const std::int64_t id = ParseId(r.params[0]);
  Status cancelled =
      r.web.authority().pairings().CancelPairing(id, r.web.clock().Now(), AdminRequest::kActor);
  if (!cancelled.ok() && !cancelled.IsNotFound() && !cancelled.IsFailedPrecondition()) {
    return r.SendFailure(cancelled);
  }
  if (cancelled.IsNotFound()) {
    return r.SendMessage(HttpStatusFor(cancelled), "No such pairing", cancelled.message(),
                         "/devices", "Back to devices");
  }
  // Already over (paired, expired...): the pairing page shows how it ended.
  r.web.sessions().Drop(r.session_id, CodeStashKey(id));
  r.http.Redirect(303, "/pairings/" + std::to_string(id));
}

// "New code": the same names with a fresh code; the old code stops working.
void PostNewPairingCode(AdminRequest& r) {
  const std::int64_t id = ParseId(r.params[0]);
  Result<enroll::CodePairing> pairing = enroll::RenewPairingCode(
      r.web.authority(), id, enroll::kDefaultPairingTtlSeconds, AdminRequest::kActor);
  if (!pairing.ok()) {
    if (!IsClientError(pairing.status())) return r.SendFailure(pairing.status());
    return r.SendMessage(HttpStatusFor(pairing.status()), "No new code",
                         pairing.status().message() + " Nothing was changed.",
                         "/pairings/" + std::to_string(id), "Back to the pairing");
  }
  r.web.sessions().Drop(r.session_id, CodeStashKey(id));
  r.web.sessions().Stash(r.session_id, CodeStashKey(pairing->id), pairing->code.Display());
  r.http.Redirect(303, "/pairings/" + std::to_string(pairing->id));
}

// Revoke device: every certificate the device ever had is revoked and its
// renewal lineage ends, so no copy of any of them renews again.
void PostRevokeDevice(AdminRequest& r) {
  const std::int64_t id = ParseId(r.params[0]);
  if (id <= 0) {
    return r.SendMessage(404, "No such device", "There is no paired device with that number.",
                         "/devices", "Back to the devices");
  }
  if (r.http.Form("confirm") != "yes") {
    return r.SendMessage(400, "Not revoked",
                         "Tick the confirmation box to revoke the device; nothing was changed.",
                         "/devices", "Back to the devices");
  }
  Result<ca::RevocationReason> reason = ca::ParseRevocationReason(
      r.http.Form("reason").empty() ? "unspecified" : r.http.Form("reason"));
  if (!reason.ok()) {
    return r.SendMessage(HttpStatusFor(reason.status()), "Not revoked", reason.status().message(),
                         "/devices", "Back to the devices");
  }
  Result<int> revoked = r.web.authority().RevokeDevice(id, *reason, AdminRequest::kActor);
  if (revoked.status().IsNotFound()) {
    return r.SendMessage(HttpStatusFor(revoked.status()), "No such device",
                         "There is no paired device with that number.", "/devices",
                         "Back to the devices");
  }
  if (revoked.status().IsAlreadyExists()) {
    return r.SendMessage(HttpStatusFor(revoked.status()), "Already revoked",
                         "This device was already revoked.", "/devices", "Back to the devices");
  }
  if (!revoked.ok()) return r.SendFailure(revoked.status());
  if (r.web.names() != nullptr) r.web.names()->Changed();  // its names go
  r.http.Redirect(303, "/devices?revoked=" + std::to_string(id));
}

// Pin an address (or, empty, follow the device's own contact again).
void PostDeviceAddress(AdminRequest& r) {
  const std::int64_t id = ParseId(r.params[0]);
  const std::string text = r.http.Form("address");
  std::optional<ca::DeviceAddress> pin;
  if (!text.empty()) {
    Result<ca::DeviceAddress> parsed = ca::ParseDeviceAddress(text);
    if (!parsed.ok()) {
      return r.SendMessage(HttpStatusFor(parsed.status()), "Not pinned",
                           "'" + text + "' cannot be pinned: " + parsed.status().message() +
                               ". Nothing was changed.",
                           "/devices", "Back to the devices");
    }
    pin = *parsed;
  }
  Status pinned = r.web.authority().pairings().PinDeviceAddress(
      id, pin, ca::AuditEntry{0, r.web.clock().Now(), AdminRequest::kActor, "device-pin", ""});
  if (pinned.IsNotFound()) {
    return r.SendMessage(HttpStatusFor(pinned), "No such device",
                         "There is no paired device with that number.", "/devices",
                         "Back to the devices");
  }
  if (!pinned.ok()) return r.SendFailure(pinned);
  if (r.web.names() != nullptr) r.web.names()->Changed();
  r.http.Redirect(303, "/devices");
}

}  // namespace homeca::webui
