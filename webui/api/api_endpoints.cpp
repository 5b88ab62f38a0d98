// The JSON API's endpoints (docs/api.md). Each reads its input, calls the
// same CA and enrollment code as the admin pages, and answers JSON.
#include <Poco/JSON/Object.h>

#include <sstream>

#include "ca/root_export.h"
#include "enroll/acme/acme_pairing.h"
#include "enroll/pairing_admin.h"
#include "webui/admin/admin_views.h"
#include "webui/api/api_body.h"
#include "webui/api/api_json.h"
#include "webui/api/api_request.h"
#include "webui/names/name_directory.h"

namespace homeca::webui {
namespace {

bool IsSerial(const std::string& text) {
  return !text.empty() && text.size() <= 64 &&
         text.find_first_not_of("0123456789abcdefABCDEF") == std::string::npos;
}

}  // namespace

void ApiOverview(ApiRequest& r) {
  Result<pages::OverviewView> view = LoadOverview(r.web.authority());
  if (!view.ok()) return r.Fail(view.status());
  if (r.web.urls().http_port != 0) {
    view->crl_url = r.web.OnboardingUrlFor(r.http.HostHeader()) + "crl.der";
  }
  r.Ok(200, OverviewJson(*view));
}

void ApiListCertificates(ApiRequest& r) {
  int per_page = kCertificatesPerPage;
  const std::string per_page_text = r.http.Query("per_page");
  if (!per_page_text.empty()) {
    const bool digits = per_page_text.size() <= 3 &&
                        per_page_text.find_first_not_of("0123456789") == std::string::npos;
    per_page = digits ? std::stoi(per_page_text) : 0;
    if (per_page < 1 || per_page > 200) {
      return r.Error(400, "invalid_argument", "per_page must be 1 to 200");
    }
  }
  Result<pages::CertificatesView> view =
      LoadCertificates(r.web.authority(), r.http.Query("q"), r.http.Query("status"),
                       ParsePage(r.http.Query("page")), per_page);
  if (!view.ok()) return r.Fail(view.status());
  r.Ok(200, CertificateListJson(*view));
}

void ApiGetCertificate(ApiRequest& r) {
  if (!IsSerial(r.params[0])) return r.Error(404, "not_found", "no such certificate");
  Result<ca::CertificateRecord> record = r.web.authority().certificates().FindBySerial(r.params[0]);
  if (!record.ok()) return r.Fail(record.status());
  r.Ok(200, CertificateJson(*record, r.web.clock().Now(), true));
}

void ApiRevokeCertificate(ApiRequest& r) {
  if (!IsSerial(r.params[0])) return r.Error(404, "not_found", "no such certificate");
  Poco::JSON::Object::Ptr body = r.JsonBody();
  if (body.isNull()) return;
  std::optional<std::string> reason_text = StringMember(body, "reason", "unspecified");
  if (!reason_text) return r.Error(400, "invalid_argument", "reason must be a string");
  Result<ca::RevocationReason> reason = ca::ParseRevocationReason(*reason_text);
  if (!reason.ok()) return r.Fail(reason.status());
  Status revoked = r.web.authority().Revoke(r.params[0], *reason, r.Actor());
  if (!revoked.ok()) return r.Fail(revoked);
  Result<ca::CertificateRecord> record = r.web.authority().certificates().FindBySerial(r.params[0]);
  if (!record.ok()) return r.Fail(record.status());
  r.Ok(200, CertificateJson(*record, r.web.clock().Now(), false));
}

void ApiListDevices(ApiRequest& r) {
  Result<std::vector<pages::DeviceRow>> devices = LoadDevices(r.web.authority());
  if (!devices.ok()) return r.Fail(devices.status());
  for (pages::DeviceRow& d : *devices) d.addresses = r.web.discovery().AddressesOf(d.name);
  AddNameStatus(r.web, *devices);
  r.Ok(200, DeviceListJson(*devices));
}

// Pins an address for the device's names ({"address": "192.168.1.20"}), or
// with {"address": null} or "" follows the device's own contact again.
void ApiPinDeviceAddress(ApiRequest& r) {
  const std::int64_t id = ParseId(r.params[0]);
  if (id <= 0) return r.Error(404, "not_found", "no such device");
  Poco::JSON::Object::Ptr body = r.JsonBody();
  if (body.isNull()) return;
  std::optional<ca::DeviceAddress> pin;
  if (body->has("address") && !body->isNull("address")) {
    std::optional<std::string> text = StringMember(body, "address", "");
    if (!text) return r.Error(400, "invalid_argument", "address must be a string or null");
    if (!text->empty()) {
      Result<ca::DeviceAddress> parsed = ca::ParseDeviceAddress(*text);
      if (!parsed.ok()) {
        return r.Error(400, "invalid_argument",
                       "address cannot be pinned: " + parsed.status().message());
      }
      pin = *parsed;
    }
  } else if (!body->has("address")) {
    return r.Error(400, "invalid_argument", "address is required (null removes the pin)");
  }
  Status pinned = r.web.authority().pairings().PinDeviceAddress(
      id, pin, ca::AuditEntry{0, r.web.clock().Now(), r.Actor(), "device-pin", ""});
  if (!pinned.ok()) return r.Fail(pinned);
  if (r.web.names() != nullptr) r.web.names()->Changed();
  Result<std::vector<pages::DeviceRow>> devices = LoadDevices(r.web.authority());
  if (!devices.ok()) return r.Fail(devices.status());
  std::erase_if(*devices, [&](const pages::DeviceRow& d) { return d.id != id; });
  r.Ok(200, DeviceListJson(*devices));
}

// The name map homecad publishes, as the DNS exports hold it, and how the
// methods stand.
void ApiNames(ApiRequest& r) {
  if (r.web.names() == nullptr) return r.Error(404, "not_found", "name publishing is off");
  r.Ok(200, NamesJson(r.web.names()->Status(), LoadNameMethods(r.web)));
}

// Revokes every certificate of the device and ends its renewal lineage.
void ApiRevokeDevice(ApiRequest& r) {
  const std::int64_t id = ParseId(r.params[0]);
  if (id <= 0) return r.Error(404, "not_found", "no such device");
  Poco::JSON::Object::Ptr body = r.JsonBody();
  if (body.isNull()) return;
  std::optional<std::string> reason_text = StringMember(body, "reason", "unspecified");
  if (!reason_text) return r.Error(400, "invalid_argument", "reason must be a string");
  Result<ca::RevocationReason> reason = ca::ParseRevocationReason(*reason_text);
  if (!reason.ok()) return r.Fail(reason.status());
  Result<int> revoked = r.web.authority().RevokeDevice(id, *reason, r.Actor());
  if (!revoked.ok()) return r.Fail(revoked.status());
  if (r.web.names() != nullptr) r.web.names()->Changed();  // its names go
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("id", id);
  o->set("state", std::string("revoked"));
  o->set("revoked_certificates", *revoked);
  std::ostringstream out;
  o->stringify(out);
  r.Ok(200, out.str());
}

// {"name": "nas", "acme": true}: the device has an ACME client, so the
// pairing comes with an external account binding instead of a code. Its HMAC
// key is in this one answer and nowhere else (docs/acme.md).
void MakeAcmePairing(ApiRequest& r, const std::vector<std::string>& names,
                     std::int64_t ttl_seconds) {
  Result<enroll::acme::AcmePairing> pairing =
      enroll::acme::CreateAcmePairing(r.web.authority(), names, ttl_seconds, r.Actor());
  if (!pairing.ok()) return r.Fail(pairing.status());
  Result<ca::PairingSummary> summary =
      r.web.authority().pairings().GetPairing(pairing->id, r.web.clock().Now());
  if (!summary.ok()) {
    Cleanse(pairing->eab.hmac_key);
    return r.Fail(summary.status());
  }
  AcmeBindingShown shown;
  shown.directory = r.web.urls().admin_base + "/acme/directory";
  shown.key_id = pairing->eab.key_id;
  shown.hmac_key = pairing->eab.hmac_key;
  shown.certbot_command = enroll::acme::CertbotRecipe(*pairing, shown.directory);
  r.Ok(201, AcmePairingJson(*summary, r.web.clock().Now(), shown));
  Cleanse(pairing->eab.hmac_key);
  Cleanse(shown.hmac_key);
  Cleanse(shown.certbot_command);
}

void ApiCreatePairing(ApiRequest& r) {
  Poco::JSON::Object::Ptr body = r.JsonBody();
  if (body.isNull()) return;
  std::optional<std::vector<std::string>> names = NamesMember(body);
  std::optional<std::int64_t> ttl = TtlSecondsMember(body);
  std::optional<bool> acme = BoolMember(body, "acme");
  if (!names || !ttl || !acme) {
    return r.Error(400, "invalid_argument",
                   "expected {\"name\": \"nas\"} or {\"names\": [...]}, optional ttl_minutes "
                   "and acme (true or false)");
  }
  if (*acme) {
    // An ACME client is set up at its own pace: its binding waits a day
    // unless the caller chose a lifetime.
    return MakeAcmePairing(
        r, *names, body->has("ttl_minutes") ? *ttl : enroll::acme::kDefaultAcmePairingTtlSeconds);
  }
  // A name in use is refused (409) unless the body says "replace": true.
  const bool replace =
      body->has("replace") && body->get("replace").isBoolean() && body->getValue<bool>("replace");
  Result<enroll::CodePairing> pairing =
      enroll::CreateCodePairing(r.web.authority(), *names, *ttl, r.Actor(),
                                replace ? enroll::NameReuse::kReplace : enroll::NameReuse::kRefuse);
  if (!pairing.ok()) return r.Fail(pairing.status());
  Result<ca::PairingSummary> summary =
      r.web.authority().pairings().GetPairing(pairing->id, r.web.clock().Now());
  if (!summary.ok()) return r.Fail(summary.status());
  // The code is in this one response and nowhere else.
  std::string code = pairing->code.Display();
  r.Ok(201, PairingJson(*summary, r.web.clock().Now(), code,
                        EnrollCommand(code, r.web.urls().admin_base)));
  Cleanse(code);
}

void ApiArmDevice(ApiRequest& r) {
  Poco::JSON::Object::Ptr body = r.JsonBody();
  if (body.isNull()) return;
  std::optional<std::string> device_id = StringMember(body, "device_id");
  std::optional<std::string> code = StringMember(body, "code");
  std::optional<std::vector<std::string>> names = NamesMember(body);
  std::optional<std::int64_t> ttl = TtlSecondsMember(body);
  std::optional<std::string> kdf_text = StringMember(body, "kdf", "scrypt");
  if (!device_id || !code || !names || !ttl || !kdf_text) {
    return r.Error(400, "invalid_argument",
                   "expected {\"device_id\", \"code\", \"name\" or \"names\"}, optional "
                   "ttl_minutes and kdf");
  }
  // What the device asked for (its mDNS record's kdf): scrypt unless it is
  // too constrained and asks for pbkdf2-sha256.
  Result<enroll::PasswordKdf> kdf = enroll::ParsePasswordKdf(*kdf_text);
  if (!kdf.ok()) return r.Fail(kdf.status());
  Result<enroll::DevicePairing> pairing =
      enroll::ArmDevicePairing(r.web.authority(), *device_id, *code, *names, *ttl, r.Actor(), *kdf);
  Cleanse(*code);
  if (!pairing.ok()) return r.Fail(pairing.status());
  Result<ca::PairingSummary> summary =
      r.web.authority().pairings().GetPairing(pairing->id, r.web.clock().Now());
  if (!summary.ok()) return r.Fail(summary.status());
  r.Ok(201, PairingJson(*summary, r.web.clock().Now()));
}

void ApiGetPairing(ApiRequest& r) {
  const std::int64_t id = ParseId(r.params[0]);
  Result<ca::PairingSummary> pairing =
      r.web.authority().pairings().GetPairing(id, r.web.clock().Now());
  if (!pairing.ok()) return r.Fail(pairing.status());
  r.Ok(200, PairingJson(*pairing, r.web.clock().Now()));
}

void ApiCancelPairing(ApiRequest& r) {
  const std::int64_t id = ParseId(r.params[0]);
  Status cancelled = r.web.authority().pairings().CancelPairing(id, r.web.clock().Now(), r.Actor());
  if (!cancelled.ok()) return r.Fail(cancelled);
  ApiGetPairing(r);
}

void ApiAudit(ApiRequest& r) {
  const int page = ParsePage(r.http.Query("page"));
  Result<std::vector<ca::AuditEntry>> entries =
      r.web.authority().audit_log().ListAudit(kAuditPerPage + 1, (page - 1) * kAuditPerPage);
  if (!entries.ok()) return r.Fail(entries.status());
  const bool has_next = static_cast<int>(entries->size()) > kAuditPerPage;
  if (has_next) entries->pop_back();
  r.Ok(200, AuditJson(*entries, page, has_next));
}

}  // namespace homeca::webui
