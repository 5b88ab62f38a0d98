#include <iostream>

#include "ca/base/command_runner.h"
#include "ca/base/encoding.h"
#include "ca/base/relative_time.h"
#include "ca/x509/certificate.h"
#include "enroll/cli/commands.h"

namespace homeca::enroll_cli {

std::vector<OptionSpec> CommonOptions(bool network) {
  std::vector<OptionSpec> options = {
      {"dir", "DIR",
       std::string("state directory; default for every file (default ") + enroll::kDefaultStateDir +
           "); without it, --cert's directory "
           "keeps the state"},
      {"key", "FILE", "the device's private key (default DIR/key.pem, mode 0600)"},
      {"cert", "FILE", "the leaf certificate (default DIR/cert.pem)"},
      {"chain", "FILE", "leaf + intermediate, for a TLS server (default DIR/chain.pem)"},
      {"root", "FILE", "the CA's root certificate (default DIR/root.pem)"},
  };
  if (network) {
    options.push_back({"timeout", "SECONDS",
                       "network timeout per step (default 10 s connect, "
                       "30 s read)"});
  }
  return options;
}

bool ParseOrExit(const CommandSpec& spec, const Args& args, ParsedArgs& parsed, int& exit_code) {
  Result<ParsedArgs> result = ParseArgs(spec, args);
  if (!result.ok()) {
    exit_code = Error(result.status().message(), kExitUsage);
    return false;
  }
  if (result->help()) {
    std::cout << HelpText(spec);
    exit_code = 0;
    return false;
  }
  parsed = std::move(result).value();
  return true;
}

Result<enroll::EnrollerConfig> ConfigFrom(const ParsedArgs& args) {
  enroll::EnrollerConfig config;
  const std::optional<std::string> dir = args.Get("dir");
  if (dir) {
    if (dir->empty()) return Status::InvalidArgument("--dir is empty");
    config.paths = enroll::DevicePaths::Under(*dir);
  }
  for (auto [name, member] :
       {std::pair{"key", &enroll::DevicePaths::key}, std::pair{"cert", &enroll::DevicePaths::cert},
        std::pair{"chain", &enroll::DevicePaths::chain},
        std::pair{"root", &enroll::DevicePaths::root}}) {
    if (auto path = args.Get(name)) {
      if (path->empty()) return Status::InvalidArgument("--" + std::string(name) + " is empty");
      config.paths.*member = *path;
    }
  }
  // Files placed one by one, without a state directory: keep the state beside
  // the certificate rather than in a directory shared with other setups.
  if (!dir && args.Has("cert")) {
    config.paths.state = enroll::DevicePaths::StateBeside(config.paths.cert);
  }
  if (auto url = args.Get("ca")) config.ca_url = *url;
  if (auto id = args.Get("device-id")) config.device_id = *id;
  if (auto hint = args.Get("name-hint")) config.name_hint = *hint;
  if (auto timeout = args.Get("timeout")) {
    Result<int> seconds = cli::ParseInt("timeout", *timeout, 1, 3600, "seconds");
    if (!seconds.ok()) return seconds.status();
    config.timeouts.connect = config.timeouts.io = std::chrono::seconds(*seconds);
    config.timeouts.total = std::chrono::seconds(2 * *seconds);
  }
  return config;
}

bool ReadPairingCode(std::string& code, int& exit_code) {
  if (code == "-") {
    code.clear();
    std::getline(std::cin, code);
  }
  // A mistyped code fails here, before any time is spent on the network.
  if (auto checked = enroll::CheckPairingCode(code); !checked.ok()) {
    Cleanse(code);
    exit_code = Error(checked.message() + " [" +
                      std::string(enroll::ErrorWord(enroll::ErrorOf(checked))) + "]");
    return false;
  }
  return true;
}

int Error(const std::string& message, int exit_code) {
  std::cerr << "homeca-enroll: " << message << std::endl;
  return exit_code;
}

void Log(const std::string& line) { std::cerr << "homeca-enroll: " << line << std::endl; }

std::string When(std::int64_t unix_seconds, std::int64_t now) {
  return ca::FormatTime(unix_seconds) + " (" + ca::RelativeTime(unix_seconds, now) + ")";
}

Status RunHook(const std::string& command) {
  // As the hook always ran: no deadline (a `systemctl reload` may take its
  // time), and its output goes to ours, the daemon's log.
  Result<CommandEnd> ran =
      RunCommand({"/bin/sh", "-c", command}, {.deadline = std::nullopt, .capture_output = false});
  if (!ran.ok()) return Status::Io("--exec: " + ran.status().message());
  if (ran->ok()) return Status::Ok();
  return Status::Io("--exec: the command " + ran->Describe());
}

}  // namespace homeca::enroll_cli
