#include "webui/admin/admin_views.h"

#include <algorithm>

#include "ca/base/renewal_rule.h"
#include "ca/crl_freshness.h"
#include "ca/plain_words.h"
#include "ca/root_export.h"
#include "ca/root_key_offline.h"
#include "enroll/manual_device.h"
#include "webui/names/name_directory.h"

namespace homeca::webui {
namespace {

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

Result<std::int64_t> CountState(ca::Authority& authority, std::optional<ca::CertificateState> state,
                                std::int64_t now) {
  ca::CertificateFilter filter;
  filter.state = state;
  filter.now = now;
  return authority.certificates().Count(filter);
}

}  // namespace

std::string PairingStatusName(ca::PairingState state) { return ca::PairingStateWord(state); }

std::string DeviceStatus(const ca::DeviceRecord& device, std::int64_t now) {
  if (device.revoked_at.has_value()) return "revoked";
  if (!device.current) return "no certificate";
  const ca::CertificateRecord& cert = *device.current;
  switch (ca::StateAt(cert, now)) {
    case ca::CertificateState::kRevoked:
      return "revoked";
    case ca::CertificateState::kExpired:
      return "expired";
    case ca::CertificateState::kValid:
      break;
  }
  // The devices' own schedule spreads them around this point (renewal_schedule.h).
  return ca::IsRenewalDue(cert.not_before, cert.not_after, now) ? "renewal due" : "valid";
}

static std::string SourceWords(ca::AddressSource source) {
  switch (source) {
    case ca::AddressSource::kPairing:
      return "from pairing";
    case ca::AddressSource::kRenewal:
      return "from renewal";
    case ca::AddressSource::kCheckIn:
      return "from check-in";
    case ca::AddressSource::kPinned:
      return "pinned";
  }
  return "";
}

pages::DeviceRow ToDeviceRow(const ca::DeviceRecord& device, std::int64_t now) {
  pages::DeviceRow row;
  row.id = device.pairing.id;
  row.state = device.revoked_at.has_value() ? "revoked" : "active";
  row.revoked_at = device.revoked_at.value_or(0);
  row.names = device.pairing.names;
  row.name = row.names.empty() ? "(no name)" : row.names.front();
  row.status = DeviceStatus(device, now);
  if (device.current) {
    row.serial = device.current->serial_hex;
    row.not_after = device.current->not_after;
  }
  row.paired_at = device.paired_at;
  row.last_renewal = device.last_renewal;
  row.renewals = device.renewals;
  row.renewed_by_hand = enroll::IsManualPairing(device.pairing.key);
  for (const ca::DeviceAddress& a : ca::PublishedAddresses(device.addresses)) {
    row.published.push_back(a.address + " (" + SourceWords(a.source) + ")");
    row.published_addresses.push_back(a.address);
  }
  for (const ca::DeviceAddress& a : device.addresses) {
    if (a.source == ca::AddressSource::kPinned) {
      row.pinned += (row.pinned.empty() ? "" : ", ") + a.address;
    } else {
      row.last_seen = std::max(row.last_seen, a.seen_at);
    }
  }
  return row;
}

pages::CertificateRow ToCertificateRow(const ca::CertificateRecord& record, std::int64_t now) {
  return pages::CertificateRow{record.serial_hex,       record.subject_cn,
                               JoinNames(record.names), ca::ToString(ca::StateAt(record, now)),
                               record.not_after,        record.issued_at,
                               record.requester};
}

pages::CertificateView ToCertificateView(const ca::CertificateRecord& record, std::int64_t now) {
  pages::CertificateView view;
  view.row = ToCertificateRow(record, now);
  view.names = record.names;
  view.key_type = record.key_type;
  view.fingerprint = record.fingerprint_sha256;
  view.not_before = record.not_before;
  if (record.revocation) {
    view.revocation_reason = ca::ToString(record.revocation->reason);
    view.revoked_at = record.revocation->revoked_at;
  }
  return view;
}

Result<std::vector<pages::DeviceRow>> LoadDevices(ca::Authority& authority) {
  Result<std::vector<ca::DeviceRecord>> devices = authority.pairings().ListDevices();
  if (!devices.ok()) return devices.status();
  const std::int64_t now = authority.clock().Now();
  std::vector<pages::DeviceRow> rows;
  rows.reserve(devices->size());
  for (const ca::DeviceRecord& d : *devices) rows.push_back(ToDeviceRow(d, now));
  return rows;
}

Result<pages::OverviewView> LoadOverview(ca::Authority& authority) {
  pages::OverviewView v;
  v.now = authority.clock().Now();
  v.root_name = authority.root().SubjectCommonName();
  v.fingerprint = ca::RootFingerprint(authority.root());
  v.root_not_after = authority.root().NotAfter();
  v.intermediate_not_after = authority.intermediate().NotAfter();
  v.default_days = authority.default_leaf_days();
  if (Result<ca::CrlDates> crl = ca::ReadPublishedCrl(authority.data_dir()); crl.ok()) {
    v.crl_number = crl->number;
    v.crl_this_update = crl->this_update;
    v.crl_next_update = crl->next_update;
  }
  Result<ca::RootKeyState> root_key = ca::GetRootKeyState(authority);
  if (!root_key.ok()) return root_key.status();
  v.root_key_location = ca::DescribeRootKeyLocation(*root_key);
  v.root_key_on_box = root_key->on_box;
  Result<std::vector<pages::DeviceRow>> devices = LoadDevices(authority);
  if (!devices.ok()) return devices.status();
  v.device_count = static_cast<std::int64_t>(devices->size());
  for (const pages::DeviceRow& d : *devices) {
    if (d.status == "valid" && d.not_after - v.now > kAttentionSeconds) continue;
    if (d.status == "revoked") continue;  // deliberately ended; nothing will renew it
    v.attention.push_back(d);
  }
  std::sort(v.attention.begin(), v.attention.end(),
            [](const auto& a, const auto& b) { return a.not_after < b.not_after; });
  for (auto [count, state] :
       {std::pair{&v.certificate_count, std::optional<ca::CertificateState>()},
        std::pair{&v.valid_count, std::optional(ca::CertificateState::kValid)},
        std::pair{&v.revoked_count, std::optional(ca::CertificateState::kRevoked)},
        std::pair{&v.expired_count, std::optional(ca::CertificateState::kExpired)}}) {
    Result<std::int64_t> n = CountState(authority, state, v.now);
    if (!n.ok()) return n.status();
    *count = *n;
  }
  ca::PairingFilter waiting;
  waiting.waiting_only = true;
  waiting.now = v.now;
  waiting.limit = 1000;
  Result<std::vector<ca::PairingSummary>> pending = authority.pairings().ListPairings(waiting);
  if (!pending.ok()) return pending.status();
  v.waiting_pairings = static_cast<std::int64_t>(pending->size());
  return v;
}

Result<pages::CertificatesView> LoadCertificates(ca::Authority& authority, const std::string& query,
                                                 const std::string& status, int page,
                                                 int per_page) {
  pages::CertificatesView v;
  v.query = query;
  v.status = status;
  v.page = std::max(1, page);
  v.per_page = per_page;
  ca::CertificateFilter filter;
  filter.now = authority.clock().Now();
  filter.name_contains = query;
  if (status == "valid") {
    filter.state = ca::CertificateState::kValid;
  } else if (status == "revoked") {
    filter.state = ca::CertificateState::kRevoked;
  } else if (status == "expired") {
    filter.state = ca::CertificateState::kExpired;
  } else if (!status.empty()) {
    return Status::InvalidArgument("unknown status filter (use valid, revoked or expired)");
  }
  Result<std::int64_t> total = authority.certificates().Count(filter);
  if (!total.ok()) return total.status();
  v.total = *total;
  filter.limit = per_page;
  filter.offset = (v.page - 1) * per_page;
  Result<std::vector<ca::CertificateRecord>> records = authority.certificates().List(filter);
  if (!records.ok()) return records.status();
  for (const ca::CertificateRecord& r : *records) v.rows.push_back(ToCertificateRow(r, filter.now));
  return v;
}

std::string EnrollCommand(const std::string& code, const std::string& ca_url) {
  return "homeca-enroll pair --code " + code + " --ca " + ca_url;
}

int ParsePage(const std::string& text) {
  if (text.empty() || text.size() > 6) return 1;
  int page = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return 1;
    page = page * 10 + (c - '0');
  }
  return std::clamp(page, 1, 100000);
}

std::int64_t ParseId(const std::string& text) {
  if (text.empty() || text.size() > 15) return 0;
  std::int64_t id = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return 0;
    id = id * 10 + (c - '0');
  }
  return id;
}

pages::NameMethods LoadNameMethods(WebContext& web) {
  pages::NameMethods m;
  m.mdns_status = web.discovery().StatusText();
  const std::string& label = web.authority().policy().box_host_label;
  if (!label.empty()) m.box_name = label + ".local";
  if (web.names() == nullptr) return m;
  const names::NameDirectoryStatus status = web.names()->Status();
  m.mdns_on = status.mdns_on && web.discovery().enabled();
  m.export_dir = status.export_dir;
  m.export_error = status.export_error;
  m.exported_at = status.exported_at;
  return m;
}

void AddNameStatus(WebContext& web, std::vector<pages::DeviceRow>& rows) {
  if (web.names() == nullptr) return;
  const names::NameDirectoryStatus status = web.names()->Status();
  for (pages::DeviceRow& row : rows) {
    for (const names::DeviceNameStatus& d : status.devices) {
      if (d.pairing_id != row.id) continue;
      if (status.mdns_on) row.mdns = names::Describe(d.mdns);
      if (d.mdns == names::MdnsAnswer::kByHomecad && !d.mdns_state.empty()) {
        row.mdns += " (" + d.mdns_state + ")";
      }
      row.conflicts = d.conflicts;
    }
  }
}

}  // namespace homeca::webui
