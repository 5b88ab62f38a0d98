// Gathering what the pages and the JSON API show, from the CA: devices with
// their status, overview figures, a page of certificates, one pairing. No
// HTML and no HTTP here; both front ends format the same data.
//
// Thread-safety: as the Authority (callable from any request thread).
#pragma once

#include <cstdint>
#include <string>

#include "ca/authority.h"
#include "ca/base/status.h"
#include "ca/device_record.h"
#include "webui/daemon/web_context.h"
#include "webui/pages/pages.h"

namespace homeca::webui {

inline constexpr int kCertificatesPerPage = 50;
inline constexpr int kAuditPerPage = 50;
// A device's certificate shows up under "needs attention" from two weeks
// before it expires, or once its renewal is overdue.
inline constexpr std::int64_t kAttentionSeconds = 14 * 86400;

// waiting, paired, failed (burned after too many wrong guesses), expired, cancelled.
std::string PairingStatusName(ca::PairingState state);
// valid, renewal due, expired, revoked, no certificate.
std::string DeviceStatus(const ca::DeviceRecord& device, std::int64_t now);
pages::DeviceRow ToDeviceRow(const ca::DeviceRecord& device, std::int64_t now);
pages::CertificateRow ToCertificateRow(const ca::CertificateRecord& record, std::int64_t now);
pages::CertificateView ToCertificateView(const ca::CertificateRecord& record, std::int64_t now);

Result<std::vector<pages::DeviceRow>> LoadDevices(ca::Authority& authority);
// How names reach devices (the name directory, mDNS, the DNS export), and,
// per active device, how its .local name is answered and who else claims
// it. Without a name directory: what the store and discovery know.
pages::NameMethods LoadNameMethods(WebContext& web);
void AddNameStatus(WebContext& web, std::vector<pages::DeviceRow>& rows);
Result<pages::OverviewView> LoadOverview(ca::Authority& authority);

// Parses the list's query (status "", valid, revoked or expired; page >= 1)
// and loads that page. InvalidArgument for a bad status or search text.
Result<pages::CertificatesView> LoadCertificates(ca::Authority& authority, const std::string& query,
                                                 const std::string& status, int page,
                                                 int per_page = kCertificatesPerPage);

// "homeca-enroll pair --code CODE --ca URL"
std::string EnrollCommand(const std::string& code, const std::string& ca_url);

// A page number from a query parameter: 1 when absent or malformed, at most 100000.
int ParsePage(const std::string& text);
// A positive id from a path segment; 0 when it is not one.
std::int64_t ParseId(const std::string& text);

}  // namespace homeca::webui
