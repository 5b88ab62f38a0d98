// Reloading homecad on SIGHUP: read the configuration again (the command
// line still wins over the file), apply what can change while running, and
// say in the log what was applied and what needs a restart.
//
// Applied at once: server_names (the daemon's certificate is re-issued and
// swapped into the listener), public_url and server_names also as the
// admin base URL (the renew URL given to devices paired from now on, the
// ACME directory's origin, and every link the web pages show or redirect
// to), exchanges_per_minute,
// acme.certificates_per_day, log_level and names.reload_command (the name
// export's next reload uses it). A reload also
// renews the daemon's certificate if it is due. Addresses, ports, the data
// directory, names.export_dir and the mDNS settings need a restart: their old values stay in
// effect.
//
// Thread-safety: ReloadDaemon must not run concurrently with itself (the
// daemon calls it from its one signal thread); PlanReload is pure.
#pragma once

#include <Poco/Logger.h>
#include <Poco/Util/AbstractConfiguration.h>

#include <string>
#include <vector>

#include "ca/authority.h"
#include "enroll/acme/acme_service.h"
#include "enroll/enrollment_service.h"
#include "webui/daemon/daemon_config.h"
#include "webui/daemon/web_context.h"
#include "webui/identity/identity_renewer.h"
#include "webui/names/name_exporter.h"

namespace homeca::webui {

struct ReloadPlan {
  DaemonConfig effective;                  // `fresh` with the restart-only keys of `running`
  std::vector<std::string> changed;        // reloadable keys whose value changed
  std::vector<std::string> needs_restart;  // "https_port (443 -> 8443)"
};

// Compares the running configuration with a freshly loaded one.
ReloadPlan PlanReload(const DaemonConfig& running, const DaemonConfig& fresh);

// Sets the level of every logger (the daemon's and Poco's).
void ApplyLogLevel(const std::string& level);

struct ReloadTargets {
  ca::Authority& authority;
  enroll::EnrollmentService& enrollment;
  IdentityRenewer& identity;
  unsigned short bound_https_port;            // for the renew URL: https_port needs a restart
  names::NameExporter* names = nullptr;       // gets names.reload_command; null: no export
  enroll::acme::AcmeService* acme = nullptr;  // gets the origin and its limit; null: no ACME
  WebContext* web = nullptr;                  // gets the admin base URL; null: no web pages
};

// Loads the configuration through `options`, applies it to `targets` and
// updates `running` to what is now in effect. A configuration that cannot be
// read, holds a bad value or names the CA does not permit changes nothing:
// the error is logged and the daemon carries on as before.
void ReloadDaemon(Poco::Util::AbstractConfiguration& options, DaemonConfig& running,
                  const ReloadTargets& targets, Poco::Logger& log);

}  // namespace homeca::webui
