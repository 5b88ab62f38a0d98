#include "ca/cli/common.h"

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <iterator>

#include "ca/base/file_util.h"
#include "ca/data_dir.h"

namespace homeca::cli {
namespace {

CommandSpec WithDataDir(CommandSpec spec) {
  spec.options.push_back(
      {"data-dir", "DIR", "CA data directory (default $HOMECA_DATA_DIR or /var/lib/homeca)"});
  return spec;
}

}  // namespace

int RunCommand(const CommandSpec& command, const std::vector<std::string>& args,
               const std::function<Status(const ParsedArgs&)>& body) {
  const CommandSpec spec = WithDataDir(command);
  Result<ParsedArgs> parsed = ParseArgs(spec, args);
  if (!parsed.ok()) {
    std::cerr << "homeca " << spec.name << ": " << parsed.status().message() << "\n";
    return kExitUsage;
  }
  if (parsed->help()) {
    std::cout << HelpText(spec);
    return kExitOk;
  }
  Status status = CheckNotRootInServiceDir(DataDirFrom(*parsed));
  if (status.ok()) status = body(*parsed);
  if (!status.ok()) {
    std::cerr << "homeca " << spec.name << ": " << status.message() << "\n";
    if (std::getenv("HOMECA_DEBUG") != nullptr && !status.detail().empty()) {
      std::cerr << "  detail: " << status.detail() << "\n";
    }
    return status.IsInvalidArgument() ? kExitUsage : kExitFailed;
  }
  return kExitOk;
}

Status CheckNotRootInServiceDir(const std::filesystem::path& dir) {
  struct stat st {};
  if (geteuid() != 0 || ::stat(dir.c_str(), &st) != 0 || st.st_uid == 0) return Status::Ok();
  std::string user = "#" + std::to_string(st.st_uid);
  std::vector<char> buf(16384);
  passwd pw{};
  passwd* found = nullptr;
  if (getpwuid_r(st.st_uid, &pw, buf.data(), buf.size(), &found) == 0 && found != nullptr) {
    user = found->pw_name;
  }
  return Status::PermissionDenied(
      dir.string() + " belongs to user " + user + "; run homeca as that user (sudo -u " + user +
      " homeca ...) so that homecad can still read the files it writes");
}

std::filesystem::path DataDirFrom(const ParsedArgs& args) {
  if (auto dir = args.Get("data-dir")) return *dir;
  if (const char* env = std::getenv("HOMECA_DATA_DIR"); env != nullptr && *env != '\0') return env;
  return ca::kDefaultDataDir;
}

Result<std::unique_ptr<ca::Authority>> OpenAuthority(const ParsedArgs& args) {
  return ca::Authority::Open(DataDirFrom(args));
}

Result<std::string> ReadInput(const std::string& path, std::size_t max_bytes) {
  if (path != "-") return ReadFile(path, max_bytes);
  std::string data;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, stdin)) > 0) {
    data.append(buf, n);
    if (data.size() > max_bytes) {
      return Status::InvalidArgument("input is larger than " + std::to_string(max_bytes) +
                                     " bytes");
    }
  }
  return data;
}

Status WriteOutput(const std::string& path, const std::string& data, unsigned mode) {
  if (path.empty() || path == "-") {
    std::fwrite(data.data(), 1, data.size(), stdout);
    return std::fflush(stdout) == 0 ? Status::Ok() : Status::Io("cannot write to standard output");
  }
  return WriteFileAtomic(path, data, static_cast<mode_t>(mode));
}

}  // namespace homeca::cli
