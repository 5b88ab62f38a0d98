// Helpers shared by the `homeca` subcommands.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "ca/authority.h"
#include "ca/base/args.h"
#include "ca/base/status.h"

namespace homeca::cli {

// Exit codes: 0 success, 1 the operation failed, 2 the command line was wrong.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;

// Parses `args` for `spec` plus --data-dir (which every command takes),
// prints help or a usage error itself, and otherwise runs `body`. Any failed
// Status from `body` is printed as one line on stderr.
int RunCommand(const CommandSpec& spec, const std::vector<std::string>& args,
               const std::function<Status(const ParsedArgs&)>& body);

std::filesystem::path DataDirFrom(const ParsedArgs& args);
// Run as root on a data directory owned by another user (the packaged
// service's `homeca`), a command would leave root-owned files there (a 0600
// key, a database journal) that homecad cannot read: refused, naming the
// user to run as. RunCommand checks it before every command.
Status CheckNotRootInServiceDir(const std::filesystem::path& dir);
Result<std::unique_ptr<ca::Authority>> OpenAuthority(const ParsedArgs& args);

// Reads a file, or standard input for "-".
Result<std::string> ReadInput(const std::string& path, std::size_t max_bytes);
// Writes to a file atomically with `mode`, or to standard output for "" / "-".
Status WriteOutput(const std::string& path, const std::string& data, unsigned mode = 0644);

}  // namespace homeca::cli
