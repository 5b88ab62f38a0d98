// The resolver reload action of the name export: an admin-configured command
// (an argv, no shell) run by RunCommand (ca/base/command_runner.h: /dev/null
// in, output captured, default signals, its own process group killed at the
// deadline), and what it did, in the words of homecad's log.
//
// Thread-safety: reentrant; each call owns its child. Needs SIGCHLD not set
// to SIG_IGN (the child is reaped with waitpid).
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "ca/base/status.h"

namespace homeca::webui::names {

// Ok if the command exited with status 0 within `timeout`. Otherwise an Io
// status saying what happened ("exited with status 3", "was killed by signal
// 9", "did not finish within 10 s and was killed", "cannot start: ...") and
// the first line of its output, if any, escaped for a log.
Status RunBoundedCommand(const std::vector<std::string>& argv, std::chrono::milliseconds timeout);

// `argv` as one line for a log, words with spaces or quotes in single quotes.
std::string DescribeCommand(const std::vector<std::string>& argv);

}  // namespace homeca::webui::names
