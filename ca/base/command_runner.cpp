#include "ca/base/command_runner.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>

#include "ca/base/unique_fd.h"

extern char** environ;

namespace homeca {
namespace {

using std::chrono::milliseconds;

// The spawn attributes, destroyed on every path.
class SpawnSetup {
 public:
  SpawnSetup() {
    ::posix_spawnattr_init(&attr_);
    ::posix_spawn_file_actions_init(&actions_);
  }
  ~SpawnSetup() {
    ::posix_spawn_file_actions_destroy(&actions_);
    ::posix_spawnattr_destroy(&attr_);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;
  posix_spawnattr_t* attr() { return &attr_; }
  posix_spawn_file_actions_t* actions() { return &actions_; }

 private:
  posix_spawnattr_t attr_;
  posix_spawn_file_actions_t actions_;
};

std::string Duration(milliseconds span) {
  if (span.count() % 1000 == 0) return std::to_string(span.count() / 1000) + " s";
  return std::to_string(span.count()) + " ms";
}

// Reads what is there into `output` (kept to kMaxCommandOutput; the rest is
// read and dropped, so a chatty child never blocks on a full pipe). False at
// end of file or on an error.
bool ReadSome(int fd, std::string& output) {
  char buffer[1024];
  const ssize_t n = ::read(fd, buffer, sizeof buffer);
  if (n > 0) {
    const std::size_t room = kMaxCommandOutput - std::min(kMaxCommandOutput, output.size());
    output.append(buffer, std::min(room, static_cast<std::size_t>(n)));
    return true;
  }
  return n < 0 && (errno == EINTR || errno == EAGAIN);
}

}  // namespace

std::string CommandEnd::Describe() const {
  switch (how) {
    case How::kExited:
      return "exited with status " + std::to_string(code);
    case How::kKilledBySignal:
      return "was killed by signal " + std::to_string(code);
    case How::kTimedOut:
      break;
  }
  return "did not finish within " + Duration(deadline) + " and was killed";
}

Result<CommandEnd> RunCommand(const std::vector<std::string>& argv, const CommandOptions& options) {
  if (argv.empty()) return Status::InvalidArgument("no command given");
  UniqueFd read_end;
  UniqueFd write_end;
  if (options.capture_output) {
    int pipe_fds[2];
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
      return Status::Io(std::string("cannot create a pipe: ") + std::strerror(errno));
    }
    read_end = UniqueFd(pipe_fds[0]);
    write_end = UniqueFd(pipe_fds[1]);
  }

  SpawnSetup setup;
  sigset_t empty;
  sigset_t all;
  sigemptyset(&empty);
  sigfillset(&all);
  ::posix_spawnattr_setsigmask(setup.attr(), &empty);
  ::posix_spawnattr_setsigdefault(setup.attr(), &all);
  ::posix_spawnattr_setpgroup(setup.attr(), 0);  // its own group: killed as one at the deadline
  ::posix_spawnattr_setflags(
      setup.attr(), POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
  ::posix_spawn_file_actions_addopen(setup.actions(), STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  if (options.capture_output) {
    ::posix_spawn_file_actions_adddup2(setup.actions(), write_end.get(), STDOUT_FILENO);
    ::posix_spawn_file_actions_adddup2(setup.actions(), write_end.get(), STDERR_FILENO);
  }

  std::vector<std::string> words = argv;
  std::vector<char*> args;
  for (std::string& word : words) args.push_back(word.data());
  args.push_back(nullptr);
  pid_t pid = 0;
  const int rc = ::posix_spawnp(&pid, args[0], setup.actions(), setup.attr(), args.data(), environ);
  write_end.Reset();  // EOF on the read end once the command (and its children) close it
  if (rc != 0) return Status::Io(std::string("cannot start: ") + std::strerror(rc));

  CommandEnd end;
  const auto started = std::chrono::steady_clock::now();
  int status = 0;
  bool exited = false;
  bool pipe_open = options.capture_output;
  while (!exited) {
    if (!pipe_open && !options.deadline) {
      // Nothing to read and no deadline: just wait.
      while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) return Status::Io(std::string("waitpid: ") + std::strerror(errno));
      }
      exited = true;
      break;
    }
    // Short slices: the command may exit while a child of its own keeps the pipe open.
    milliseconds slice(20);
    if (options.deadline) {
      const auto left = *options.deadline - std::chrono::duration_cast<milliseconds>(
                                                std::chrono::steady_clock::now() - started);
      if (left.count() <= 0) break;
      slice = std::min(slice, left);
    }
    if (pipe_open) {
      pollfd poll_fd{read_end.get(), POLLIN, 0};
      if (::poll(&poll_fd, 1, static_cast<int>(slice.count())) > 0) {
        pipe_open = ReadSome(read_end.get(), end.output);
      }
    } else {
      ::usleep(5000);
    }
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) exited = true;
    if (done < 0 && errno != EINTR) {
      return Status::Io(std::string("waitpid: ") + std::strerror(errno));
    }
  }
  if (!exited) {
    ::kill(-pid, SIGKILL);
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    end.how = CommandEnd::How::kTimedOut;
    end.deadline = *options.deadline;
    return end;
  }
  // What it wrote just before exiting (a child of its own may hold the pipe:
  // take what is there, never wait for more).
  for (int i = 0; pipe_open && i < 4; ++i) {
    pollfd poll_fd{read_end.get(), POLLIN, 0};
    if (::poll(&poll_fd, 1, 0) <= 0) break;
    pipe_open = ReadSome(read_end.get(), end.output);
  }
  if (WIFEXITED(status)) {
    end.code = WEXITSTATUS(status);
  } else {
    end.how = CommandEnd::How::kKilledBySignal;
    end.code = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
  }
  return end;
}

}  // namespace homeca
