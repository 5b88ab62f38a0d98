// The homeca-enroll subcommands, one function each, and what they share:
// the file-path options, turning parsed options into an EnrollerConfig, and
// the one-line error convention (stderr, non-zero exit). Nothing printed here
// ever contains the pairing code or key material.
//
// Thread-safety: single-threaded CLI code.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ca/base/args.h"
#include "ca/base/status.h"
#include "enroll/device/device_enroller.h"

namespace homeca::enroll_cli {

// The parser is the admin CLI's (ca/cli/args.h): both CLIs read alike.
using cli::CommandSpec;
using cli::HelpText;
using cli::OptionSpec;
using cli::ParseArgs;
using cli::ParsedArgs;

using Args = std::vector<std::string>;

int RunPair(const Args& args);
int RunWait(const Args& args);
int RunRenew(const Args& args);
int RunDaemon(const Args& args);   // `run`
int RunCheckIn(const Args& args);  // `checkin`
int RunStatus(const Args& args);

// Exit statuses: 0 success, 1 the operation failed, 2 a usage error.
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;

// --dir, --key, --cert, --chain, --root (and --ca, --timeout when `network`).
std::vector<OptionSpec> CommonOptions(bool network);

// Parses `args` for `spec`; prints help and returns 0, or prints the error
// and returns kExitUsage, through `exit_code` when the command must stop.
bool ParseOrExit(const CommandSpec& spec, const Args& args, ParsedArgs& parsed, int& exit_code);

Result<enroll::EnrollerConfig> ConfigFrom(const ParsedArgs& args);

// Reads the code from standard input when it is "-" (which keeps it out of
// the process list), then checks it locally. When it is malformed, wipes it,
// prints why (never the code) and returns false with the exit status.
bool ReadPairingCode(std::string& code, int& exit_code);

// "homeca-enroll: <message>" on stderr; returns `exit_code`.
int Error(const std::string& message, int exit_code = kExitFailed);
// "homeca-enroll: <line>" on stderr, for the daemon's log (journald).
void Log(const std::string& line);

// What `pair` and `wait` print after pairing; returns 0.
int ReportPaired(const enroll::EnrollerConfig& config, const enroll::Enrollment& paired);

// "2026-11-23 08:49:00 UTC (in 59 days)".
std::string When(std::int64_t unix_seconds, std::int64_t now);

// Runs `command` with /bin/sh -c (RunCommand: no deadline, output to ours)
// and waits; fails unless it exits 0.
Status RunHook(const std::string& command);

}  // namespace homeca::enroll_cli
