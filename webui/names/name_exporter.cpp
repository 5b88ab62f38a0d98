#include "webui/names/name_exporter.h"

#include <sys/stat.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "ca/base/file_util.h"
#include "webui/names/bounded_command.h"
#include "webui/names/render.h"

namespace homeca::webui::names {
namespace {

constexpr mode_t kFileMode = 0644;  // resolvers read it as their own users
constexpr mode_t kDirMode = 0755;

// Creates `dir` and missing parents with 0755 whatever the umask (homecad
// runs with UMask=0077); leaves the mode of existing directories alone.
Status MakeDirectory(const std::filesystem::path& dir) {
  std::error_code ec;
  if (std::filesystem::is_directory(dir, ec)) return Status::Ok();
  if (!dir.parent_path().empty() && dir.parent_path() != dir) {
    HOMECA_RETURN_IF_ERROR(MakeDirectory(dir.parent_path()));
  }
  HOMECA_RETURN_IF_ERROR(EnsureDirectory(dir, kDirMode));
  if (::chmod(dir.c_str(), kDirMode) != 0) {
    return Status::Io("cannot set the mode of " + dir.string() + ": " + std::strerror(errno));
  }
  return Status::Ok();
}

// True if `path` holds exactly `content` with the export's mode.
bool AlreadyWritten(const std::filesystem::path& path, const std::string& content) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
  if ((st.st_mode & 07777) != kFileMode) return false;
  if (static_cast<std::size_t>(st.st_size) != content.size()) return false;
  auto current = ReadFile(path, content.size() + 1);
  return current.ok() && *current == content;
}

}  // namespace

NameExporter::NameExporter(std::filesystem::path dir, std::vector<std::string> reload_command,
                           Poco::Logger& log, std::chrono::milliseconds reload_timeout)
    : paths_{std::move(dir)},
      log_(log),
      reload_timeout_(reload_timeout),
      reload_command_(std::move(reload_command)) {}

void NameExporter::SetReloadCommand(std::vector<std::string> reload_command) {
  std::lock_guard<std::mutex> lock(command_mutex_);
  reload_command_ = std::move(reload_command);
}

std::vector<std::string> NameExporter::ReloadCommand() const {
  std::lock_guard<std::mutex> lock(command_mutex_);
  return reload_command_;
}

Result<bool> NameExporter::Export(const NameMap& map) {
  std::lock_guard<std::mutex> lock(export_mutex_);
  const CleanedMap cleaned = CleanForDns(map);
  if (cleaned.rejected != last_rejected_) {
    for (const std::string& line : cleaned.rejected) {
      log_.warning("names: not published: %s", line);
    }
    last_rejected_ = cleaned.rejected;
  }

  const std::string hosts = RenderHostsFile(map);
  const std::string unbound = RenderUnboundInclude(map);
  const struct {
    std::filesystem::path path;
    const std::string& content;
  } files[] = {
      {paths_.hosts(), hosts},
      {paths_.dnsmasq_hosts(), hosts},
      {paths_.unbound(), unbound},
  };
  bool changed = false;
  Status first_error;
  for (const auto& file : files) {
    if (AlreadyWritten(file.path, file.content)) continue;
    Status written = MakeDirectory(file.path.parent_path());
    if (written.ok()) written = WriteFileAtomic(file.path, file.content, kFileMode);
    if (!written.ok()) {
      log_.error("names: %s", written.message());
      if (first_error.ok()) first_error = written.WithContext("name export");
      continue;
    }
    changed = true;
  }
  if (changed) {
    log_.information("names: exported %z host(s) to %s", cleaned.hosts.size(), paths_.dir.string());
    RunReload();
  }
  if (!first_error.ok()) return first_error;
  return changed;
}

void NameExporter::RunReload() {
  const std::vector<std::string> command = ReloadCommand();
  if (command.empty()) return;
  const auto start = std::chrono::steady_clock::now();
  Status ran = RunBoundedCommand(command, reload_timeout_);
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - start);
  if (ran.ok()) {
    log_.information("names: reload command %s done in %s ms", DescribeCommand(command),
                     std::to_string(took.count()));
  } else {
    log_.warning("names: %s (the files are written; the resolver may serve old answers)",
                 ran.message());
  }
}

}  // namespace homeca::webui::names
