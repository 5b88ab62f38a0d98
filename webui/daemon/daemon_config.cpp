#include "webui/daemon/daemon_config.h"

#include <Poco/AutoPtr.h>
#include <Poco/Exception.h>
#include <Poco/Logger.h>
#include <Poco/NumberParser.h>
#include <Poco/StringTokenizer.h>
#include <Poco/Util/IniFileConfiguration.h>

#include "mdns/untrusted_text.h"

namespace homeca::webui {
namespace {

// The [names] section: where the name map is exported and what reloads the
// resolver (webui/names/name_exporter.h). The command line may give them as
// --names-export-dir and --names-reload-command.
Result<std::pair<std::filesystem::path, std::vector<std::string>>> LoadNameExportConfig(
    Poco::Util::AbstractConfiguration& options, Poco::Util::AbstractConfiguration* ini,
    const std::filesystem::path& data_dir) {
  auto get = [&](const std::string& option, const std::string& key) -> std::string {
    if (options.has("homecad.option." + option))
      return options.getString("homecad.option." + option);
    if (ini != nullptr && ini->has("names." + key)) return ini->getString("names." + key);
    return "";
  };
  std::filesystem::path dir = get("names-export-dir", "export_dir");
  if (dir.empty()) {
    dir = data_dir / "names";
  } else if (!dir.is_absolute()) {
    return Status::InvalidArgument("names.export_dir '" + dir.string() +
                                   "' must be an absolute path");
  }
  const std::string command = get("names-reload-command", "reload_command");
  // Split at spaces and run without a shell (no quoting, no expansion): what
  // the file says is exactly what runs. Quotes or backslashes would suggest
  // otherwise, so they are refused rather than passed on literally.
  if (command.find_first_of("'\"\\") != std::string::npos) {
    return Status::InvalidArgument(
        "names.reload_command is split at spaces and run without a shell: quotes and "
        "backslashes are not supported (put the command in a script)");
  }
  Poco::StringTokenizer words(
      command, " \t", Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
  return std::make_pair(dir, std::vector<std::string>(words.begin(), words.end()));
}

// [acme] certificates_per_day (the file only): how many certificates one
// ACME device may get in a rolling day after its first.
Result<int> LoadAcmeCertificatesPerDay(Poco::Util::AbstractConfiguration* ini) {
  const std::string key = "acme.certificates_per_day";
  if (ini == nullptr || !ini->has(key)) return enroll::acme::kDefaultAcmeCertificatesPerDay;
  const std::string text = ini->getString(key);
  unsigned value = 0;
  if (!Poco::NumberParser::tryParseUnsigned(text, value) || value < 1 ||
      value > static_cast<unsigned>(enroll::acme::kMaxAcmeCertificatesPerDay)) {
    return Status::InvalidArgument(key + " '" + text + "' must be 1 to " +
                                   std::to_string(enroll::acme::kMaxAcmeCertificatesPerDay));
  }
  return static_cast<int>(value);
}

}  // namespace

std::string DaemonConfig::PublicUrl(const std::string& first_name,
                                    unsigned short bound_https_port) const {
  if (!public_url.empty()) return public_url;
  return "https://" + first_name +
         (bound_https_port == 443 ? "" : ":" + std::to_string(bound_https_port));
}

Result<DaemonConfig> LoadDaemonConfig(Poco::Util::AbstractConfiguration& options) {
  DaemonConfig config;
  const std::string option = "homecad.option.";
  std::string file = options.getString(option + "config", "");
  const bool file_given = !file.empty();
  if (!file_given && std::filesystem::exists(kDefaultConfigFile)) file = kDefaultConfigFile;
  Poco::AutoPtr<Poco::Util::IniFileConfiguration> ini;
  try {
    if (!file.empty()) ini = new Poco::Util::IniFileConfiguration(file);
  } catch (const Poco::Exception& e) {
    return Status::InvalidArgument("cannot read configuration " + file + ": " + e.displayText());
  }
  // Command line first, then the file, then the default.
  auto get = [&](const std::string& key, const std::string& fallback) {
    if (options.has(option + key)) return options.getString(option + key);
    if (ini && ini->has("homecad." + key)) return ini->getString("homecad." + key);
    return fallback;
  };
  config.dev = options.has(option + "dev");
  if (config.dev && !options.has(option + "data-dir")) {
    return Status::InvalidArgument("--dev needs --data-dir (a directory you own)");
  }
  config.data_dir = get("data-dir", get("data_dir", config.data_dir.string()));
  config.bind_address = get("bind", config.dev ? "127.0.0.1" : config.bind_address);
  const std::string port = get("https-port", get("https_port", config.dev ? "8443" : "443"));
  unsigned parsed = 0;
  if (!Poco::NumberParser::tryParseUnsigned(port, parsed) || parsed > 65535) {
    return Status::InvalidArgument("https port '" + port + "' is not a port number");
  }
  config.https_port = static_cast<unsigned short>(parsed);
  const std::string http_port = get("http-port", get("http_port", config.dev ? "8080" : "80"));
  if (!Poco::NumberParser::tryParseUnsigned(http_port, parsed) || parsed > 65535) {
    return Status::InvalidArgument("http port '" + http_port + "' is not a port number");
  }
  config.http_port = static_cast<unsigned short>(parsed);
  Poco::StringTokenizer names(
      get("server_names", ""), ",",
      Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
  config.server_names.assign(names.begin(), names.end());
  config.public_url = get("public_url", "");
  const std::string rate = get("exchanges-per-minute", get("exchanges_per_minute", "30"));
  unsigned rate_value = 0;
  if (!Poco::NumberParser::tryParseUnsigned(rate, rate_value) || rate_value < 1 ||
      rate_value > 1000000) {
    return Status::InvalidArgument("exchanges per minute '" + rate + "' must be 1 to 1000000");
  }
  config.max_exchanges_per_minute = static_cast<int>(rate_value);
  const std::string mdns = get("mdns", config.dev ? "off" : "on");
  if (mdns == "on" || mdns == "yes" || mdns == "true") {
    config.mdns = true;
  } else if (mdns == "off" || mdns == "no" || mdns == "false") {
    config.mdns = false;
  } else {
    return Status::InvalidArgument("mdns '" + mdns + "' must be on or off");
  }
  config.mdns_name = get("mdns-name", get("mdns_name", ""));
  bool name_changed = false;
  mdns::SanitizeText(config.mdns_name, mdns::kMaxInstanceNameBytes, &name_changed);
  if (name_changed) {
    return Status::InvalidArgument(
        "mdns name must be at most 63 bytes of UTF-8 without control characters");
  }
  auto name_export = LoadNameExportConfig(options, ini.get(), config.data_dir);
  if (!name_export.ok()) return name_export.status();
  config.names_export_dir = name_export->first;
  config.names_reload_command = name_export->second;
  Result<int> per_day = LoadAcmeCertificatesPerDay(ini.get());
  if (!per_day.ok()) return per_day.status();
  config.acme_certificates_per_day = *per_day;
  config.log_level = get("log-level", get("log_level", config.log_level));
  try {
    Poco::Logger::parseLevel(config.log_level);
  } catch (const Poco::Exception&) {
    return Status::InvalidArgument("log level '" + config.log_level +
                                   "' is not one of fatal, critical, error, warning, notice, "
                                   "information, debug, trace");
  }
  return config;
}

}  // namespace homeca::webui
