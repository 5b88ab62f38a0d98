// NameExporter: writes the name map (name_map.h) into the files real
// resolvers read, and runs the admin's reload action when they change.
//
//   <dir>/hosts                 hosts format, for addn-hosts= or /etc/hosts
//   <dir>/dnsmasq/homeca.hosts  the same, alone in a directory for dnsmasq's
//                               hostsdir= (dnsmasq >= 2.88 rereads a changed
//                               file there by itself, replacing its records)
//   <dir>/unbound.conf          an unbound include (local-data)
//
// Each file is replaced atomically (a temporary ".<name>.tmpXXXXXX" beside it,
// fsync, rename; dnsmasq ignores dot files, so it never reads one half
// written), mode 0644 whatever the umask, so resolvers running as their own
// users can read it; directories it creates get 0755. A file whose content
// and mode are already right is not touched.
//
// Ownership: holds the Logger by reference; the logger outlives it.
// Thread-safety: Export may be called from any thread; calls are serialized
// by a mutex (one runs at a time, its reload command included).
// SetReloadCommand may be called from any thread, also while Export runs
// (the next reload uses the new command).
#pragma once

#include <Poco/Logger.h>

#include <chrono>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include "ca/base/status.h"
#include "webui/names/name_map.h"

namespace homeca::webui::names {

struct ExportPaths {
  std::filesystem::path dir;

  std::filesystem::path hosts() const { return dir / "hosts"; }
  std::filesystem::path dnsmasq_dir() const { return dir / "dnsmasq"; }
  std::filesystem::path dnsmasq_hosts() const { return dnsmasq_dir() / "homeca.hosts"; }
  std::filesystem::path unbound() const { return dir / "unbound.conf"; }
};

class NameExporter {
 public:
  // A reload command that has not finished after this long is killed.
  static constexpr std::chrono::milliseconds kDefaultReloadTimeout{10000};

  // `reload_command` is an argv run without a shell (argv[0] is searched in
  // PATH); empty: no reload action.
  NameExporter(std::filesystem::path dir, std::vector<std::string> reload_command,
               Poco::Logger& log, std::chrono::milliseconds reload_timeout = kDefaultReloadTimeout);

  // Writes every file whose content changed, then, if anything changed and a
  // reload command is set, runs it (bounded by the timeout; its failure is
  // logged, not returned). Entries CleanForDns refuses are logged as
  // warnings, each time the set of refused entries changes. Returns whether
  // any file changed, or an Io error if a directory or file could not be
  // written; the other files are still written, and the reload still runs if
  // one of them changed.
  Result<bool> Export(const NameMap& map);

  // Replaces the reload command (homecad's SIGHUP reload); empty: none.
  void SetReloadCommand(std::vector<std::string> reload_command);

  const ExportPaths& paths() const { return paths_; }

 private:
  std::vector<std::string> ReloadCommand() const;
  void RunReload();

  const ExportPaths paths_;
  Poco::Logger& log_;
  const std::chrono::milliseconds reload_timeout_;
  std::mutex export_mutex_;  // one Export at a time
  mutable std::mutex command_mutex_;
  std::vector<std::string> reload_command_;  // guarded by command_mutex_
  std::vector<std::string> last_rejected_;   // guarded by export_mutex_
};

}  // namespace homeca::webui::names
