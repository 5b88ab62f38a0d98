#include "ca/cli/renewal_report.h"

#include <string>
#include <vector>

#include "ca/base/relative_time.h"
#include "ca/base/renewal_rule.h"
#include "ca/crl_freshness.h"
#include "ca/x509/certificate.h"

namespace homeca::cli {

void PrintRenewalReport(ca::Authority& authority, std::int64_t now, std::ostream& out) {
  out << "renewal:        each device renews itself (homeca-enroll run, or its ACME client)\n";
  Result<std::vector<ca::DeviceRecord>> devices = authority.pairings().ListDevices();
  if (!devices.ok()) {
    out << "  devices:      cannot be read (" << devices.status().message() << ")\n";
  } else {
    std::int64_t newest = 0;
    std::string newest_name;
    std::vector<std::string> overdue;
    int active = 0;
    for (const ca::DeviceRecord& d : *devices) {
      if (d.revoked_at.has_value() || !d.current) continue;
      ++active;
      const std::string name = d.pairing.names.empty() ? "?" : d.pairing.names.front();
      if (d.last_renewal > newest) {
        newest = d.last_renewal;
        newest_name = name;
      }
      // Past its renewal point and still valid: its renewal is not running.
      if (ca::IsRenewalDue(d.current->not_before, d.current->not_after, now) &&
          d.current->not_after > now) {
        overdue.push_back(name);
      } else if (d.current->not_after <= now) {
        overdue.push_back(name + " (expired)");
      }
    }
    out << "  devices:      " << active << " paired\n";
    out << "  last renewal: "
        << (newest > 0 ? ca::FormatTime(newest) + " (" + newest_name + ", " +
                             ca::RelativeTime(newest, now) + ")"
                       : std::string("none yet"))
        << "\n";
    if (overdue.empty()) {
      out << "  overdue:      none\n";
    } else {
      out << "  overdue:      " << overdue.size()
          << " device(s) past the renewal point without renewing (is homeca-enroll run "
             "running there?):";
      for (const std::string& n : overdue) out << " " << n;
      out << "\n";
    }
  }
  // homecad republishes a CRL at least daily (ca/crl_freshness.h); the CLI
  // cannot see the process, but it can see whether that is happening.
  Result<ca::CrlDates> crl = ca::ReadPublishedCrl(authority.data_dir());
  out << "homecad:        ";
  if (!crl.ok()) {
    out << "no CRL published yet (homecad publishes one when it starts)\n";
  } else if (now - crl->this_update > 2 * ca::kCrlRepublishSeconds) {
    out << "probably not running: the CRL was last published " << ca::FormatTime(crl->this_update)
        << " (" << ca::RelativeTime(crl->this_update, now)
        << "); homecad republishes it at least daily (systemctl status homeca)\n";
  } else {
    // A fresh CRL may also be `homeca init`'s or a revocation's: say what
    // is seen, not that homecad runs.
    out << "the CRL is fresh (published " << ca::RelativeTime(crl->this_update, now)
        << "); homecad republishes it daily while it runs\n";
  }
}

}  // namespace homeca::cli
