#include "webui/daemon/homecad_app.h"

#include <Poco/Net/SSLManager.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/IntValidator.h>
#include <Poco/Util/Timer.h>

#include <filesystem>
#include <functional>
#include <iostream>
#include <mutex>

#include "ca/authority.h"
#include "ca/base/encoding.h"
#include "ca/base/termination_signals.h"
#include "ca/base/version.h"
#include "ca/crl_freshness.h"
#include "ca/hierarchy.h"
#include "ca/root_export.h"
#include "enroll/acme/acme_service.h"
#include "enroll/enrollment_service.h"
#include "webui/daemon/ca_discovery.h"
#include "webui/daemon/config_reload.h"
#include "webui/daemon/daemon_config.h"
#include "webui/daemon/hangup_signal.h"
#include "webui/daemon/web_ui.h"
#include "webui/http/https_listener.h"
#include "webui/identity/identity_renewer.h"
#include "webui/identity/server_identity.h"
#include "webui/names/name_directory.h"
#include "webui/names/name_exporter.h"

namespace homeca::webui {
namespace {

using Poco::Util::Option;

constexpr long kRenewalCheckMillis = 3600 * 1000;

// Opens the CA, creating it on first start (the packaged service's first run).
Result<std::unique_ptr<ca::Authority>> OpenOrCreate(const DaemonConfig& config, Poco::Logger& log) {
  auto opened = ca::Authority::Open(config.data_dir);
  if (opened.ok() || !opened.status().IsNotFound()) return opened;
  log.notice("no CA in %s yet; creating one", config.data_dir.string());
  ca::InitOptions options;
  options.actor = "homecad";
  return ca::Authority::Init(config.data_dir, options);
}

// Republishes the CRL when it is a day old or past half its validity
// (ca/crl_freshness.h); a failure is logged and retried at the next check.
void RefreshCrl(ca::Authority& ca, Poco::Logger& log) {
  Result<bool> republished = ca::RepublishCrlIfDue(ca, "homecad");
  if (!republished.ok()) {
    log.error("republishing the CRL failed: %s", republished.status().message());
    return;
  }
  if (!*republished) return;
  Result<ca::CrlDates> dates = ca::ReadPublishedCrl(ca.data_dir());
  if (dates.ok()) {
    log.information("republished the CRL (number %s); next update %s",
                    std::to_string(dates->number), ca::FormatTime(dates->next_update));
  }
}

}  // namespace

void HomecadApp::initialize(Poco::Util::Application& self) {
  // Block the termination signals before any thread exists, so every thread
  // inherits the mask and waitForTerminationRequest()'s sigwait receives
  // them; otherwise the kernel may hand SIGTERM to a server thread and the
  // default action kills the daemon mid-request.
  BlockTerminationSignals();
  HangupSignal::Block();  // SIGHUP reloads (config_reload.h), on its own thread
  loadConfiguration();    // homecad.properties etc. beside the binary, if any
  ServerApplication::initialize(self);
  Poco::Net::initializeSSL();
}

void HomecadApp::uninitialize() {
  ServerApplication::uninitialize();
  Poco::Net::uninitializeSSL();
}

void HomecadApp::defineOptions(Poco::Util::OptionSet& options) {
  ServerApplication::defineOptions(options);
  options.addOption(Option("help", "h", "show this help").required(false).repeatable(false));
  options.addOption(
      Option("version", "V", "print the version and exit").required(false).repeatable(false));
  options.addOption(Option("config", "c", "configuration file (default /etc/homeca/homeca.conf)")
                        .required(false)
                        .repeatable(false)
                        .argument("FILE"));
  options.addOption(Option("data-dir", "d", "CA data directory (default /var/lib/homeca)")
                        .required(false)
                        .repeatable(false)
                        .argument("DIR"));
  options.addOption(Option("https-port", "p", "HTTPS port (default 443; 8443 with --dev)")
                        .required(false)
                        .repeatable(false)
                        .argument("PORT")
                        .validator(new Poco::Util::IntValidator(0, 65535)));
  options.addOption(Option("http-port", "",
                           "plain-HTTP onboarding port (default 80; 8080 with "
                           "--dev; 0 picks a free one)")
                        .required(false)
                        .repeatable(false)
                        .argument("PORT")
                        .validator(new Poco::Util::IntValidator(0, 65535)));
  options.addOption(
      Option("bind", "b", "address to listen on (default 0.0.0.0; 127.0.0.1 with --dev)")
          .required(false)
          .repeatable(false)
          .argument("ADDR"));
  options.addOption(Option("exchanges-per-minute", "",
                           "pairing key exchanges answered per "
                           "minute, all devices together (default 30)")
                        .required(false)
                        .repeatable(false)
                        .argument("N"));
  options.addOption(Option("mdns", "",
                           "publish on mDNS and browse the LAN: on or off "
                           "(default on; off with --dev)")
                        .required(false)
                        .repeatable(false)
                        .argument("on|off"));
  options.addOption(Option("mdns-name", "", "mDNS instance name (default \"homeca on <host>\")")
                        .required(false)
                        .repeatable(false)
                        .argument("NAME"));
  options.addOption(Option("dev", "",
                           "development mode: unprivileged port on loopback; "
                           "needs --data-dir")
                        .required(false)
                        .repeatable(false));
}

void HomecadApp::handleOption(const std::string& name, const std::string& value) {
  ServerApplication::handleOption(name, value);
  if (name == "help") {
    help_requested_ = true;
    stopOptionsProcessing();
    return;
  }
  if (name == "version") {
    version_requested_ = true;
    stopOptionsProcessing();
    return;
  }
  config().setString("homecad.option." + name, value);
}

void HomecadApp::DisplayHelp() {
  Poco::Util::HelpFormatter help(options());
  help.setCommand(commandName());
  help.setUsage("[options]");
  help.setHeader(
      "homecad: the homeca appliance daemon (enrollment and admin pages over HTTPS, "
      "onboarding over HTTP).");
  help.format(std::cout);
}

int HomecadApp::main(const std::vector<std::string>&) {
  if (help_requested_) {
    DisplayHelp();
    return EXIT_OK;
  }
  if (version_requested_) {
    std::cout << "homecad " << HomecaVersion() << "\n";
    return EXIT_OK;
  }
  Poco::Logger& log = logger();
  auto config = LoadDaemonConfig(this->config());
  if (!config.ok()) {
    log.fatal(config.status().message());
    return EXIT_CONFIG;
  }
  ApplyLogLevel(config->log_level);
  auto authority = OpenOrCreate(*config, log);
  if (!authority.ok()) {
    log.fatal(authority.status().message());
    return EXIT_CANTCREAT;
  }
  ca::Authority& ca = **authority;
  RefreshCrl(ca, log);  // it may have gone stale while homecad was stopped
  const std::vector<std::string> names = DefaultServerNames(ca, config->server_names);
  auto identity = EnsureServerIdentity(ca, names);
  if (!identity.ok()) {
    log.fatal(identity.status().message());
    return EXIT_SOFTWARE;
  }
  CaDiscovery discovery({config->mdns, config->mdns_name, HexEncode(ca.root().FingerprintSha256())},
                        log);
  // Where devices are, published for the LAN's resolvers and over mDNS.
  std::unique_ptr<names::NameExporter> exporter;
  if (!config->names_export_dir.empty()) {
    exporter = std::make_unique<names::NameExporter>(config->names_export_dir,
                                                     config->names_reload_command, log);
  }
  names::NameDirectory directory(ca, exporter.get(), discovery.mdns(), log);
  enroll::EnrollmentOptions enroll_options;
  enroll_options.server_cert_sha256 = identity->leaf_sha256;
  enroll_options.max_exchanges_per_minute = config->max_exchanges_per_minute;
  enroll_options.on_device_contact = [&directory](const enroll::DeviceContact& contact) {
    directory.OnDeviceContact(contact.certificate_id, contact.address, contact.how);
  };
  enroll::EnrollmentService enrollment(ca, enroll_options);
  // ACME under /acme/ (docs/acme.md); its URLs are known once the port is.
  enroll::acme::AcmeServiceOptions acme_options;
  acme_options.certificates_per_day = config->acme_certificates_per_day;
  enroll::acme::AcmeService acme(ca, acme_options);
  WebUi web(ca, enrollment, log, &discovery, &acme);
  web.context().SetNames(&directory);
  directory.Start();
  HttpsListener listener(web.https_router(), ca.data_dir().root_cert(),
                         {config->bind_address, config->https_port});
  try {
    listener.Start(*identity);
  } catch (const Poco::Exception& e) {
    log.fatal("cannot listen on %s:%hu: %s", config->bind_address, config->https_port,
              e.displayText());
    return EXIT_OSERR;
  }
  // Known only now: https_port 0 means any free port.
  const std::string admin_base = AdminBaseUrl(*config, names.front(), listener.port());
  enrollment.SetRenewUrl(admin_base + "/enroll/v1/renew");
  log.information("homecad listening on https://%s:%hu (enrollment at /enroll/v1/)",
                  config->bind_address, listener.port());
  try {
    web.Start(*config, names, listener.port());
    acme.SetOrigin(admin_base);
    log.information("ACME directory at %s", acme.DirectoryUrl());
  } catch (const Poco::Exception& e) {
    log.fatal("cannot listen on %s:%hu (plain HTTP): %s", config->bind_address, config->http_port,
              e.displayText());
    return EXIT_OSERR;
  }
  log.information("root CA: %s, SHA-256 %s", ca.root().SubjectCommonName(),
                  ca::RootFingerprint(ca.root()));
  if (ca::HasDirectoryNameConstraint(ca.root())) {
    log.warning(
        "this CA's root carries a directoryName name constraint (CAs made before 2026-12): Go "
        "programs (lego, Caddy, Traefik) refuse every certificate under it with \"x509: "
        "unhandled critical extension\"; browsers, phones, curl and OpenSSL are unaffected. Only "
        "a new root fixes it (docs/ca.md, \"No directory names\")");
  }
  discovery.Publish(listener.port());

  // The daemon's own certificate renews itself, checked hourly.
  IdentityRenewer served(ca, enrollment, listener, names, *identity);
  Poco::Util::Timer timer;
  auto renew = [&] {
    auto renewed = served.RenewIfDue();
    if (!renewed.ok()) {
      log.error("renewing the daemon's certificate failed: %s", renewed.status().message());
    } else if (*renewed) {
      log.information("renewed the daemon's certificate; valid until %s",
                      ca::FormatTime(served.current().not_after));
    }
  };
  timer.schedule(Poco::Util::Timer::func(std::function<void()>(renew)), kRenewalCheckMillis,
                 kRenewalCheckMillis);
  // The CRL, checked hourly on the same timer, republished daily.
  auto refresh_crl = [&] { RefreshCrl(ca, log); };
  timer.schedule(Poco::Util::Timer::func(std::function<void()>(refresh_crl)), kRenewalCheckMillis,
                 kRenewalCheckMillis);
  DaemonConfig running = *config;
  HangupSignal hangup([&] {
    ReloadDaemon(this->config(), running,
                 {ca, enrollment, served, listener.port(), exporter.get(), &acme, &web.context()},
                 log);
  });
  waitForTerminationRequest();
  log.information("homecad stopping");
  timer.cancel(true);
  discovery.Withdraw();  // leave the LAN before the ports close
  web.Stop();
  listener.Stop();
  return EXIT_OK;
}

}  // namespace homeca::webui
