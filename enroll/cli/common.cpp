#include <spawn.h>
#include <sys/wait.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <iostream>

#include "ca/base/encoding.h"
#include "ca/x509/certificate.h"
#include "enroll/cli/commands.h"

extern char** environ;

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
  const std::int64_t delta = unix_seconds - now;
  const std::int64_t magnitude = delta < 0 ? -delta : delta;
  std::string span;
  if (magnitude >= 2 * 86400) {
    span = std::to_string(magnitude / 86400) + " days";
  } else if (magnitude >= 2 * 3600) {
    span = std::to_string(magnitude / 3600) + " hours";
  } else if (magnitude >= 120) {
    span = std::to_string(magnitude / 60) + " minutes";
  } else {
    span = std::to_string(magnitude) + " seconds";
  }
  return ca::FormatTime(unix_seconds) + (delta < 0 ? " (" + span + " ago)" : " (in " + span + ")");
}

Status RunHook(const std::string& command) {
  // The daemon blocks SIGTERM/SIGINT to wait for them; the hook must get the
  // default dispositions and an empty mask, or `systemctl reload` could hang.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t empty;
  sigset_t defaults;
  sigemptyset(&empty);
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGTERM);
  sigaddset(&defaults, SIGINT);
  posix_spawnattr_setsigmask(&attr, &empty);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  std::string sh = "/bin/sh";
  std::string dash_c = "-c";
  std::string cmd = command;
  char* argv[] = {sh.data(), dash_c.data(), cmd.data(), nullptr};
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, "/bin/sh", nullptr, &attr, argv, environ);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) return Status::Io(std::string("--exec: cannot start /bin/sh: ") + std::strerror(rc));
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return Status::Io(std::string("--exec: ") + std::strerror(errno));
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return Status::Ok();
  if (WIFEXITED(status)) {
    return Status::Io("--exec: the command exited with status " +
                      std::to_string(WEXITSTATUS(status)));
  }
  return Status::Io("--exec: the command was killed by signal " +
                    std::to_string(WIFSIGNALED(status) ? WTERMSIG(status) : 0));
}

}  // namespace homeca::enroll_cli
