// Test support: a program started in the background (a daemon under test),
// with its output captured to a file, stopped with SIGTERM (then SIGKILL)
// when the object goes away, so even a failed test leaves nothing running.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace homeca::testing {

class BackgroundProcess {
 public:
  BackgroundProcess(const std::vector<std::string>& argv, const std::filesystem::path& log_file);
  ~BackgroundProcess();
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;

  pid_t pid() const { return pid_; }
  bool Running();
  // Waits until `needle` appears in the log, the process exits, or `timeout`.
  bool WaitForLog(const std::string& needle,
                  std::chrono::milliseconds timeout = std::chrono::seconds(20));
  std::string Log() const;
  // SIGTERM, wait up to `grace`, then SIGKILL. Returns the exit code (-1 if
  // killed by a signal).
  int Stop(std::chrono::milliseconds grace = std::chrono::seconds(5));

 private:
  pid_t pid_ = -1;
  int exit_code_ = -1;
  std::filesystem::path log_file_;
};

// A free TCP port on 127.0.0.1 (bound and released; good enough for tests).
unsigned short FreeLoopbackPort();

}  // namespace homeca::testing
