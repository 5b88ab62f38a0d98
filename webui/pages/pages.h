// The web UI's pages: pure functions from a view (plain data the handlers
// gathered) to HTML. They never touch the store, so they are easy to test
// with hostile data, and every outside string goes through Text() (see
// webui/http/html.h), which escapes it.
//
// Test hooks: elements the browser tests use carry data-testid attributes
// (WEBUI_CONTRACT.md in the work tree lists them).
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ca/leaf_profile.h"
#include "webui/daemon/discovery_source.h"
#include "webui/http/html.h"
#include "webui/onboarding/user_agent_platform.h"

namespace homeca::webui::pages {

// ---- Frame shared by every page (layout.cpp) ----
struct PageFrame {
  std::string title;
  std::string nav;         // active nav entry ("overview", "devices", ...), "" for none
  std::string csrf_token;  // when set, the admin is logged in: nav and logout are shown
};
Html RenderPage(const PageFrame& frame, const Html& main);
Html CsrfInput(const std::string& token);
// A page with a heading, a message and a link onward.
Html RenderMessage(const PageFrame& frame, const std::string& heading, const std::string& message,
                   const std::string& link, const std::string& link_text);
// "2026-11-23 08:49 UTC"
std::string FormatDate(std::int64_t unix_seconds);
// FormatDate in a <time datetime="..." data-local-time> element, which the
// page's script rewrites in the viewer's own time zone (app.js); without
// the script the UTC text stays.
Html LocalTime(std::int64_t unix_seconds);

// ---- Onboarding: plain HTTP "/" and the admin's Trust page (onboarding.cpp) ----
struct OnboardingView {
  std::string ca_name;           // the root's common name
  std::string fingerprint;       // SHA-256, colon-separated upper-case hex
  std::string fingerprint_sha1;  // SHA-1, the same way (Windows shows only this)
  std::int64_t root_not_after = 0;
  std::string page_url;      // what the QR code opens
  std::string admin_url;     // https://... (shown on the HTTP page)
  VisitorPlatform platform;  // from the User-Agent: whose card and button come first
};
Html RenderOnboardingBody(const OnboardingView& view);
Html RenderOnboardingPage(const OnboardingView& view);

// ---- Login and first-run setup (login.cpp) ----
struct LoginView {
  std::string csrf_token;  // the pre-session token (double-submit cookie)
  std::string error;
  std::string notice;
  bool no_password_yet = false;
};
Html RenderLoginPage(const LoginView& view);

struct SetupView {
  std::string setup_token;
  std::string csrf_token;
  std::string error;
};
Html RenderSetupPage(const SetupView& view);

// ---- Devices (devices.cpp) ----
struct DeviceRow {
  std::int64_t id = 0;             // the pairing's id: the device's handle in URLs and the API
  std::string state;               // "active", or "revoked" once the admin revoked the device
  std::int64_t revoked_at = 0;     // when, with "revoked"
  std::string name;                // the first name
  std::vector<std::string> names;  // all names
  std::string status;              // valid, renewal due, expired, revoked, no certificate
  std::string serial;              // the head of its lineage (the one that renews), "" when none
  std::int64_t not_after = 0;
  std::int64_t paired_at = 0;
  std::int64_t last_renewal = 0;  // 0: never renewed
  int renewals = 0;
  std::vector<std::string>
      addresses;  // where mDNS sees it now (DiscoverySource::AddressesOf): a hint
  // Where its names point (ca/device_address.h): authenticated contact or a
  // pin, IPv4 first, as "10.0.0.5 (check-in)"; empty: not known yet.
  std::vector<std::string> published;
  std::vector<std::string> published_addresses;  // the same, addresses only
  std::int64_t last_seen = 0;                    // its newest authenticated contact, 0: never
  std::string pinned;                  // the admin's pinned addresses, ", "-joined; "" none
  std::string mdns;                    // how its .local name is answered (names::Describe)
  std::vector<std::string> conflicts;  // "nas.local from 10.0.0.66": someone else claims it
  // Enrolled by the admin's hand (a CSR or a CA-made key, manual_device.cpp):
  // nothing renews it by itself; a new CSR must come before it expires.
  bool renewed_by_hand = false;
};
// How names reach the devices (webui/names/): shown on the Devices page with
// the router steps, and in short on the onboarding page.
struct NameMethods {
  bool mdns_on = false;
  std::string mdns_status;   // DiscoverySource::StatusText
  std::string export_dir;    // "" when the DNS export is off
  std::string export_error;  // the last export's error, "" when it worked
  std::int64_t exported_at = 0;
  std::string box_name;  // the box's .local name, for the router steps ("homeserver.local")
};
Html RenderNameMethods(const NameMethods& methods, std::int64_t now);

struct PendingPairingRow {
  std::int64_t id = 0;
  std::string name;
  std::string waiting_for;  // "code 07-…" or "device tv-1"
  std::int64_t expires_at = 0;
};
struct DevicesView {
  std::int64_t now = 0;
  std::vector<DeviceRow> devices;
  std::vector<PendingPairingRow> pending;
  bool discovery_enabled = false;
  std::string discovery_status;  // DiscoverySource::StatusText
  std::vector<WaitingDevice> waiting;
  std::vector<NetworkService> inventory;
  NameMethods names;
};
Html RenderDevicesPage(const PageFrame& frame, const DevicesView& view);

// ---- Overview (overview.cpp) ----
// One line of the Overview's first-run checklist (webui/admin/first_run_checklist.h
// decides them; the page's script settles "checking" ones).
struct ChecklistItem {
  std::string id;     // trust, address, device, names (data-testid="check-<id>")
  std::string state;  // done, todo, checking
  std::string title;  // "This browser trusts the root"
  std::string detail;
  std::string link;  // where to fix it; "" for none
  std::string link_text;
};

struct OverviewView {
  std::int64_t now = 0;
  std::vector<ChecklistItem> checklist;  // empty: none shown
  std::string root_name;
  std::string fingerprint;
  std::int64_t root_not_after = 0;
  std::int64_t intermediate_not_after = 0;
  std::int64_t device_count = 0;
  std::int64_t certificate_count = 0;
  std::int64_t valid_count = 0;
  std::int64_t revoked_count = 0;
  std::int64_t expired_count = 0;
  std::int64_t waiting_pairings = 0;
  int default_days = 0;
  std::string root_key_location;     // "on this box" / "offline since ..." (ca/root_key_offline.h)
  bool root_key_on_box = false;      // then the page offers to take it offline
  std::vector<DeviceRow> attention;  // devices whose certificate renews or expires soon
  // The published CRL (0 when it cannot be read) and where it is served.
  std::int64_t crl_number = 0;
  std::int64_t crl_this_update = 0;
  std::int64_t crl_next_update = 0;
  std::string crl_url;  // http://<onboarding address>/crl.der, "" when unknown
};
Html RenderOverviewPage(const PageFrame& frame, const OverviewView& view);

// ---- Adding a device and following a pairing (pairing.cpp) ----
struct AddDeviceView {
  std::string device_name;  // the CA-made code form
  std::string device_id;    // the device's-own-code form
  std::string armed_name;
  std::string error;
  std::string error_form;  // "code" or "device": which form the error belongs to
  // The name is already a device's (or waiting to pair): the error offers to
  // replace it, which posts the form again with replace=on.
  bool offer_replace = false;
  std::string replace_what;   // "nas.home.arpa (device 3)", for the button's words
  bool replace_acme = false;  // the refused pairing was for an ACME client
  int ttl_minutes = 10;
  bool discovery_enabled = false;
  std::string discovery_status;  // DiscoverySource::StatusText
  std::vector<WaitingDevice> waiting;
};
Html RenderAddDevicePage(const PageFrame& frame, const AddDeviceView& view);

struct PairingView {
  std::int64_t id = 0;
  std::vector<std::string> names;
  std::string code;       // DDDD-DDDD-DDDD, only while the CA-made code is waiting
  std::string device_id;  // set when the device brought its own code
  std::string status;     // waiting, paired, failed, expired, cancelled
  // In plain words (ca::DescribePairing): what happened and what to do.
  std::string summary;
  int attempts_left = 0;
  bool wrong_code = false;
  bool can_make_new_code = false;  // waiting, failed or expired: offer "New code"
  std::int64_t replaces = 0;       // the paired device this pairing replaces, 0: none
  std::int64_t expires_at = 0;
  std::int64_t seconds_left = 0;
  std::string enroll_command;
  std::string certificate_serial;
  // A pairing for an ACME client (docs/acme.md): the directory always; the
  // key id, HMAC key and certbot command only while the session still holds
  // them (shown once, like a code).
  bool acme = false;
  std::string acme_directory;
  std::string acme_key_id;
  std::string acme_hmac_key;
  std::string acme_command;
};
Html RenderPairingPage(const PageFrame& frame, const PairingView& view);

// ---- A device without a shell: its CSR, or a key the CA makes (manual_device.cpp) ----
struct ManualDeviceView {
  std::string name;               // as typed
  std::string csr;                // the pasted CSR, kept when the form comes back
  std::string key_type = "p256";  // p256, rsa2048
  std::string format = "p12";     // p12, p12-legacy, pem
  std::string error;
  std::string error_form;  // "csr" or "key": which form the error belongs to
  std::size_t min_password = 8;
};
Html RenderManualDevicePage(const PageFrame& frame, const ManualDeviceView& view);
// What the CSR upload issued: the chain to download and when to renew.
struct ManualIssuedView {
  std::int64_t device_id = 0;
  std::vector<std::string> names;
  std::string serial;
  std::int64_t not_after = 0;
  std::int64_t renew_by = 0;  // when the Devices page starts to say "renewal due"
  std::int64_t now = 0;
};
Html RenderManualIssuedPage(const PageFrame& frame, const ManualIssuedView& view);
// The Add device page's pointer to the above.
Html ManualDeviceCard();

// ---- Certificates (certificates.cpp) ----
struct CertificateRow {
  std::string serial;
  std::string common_name;
  std::string names;  // joined
  std::string status;
  std::int64_t not_after = 0;
  std::int64_t issued_at = 0;
  std::string requester;
};
struct CertificatesView {
  std::string query;
  std::string status;  // "", valid, revoked, expired
  int page = 1;
  int per_page = 50;
  std::int64_t total = 0;
  std::vector<CertificateRow> rows;
  std::string error;
};
Html RenderCertificatesPage(const PageFrame& frame, const CertificatesView& view);

struct CertificateView {
  CertificateRow row;
  std::vector<std::string> names;
  std::string key_type;
  std::string fingerprint;
  std::int64_t not_before = 0;
  std::string revocation_reason;  // when revoked
  std::int64_t revoked_at = 0;
  std::string notice;
  std::string error;
};
Html RenderCertificatePage(const PageFrame& frame, const CertificateView& view);

// ---- Audit log (audit.cpp) ----
struct AuditRow {
  std::int64_t at = 0;
  std::string actor;
  std::string action;
  std::string detail;
};
struct AuditView {
  int page = 1;
  bool has_next = false;
  std::vector<AuditRow> rows;
};
Html RenderAuditPage(const PageFrame& frame, const AuditView& view);

// ---- Settings (settings.cpp) ----
struct ApiTokenRow {
  std::int64_t id = 0;
  std::string label;
  std::int64_t created_at = 0;
  std::string created_by;
  std::int64_t revoked_at = 0;  // 0: active
};
struct SettingsView {
  int default_days = ca::kDefaultLeafDays;
  int max_days = ca::kMaxLeafDays;
  std::vector<std::string> permitted_domains;
  std::vector<std::string> permitted_ip_ranges;
  bool allow_wildcards = false;
  int max_names = 16;
  std::vector<ApiTokenRow> tokens;
  std::string new_token;  // shown once, right after creation
  // The root key (settings_root_key.cpp): where it is, and what can be done.
  std::string root_key_location;
  bool root_key_on_box = false;
  bool root_key_encrypted_on_box = false;  // needs its current passphrase to export
  std::int64_t root_key_exported_at = 0;   // 0: never; deleting needs an export
  std::string notice;
  std::string error;
};
Html RenderSettingsPage(const PageFrame& frame, const SettingsView& view);
Html RenderRootKeySection(const PageFrame& frame, const SettingsView& view);
// The admin password and the backup download (settings_account.cpp).
Html RenderAccountSections(const PageFrame& frame);

}  // namespace homeca::webui::pages
