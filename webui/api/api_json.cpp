#include "webui/api/api_json.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>

#include <sstream>

#include "ca/plain_words.h"
#include "ca/x509/certificate.h"
#include "enroll/acme/acme_pairing.h"
#include "webui/admin/admin_views.h"

namespace homeca::webui {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

Object::Ptr NewObject() { return new Object(Poco::JSON_PRESERVE_KEY_ORDER); }

Array::Ptr Strings(const std::vector<std::string>& items) {
  Array::Ptr array = new Array;
  for (const std::string& s : items) array->add(s);
  return array;
}

template <typename T>
std::string Stringify(const T& value) {
  std::ostringstream out;
  Poco::JSON::Stringifier::stringify(value, out);
  return out.str();
}

std::string Time(std::int64_t t) { return ca::FormatTimeIso(t); }

Object::Ptr CertificateObject(const ca::CertificateRecord& r, std::int64_t now) {
  Object::Ptr o = NewObject();
  o->set("serial", r.serial_hex);
  o->set("common_name", r.subject_cn);
  o->set("names", Strings(r.names));
  o->set("status", std::string(ca::ToString(ca::StateAt(r, now))));
  o->set("not_before", Time(r.not_before));
  o->set("not_after", Time(r.not_after));
  o->set("issued_at", Time(r.issued_at));
  o->set("requester", r.requester);
  o->set("key_type", r.key_type);
  o->set("fingerprint_sha256", r.fingerprint_sha256);
  if (r.revocation) {
    o->set("revocation_reason", std::string(ca::ToString(r.revocation->reason)));
    o->set("revoked_at", Time(r.revocation->revoked_at));
  }
  return o;
}

Object::Ptr PairingObject(const ca::PairingSummary& p, std::int64_t now) {
  Object::Ptr o = NewObject();
  o->set("id", p.id);
  o->set("status", PairingStatusName(p.state));
  o->set("names", Strings(p.names));
  o->set("expires_at", Time(p.expires_at));
  o->set("seconds_left", p.state == ca::PairingState::kArmed && p.expires_at > now
                             ? p.expires_at - now
                             : std::int64_t{0});
  // In plain words (ca/plain_words.h), as the pairing page shows it live.
  const ca::PairingStanding standing = ca::DescribePairing(p);
  o->set("summary", standing.sentence);
  o->set("attempts_left", standing.attempts_left);
  o->set("wrong_code", standing.wrong_code);
  o->set("can_make_new_code", standing.can_make_new_code && p.key.slot.has_value());
  if (p.replaces > 0) o->set("replaces", p.replaces);
  if (enroll::acme::IsAcmePairing(p.key)) {
    o->set("acme", true);
  } else if (!p.key.device_id.empty()) {
    o->set("device_id", p.key.device_id);
  }
  if (!p.certificate_serial.empty()) o->set("certificate_serial", p.certificate_serial);
  return o;
}

}  // namespace

std::string ErrorJson(const std::string& code, const std::string& message) {
  Object::Ptr o = NewObject();
  o->set("error", code);
  o->set("message", message);
  return Stringify(o);
}

std::string PairingJson(const ca::PairingSummary& p, std::int64_t now, const std::string& code,
                        const std::string& enroll_command) {
  Object::Ptr o = PairingObject(p, now);
  if (!code.empty()) {
    o->set("code", code);
    o->set("enroll_command", enroll_command);
  }
  return Stringify(o);
}

std::string AcmePairingJson(const ca::PairingSummary& p, std::int64_t now,
                            const AcmeBindingShown& binding) {
  Object::Ptr o = PairingObject(p, now);
  o->set("acme_directory", binding.directory);
  o->set("eab_key_id", binding.key_id);
  o->set("eab_hmac_key", binding.hmac_key);
  o->set("certbot_command", binding.certbot_command);
  return Stringify(o);
}

std::string CertificateJson(const ca::CertificateRecord& record, std::int64_t now, bool with_pem) {
  Object::Ptr o = CertificateObject(record, now);
  if (with_pem) {
    Result<ca::Certificate> cert = ca::Certificate::FromDer(record.der);
    if (cert.ok()) o->set("pem", cert->Pem());
  }
  return Stringify(o);
}

std::string IssuedForDeviceJson(std::int64_t device_id, bool renewed,
                                const ca::CertificateRecord& record, std::int64_t now,
                                const std::string& chain_pem) {
  Object::Ptr o = NewObject();
  o->set("device_id", device_id);
  o->set("renewed", renewed);
  o->set("renewed_by_hand", true);
  Object::Ptr certificate = CertificateObject(record, now);
  o->set("certificate", certificate);
  o->set("chain_pem", chain_pem);
  return Stringify(o);
}

std::string CertificateListJson(const pages::CertificatesView& view) {
  Object::Ptr o = NewObject();
  o->set("total", view.total);
  o->set("page", view.page);
  o->set("per_page", view.per_page);
  Array::Ptr items = new Array;
  for (const pages::CertificateRow& r : view.rows) {
    Object::Ptr item = NewObject();
    item->set("serial", r.serial);
    item->set("common_name", r.common_name);
    item->set("names", r.names);
    item->set("status", r.status);
    item->set("not_after", Time(r.not_after));
    item->set("issued_at", Time(r.issued_at));
    item->set("requester", r.requester);
    items->add(item);
  }
  o->set("certificates", items);
  return Stringify(o);
}

std::string DeviceListJson(const std::vector<pages::DeviceRow>& devices) {
  Object::Ptr o = NewObject();
  Array::Ptr items = new Array;
  for (const pages::DeviceRow& d : devices) {
    Object::Ptr item = NewObject();
    item->set("id", d.id);
    item->set("name", d.name);
    item->set("names", Strings(d.names));
    item->set("state", d.state);
    if (d.revoked_at != 0) item->set("revoked_at", Time(d.revoked_at));
    item->set("status", d.status);
    if (!d.serial.empty()) {
      item->set("certificate_serial", d.serial);
      item->set("not_after", Time(d.not_after));
    }
    item->set("paired_at", Time(d.paired_at));
    if (d.last_renewal != 0) item->set("last_renewal", Time(d.last_renewal));
    item->set("renewals", d.renewals);
    // Nothing renews it by itself: a new CSR must come before not_after.
    if (d.renewed_by_hand) item->set("renewed_by_hand", true);
    // Where its names point (authenticated contact or a pin), and what mDNS
    // shows, which is only a hint.
    item->set("addresses", Strings(d.published_addresses));
    if (d.last_seen != 0) item->set("last_seen", Time(d.last_seen));
    if (!d.pinned.empty()) item->set("pinned", d.pinned);
    if (!d.mdns.empty()) item->set("mdns", d.mdns);
    if (!d.conflicts.empty()) item->set("conflicts", Strings(d.conflicts));
    if (!d.addresses.empty()) item->set("mdns_addresses", Strings(d.addresses));
    items->add(item);
  }
  o->set("devices", items);
  return Stringify(o);
}

std::string NamesJson(const names::NameDirectoryStatus& status, const pages::NameMethods& methods) {
  Object::Ptr o = NewObject();
  Array::Ptr hosts = new Array;
  for (const names::PublishedHost& host : status.map) {
    Object::Ptr item = NewObject();
    item->set("names", Strings(host.names));
    item->set("addresses", Strings(host.addresses));
    hosts->add(item);
  }
  o->set("hosts", hosts);
  Object::Ptr dns = NewObject();
  dns->set("export_dir", methods.export_dir);
  if (!methods.export_error.empty()) dns->set("error", methods.export_error);
  if (methods.exported_at != 0) dns->set("exported_at", Time(methods.exported_at));
  o->set("dns", dns);
  Object::Ptr mdns = NewObject();
  mdns->set("on", methods.mdns_on);
  mdns->set("status", methods.mdns_status);
  Array::Ptr conflicts = new Array;
  for (const names::DeviceNameStatus& d : status.devices) {
    for (const std::string& c : d.conflicts) conflicts->add(c);
  }
  mdns->set("conflicts", conflicts);
  o->set("mdns", mdns);
  return Stringify(o);
}

std::string OverviewJson(const pages::OverviewView& v) {
  Object::Ptr o = NewObject();
  Object::Ptr root = NewObject();
  root->set("common_name", v.root_name);
  root->set("fingerprint_sha256", v.fingerprint);
  root->set("not_after", Time(v.root_not_after));
  o->set("root", root);
  o->set("intermediate_not_after", Time(v.intermediate_not_after));
  o->set("default_lifetime_days", v.default_days);
  o->set("devices", v.device_count);
  Object::Ptr certs = NewObject();
  certs->set("total", v.certificate_count);
  certs->set("valid", v.valid_count);
  certs->set("revoked", v.revoked_count);
  certs->set("expired", v.expired_count);
  o->set("certificates", certs);
  o->set("waiting_pairings", v.waiting_pairings);
  Object::Ptr crl = NewObject();
  crl->set("number", v.crl_number);
  crl->set("this_update",
           v.crl_this_update ? Poco::Dynamic::Var(Time(v.crl_this_update)) : Poco::Dynamic::Var());
  crl->set("next_update",
           v.crl_next_update ? Poco::Dynamic::Var(Time(v.crl_next_update)) : Poco::Dynamic::Var());
  crl->set("url", v.crl_url.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(v.crl_url));
  o->set("crl", crl);
  Array::Ptr attention = new Array;
  for (const pages::DeviceRow& d : v.attention) {
    Object::Ptr item = NewObject();
    item->set("name", d.name);
    item->set("status", d.status);
    item->set("not_after", Time(d.not_after));
    attention->add(item);
  }
  o->set("needs_attention", attention);
  return Stringify(o);
}

std::string AuditJson(const std::vector<ca::AuditEntry>& entries, int page, bool has_next) {
  Object::Ptr o = NewObject();
  o->set("page", page);
  o->set("has_next", has_next);
  Array::Ptr items = new Array;
  for (const ca::AuditEntry& e : entries) {
    Object::Ptr item = NewObject();
    item->set("id", e.id);
    item->set("at", Time(e.at));
    item->set("actor", e.actor);
    item->set("action", e.action);
    item->set("detail", e.detail);
    items->add(item);
  }
  o->set("entries", items);
  return Stringify(o);
}

}  // namespace homeca::webui
