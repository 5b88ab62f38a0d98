// RunCommand: the one way homeca runs a program an admin configured
// (homeca-enroll's --exec hook, homecad's resolver reload), and the one
// account of how it ended.
//
// The child gets the argv as given, with no shell (a caller that wants one
// passes /bin/sh -c); /dev/null as standard input; an empty signal mask and
// every signal at its default action (our programs block their termination
// and reload signals in every thread, and a mask, like an ignored signal,
// survives exec); and a process group of its own, so that at the deadline
// the whole group is killed with SIGKILL and no helper it started is left
// behind. Its standard output and error are captured (the first
// kMaxCommandOutput bytes), or, when the caller asks, written to ours.
//
// Thread-safety: reentrant; each call owns its child. Needs SIGCHLD not set
// to SIG_IGN (the child is reaped with waitpid).
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "ca/base/status.h"

namespace homeca {

inline constexpr std::size_t kMaxCommandOutput = 4096;

struct CommandOptions {
  // Killed, with its process group, once it has run this long; nullopt
  // waits as long as it runs.
  std::optional<std::chrono::milliseconds> deadline;
  // False: the child writes to our standard output and error (the log).
  bool capture_output = true;
};

// How a command that started ended.
struct CommandEnd {
  enum class How { kExited, kKilledBySignal, kTimedOut };
  How how = How::kExited;
  int code = 0;                           // the exit status, or the signal that killed it
  std::string output;                     // standard output and error, at most kMaxCommandOutput
  std::chrono::milliseconds deadline{0};  // the one it missed (kTimedOut)

  // Exited with status 0 before the deadline.
  bool ok() const { return how == How::kExited && code == 0; }
  // "exited with status 3", "was killed by signal 9", "did not finish within
  // 10 s and was killed".
  std::string Describe() const;
};

// InvalidArgument for an empty argv; Io "cannot start: <reason>" when the
// program cannot be started, or "waitpid: <reason>" when it cannot be waited
// for. Otherwise how it ended, which may be a failure of the command's own.
Result<CommandEnd> RunCommand(const std::vector<std::string>& argv,
                              const CommandOptions& options = {});

}  // namespace homeca
