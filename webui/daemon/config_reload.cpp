#include "webui/daemon/config_reload.h"

#include <functional>

#include "webui/daemon/web_ui.h"

namespace homeca::webui {
namespace {

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

// One configuration key as the reload sees it. Restart-only keys carry a
// `keep` that copies the running value into the effective configuration.
struct Key {
  const char* name;
  std::function<std::string(const DaemonConfig&)> value;
  std::function<void(DaemonConfig& effective, const DaemonConfig& running)>
      keep;  // empty: reloadable
};

const std::vector<Key>& Keys() {
  static const std::vector<Key> keys = {
      {"bind", [](const DaemonConfig& c) { return c.bind_address; },
       [](DaemonConfig& e, const DaemonConfig& r) { e.bind_address = r.bind_address; }},
      {"https_port", [](const DaemonConfig& c) { return std::to_string(c.https_port); },
       [](DaemonConfig& e, const DaemonConfig& r) { e.https_port = r.https_port; }},
      {"http_port", [](const DaemonConfig& c) { return std::to_string(c.http_port); },
       [](DaemonConfig& e, const DaemonConfig& r) { e.http_port = r.http_port; }},
      {"data_dir", [](const DaemonConfig& c) { return c.data_dir.string(); },
       [](DaemonConfig& e, const DaemonConfig& r) { e.data_dir = r.data_dir; }},
      {"server_names", [](const DaemonConfig& c) { return Join(c.server_names); }, nullptr},
      {"public_url", [](const DaemonConfig& c) { return c.public_url; }, nullptr},
      {"exchanges_per_minute",
       [](const DaemonConfig& c) { return std::to_string(c.max_exchanges_per_minute); }, nullptr},
      {"log_level", [](const DaemonConfig& c) { return c.log_level; }, nullptr},
      {"acme.certificates_per_day",
       [](const DaemonConfig& c) { return std::to_string(c.acme_certificates_per_day); }, nullptr},
      {"mdns", [](const DaemonConfig& c) { return std::string(c.mdns ? "on" : "off"); },
       [](DaemonConfig& e, const DaemonConfig& r) { e.mdns = r.mdns; }},
      {"mdns_name", [](const DaemonConfig& c) { return c.mdns_name; },
       [](DaemonConfig& e, const DaemonConfig& r) { e.mdns_name = r.mdns_name; }},
      // Like data_dir: the unit allows writes there only (ReadWritePaths=).
      {"names.export_dir", [](const DaemonConfig& c) { return c.names_export_dir.string(); },
       [](DaemonConfig& e, const DaemonConfig& r) { e.names_export_dir = r.names_export_dir; }},
      {"names.reload_command", [](const DaemonConfig& c) { return Join(c.names_reload_command); },
       nullptr},
  };
  return keys;
}

std::string Shown(const std::string& value) { return value.empty() ? "(default)" : value; }

}  // namespace

ReloadPlan PlanReload(const DaemonConfig& running, const DaemonConfig& fresh) {
  ReloadPlan plan;
  plan.effective = fresh;
  plan.effective.dev = running.dev;
  for (const Key& key : Keys()) {
    const std::string before = key.value(running);
    const std::string after = key.value(fresh);
    if (key.keep) key.keep(plan.effective, running);
    if (before == after) continue;
    if (key.keep) {
      plan.needs_restart.push_back(std::string(key.name) + " (" + Shown(before) + " -> " +
                                   Shown(after) + ")");
    } else {
      plan.changed.push_back(key.name);
    }
  }
  return plan;
}

void ApplyLogLevel(const std::string& level) {
  // An empty name selects every logger: the root, the application's, Poco's.
  Poco::Logger::setLevel("", Poco::Logger::parseLevel(level));
}

void ReloadDaemon(Poco::Util::AbstractConfiguration& options, DaemonConfig& running,
                  const ReloadTargets& targets, Poco::Logger& log) {
  log.notice("reload requested (SIGHUP): reading the configuration again");
  auto fresh = LoadDaemonConfig(options);
  if (!fresh.ok()) {
    log.error("reload failed, nothing changed: %s", fresh.status().message());
    return;
  }
  ReloadPlan plan = PlanReload(running, *fresh);
  const DaemonConfig& next = plan.effective;

  // The certificate first: it is the one step that can fail (a name the CA
  // does not permit), and it must fail before anything else has changed.
  // Even with the same names this renews a certificate that is due.
  const std::vector<std::string> names = DefaultServerNames(targets.authority, next.server_names);
  auto reissued = targets.identity.SetNames(names);
  if (!reissued.ok()) {
    log.error("reload failed, nothing changed: %s", reissued.status().message());
    return;
  }
  // As at start (homecad_app.cpp): public_url, or the first name and port.
  const std::string admin_base = AdminBaseUrl(next, names.front(), targets.bound_https_port);
  targets.enrollment.SetRenewUrl(admin_base + "/enroll/v1/renew");
  if (targets.acme != nullptr) {
    targets.acme->SetOrigin(admin_base);
    targets.acme->SetCertificatesPerDay(next.acme_certificates_per_day);
  }
  if (targets.web != nullptr) {
    WebUrls urls = targets.web->urls();
    urls.admin_base = admin_base;
    targets.web->SetUrls(urls);
  }
  targets.enrollment.SetMaxExchangesPerMinute(next.max_exchanges_per_minute);
  ApplyLogLevel(next.log_level);
  if (targets.names != nullptr) targets.names->SetReloadCommand(next.names_reload_command);
  running = next;

  if (*reissued) {
    const ServerIdentity now = targets.identity.current();
    log.notice("reload: serving a new certificate for %s, valid until %s", Join(now.names),
               ca::FormatTime(now.not_after));
  }
  log.notice("reload: applied %s; needs a restart: %s",
             plan.changed.empty() ? std::string("no changes") : Join(plan.changed),
             plan.needs_restart.empty() ? std::string("nothing") : Join(plan.needs_restart));
  log.notice("reload: admin pages at %s/", admin_base);
  if (targets.acme != nullptr) {
    log.notice("reload: ACME directory at %s", targets.acme->DirectoryUrl());
  }
}

}  // namespace homeca::webui
