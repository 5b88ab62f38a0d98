// JSON shapes shared by the API (/api/v1, docs/api.md) and the pairing
// status endpoint the admin pages poll. Times are RFC 3339 UTC strings.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ca/audit_entry.h"
#include "ca/certificate_record.h"
#include "ca/pairing_record.h"
#include "webui/names/name_directory.h"
#include "webui/pages/pages.h"

namespace homeca::webui {

// {"error": code, "message": message}
std::string ErrorJson(const std::string& code, const std::string& message);
// {"id", "status", "names", "expires_at", "seconds_left", ["device_id"] or ["acme": true],
//  ["certificate_serial"], ["code", "enroll_command"]}; the code only in the
// answer that made it. An ACME pairing's device id ("acme:<key id>") is ours,
// not the device's, so it is shown as "acme": true instead.
std::string PairingJson(const ca::PairingSummary& pairing, std::int64_t now,
                        const std::string& code = "", const std::string& enroll_command = "");
// What only the answer that made an ACME pairing carries, beside PairingJson's
// members: "acme_directory", "eab_key_id", "eab_hmac_key" (the secret, shown
// this once) and "certbot_command".
struct AcmeBindingShown {
  std::string directory;
  std::string key_id;
  std::string hmac_key;
  std::string certbot_command;
};
std::string AcmePairingJson(const ca::PairingSummary& pairing, std::int64_t now,
                            const AcmeBindingShown& binding);
std::string CertificateJson(const ca::CertificateRecord& record, std::int64_t now, bool with_pem);
// What POST /api/v1/certificates issued: the device, whether it was a
// renewal, the certificate (with "pem") and the chain to install.
std::string IssuedForDeviceJson(std::int64_t device_id, bool renewed,
                                const ca::CertificateRecord& record, std::int64_t now,
                                const std::string& chain_pem);
std::string CertificateListJson(const pages::CertificatesView& view);
std::string DeviceListJson(const std::vector<pages::DeviceRow>& devices);
// GET /api/v1/names: the published name map and how the methods stand.
std::string NamesJson(const names::NameDirectoryStatus& status, const pages::NameMethods& methods);
std::string OverviewJson(const pages::OverviewView& view);
std::string AuditJson(const std::vector<ca::AuditEntry>& entries, int page, bool has_next);

}  // namespace homeca::webui
