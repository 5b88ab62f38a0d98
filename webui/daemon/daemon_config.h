// homecad's configuration: command-line options over the configuration file
// (/etc/homeca/homeca.conf, INI syntax, section [homecad]) over defaults.
#pragma once

#include <Poco/Util/AbstractConfiguration.h>

#include <filesystem>
#include <string>
#include <vector>

#include "ca/base/status.h"
#include "enroll/acme/acme_service.h"

namespace homeca::webui {

inline constexpr const char* kDefaultConfigFile = "/etc/homeca/homeca.conf";

struct DaemonConfig {
  std::filesystem::path data_dir = "/var/lib/homeca";
  std::string bind_address = "0.0.0.0";
  unsigned short https_port = 443;
  unsigned short http_port = 80;          // plain-HTTP onboarding; 0 picks a free port
  std::vector<std::string> server_names;  // empty: ca.home.arpa (+ <host>.local)
  std::string public_url;                 // how devices reach us; empty: from the first name
  bool dev = false;
  // Key exchanges answered per minute across all pairings (the protocol's
  // global guessing limit). Raise it only for a benchmark or a big install.
  int max_exchanges_per_minute = 30;
  // mDNS discovery (publish _homeca._tcp, browse the LAN): `mdns = on|off`,
  // on by default, off by default with --dev (loopback only). mdns_name: the
  // instance name; empty means "homeca on <host name>".
  bool mdns = true;
  std::string mdns_name;
  // The name export (names/name_exporter.h), section [names] of the file:
  // export_dir (empty in the file: <data_dir>/names) and reload_command, an
  // argv split at spaces and run without a shell (empty: no reload action).
  std::filesystem::path names_export_dir;
  std::vector<std::string> names_reload_command;
  // The [acme] section: certificates one ACME device may get in any rolling
  // 24 hours after its pairing's first (enroll/acme/acme_rate_limits.h),
  // 1 to enroll::acme::kMaxAcmeCertificatesPerDay.
  int acme_certificates_per_day = enroll::acme::kDefaultAcmeCertificatesPerDay;
  // Poco level name: fatal, critical, error, warning, notice, information, debug, trace.
  std::string log_level = "information";

  // public_url, or https://<first_name>[:port]. `bound_https_port` is the
  // port the listener actually has (https_port, unless that was 0: any free
  // port), so a device is never told to renew at port 0.
  std::string PublicUrl(const std::string& first_name, unsigned short bound_https_port) const;
};

// Reads "homecad.option.*" (set from the command line) and the [homecad],
// [names] and [acme] sections of the configuration file (--config, else the default if present).
Result<DaemonConfig> LoadDaemonConfig(Poco::Util::AbstractConfiguration& config);

}  // namespace homeca::webui
