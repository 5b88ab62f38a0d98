#include "webui/names/bounded_command.h"

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

#include "webui/names/name_map.h"

extern char** environ;

namespace homeca::webui::names {
namespace {

constexpr std::size_t kMaxOutput = 4096;
constexpr std::size_t kMaxLoggedLine = 300;  // an error message with a path or two

class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() { Reset(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  void Reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

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

std::string FirstLine(const std::string& output) {
  std::size_t start = output.find_first_not_of(" \t\r\n");
  if (start == std::string::npos) return {};
  std::size_t end = output.find('\n', start);
  return Printable(output.substr(start, end == std::string::npos ? std::string::npos : end - start),
                   kMaxLoggedLine);
}

Status Failure(const std::vector<std::string>& argv, const std::string& what,
               const std::string& output) {
  const std::string line = FirstLine(output);
  return Status::Io("reload command " + DescribeCommand(argv) + " " + what +
                    (line.empty() ? "" : ": " + line));
}

std::string Duration(std::chrono::milliseconds span) {
  if (span.count() % 1000 == 0) return std::to_string(span.count() / 1000) + " s";
  return std::to_string(span.count()) + " ms";
}

}  // namespace

std::string DescribeCommand(const std::vector<std::string>& argv) {
  std::string out;
  for (const std::string& word : argv) {
    const bool plain = !word.empty() && word.find_first_of(" \t'\"\\$`") == std::string::npos;
    out += (out.empty() ? "" : " ") + (plain ? Printable(word) : "'" + Printable(word) + "'");
  }
  return out;
}

Status RunBoundedCommand(const std::vector<std::string>& argv, std::chrono::milliseconds timeout) {
  if (argv.empty()) return Status::InvalidArgument("reload command: empty");
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
    return Status::Io(std::string("reload command: cannot create a pipe: ") + std::strerror(errno));
  }
  Fd read_end(pipe_fds[0]);
  Fd write_end(pipe_fds[1]);

  SpawnSetup setup;
  // homecad blocks its termination and reload signals in every thread, and
  // the child would inherit that mask; ignored signals stay ignored across
  // exec, so the ones that matter get their default action back.
  sigset_t empty;
  sigset_t defaults;
  sigemptyset(&empty);
  sigemptyset(&defaults);
  for (int signal : {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGPIPE, SIGCHLD}) {
    sigaddset(&defaults, signal);
  }
  ::posix_spawnattr_setsigmask(setup.attr(), &empty);
  ::posix_spawnattr_setsigdefault(setup.attr(), &defaults);
  ::posix_spawnattr_setpgroup(setup.attr(), 0);  // its own group: killed as one at the deadline
  ::posix_spawnattr_setflags(
      setup.attr(), POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
  ::posix_spawn_file_actions_addopen(setup.actions(), STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  ::posix_spawn_file_actions_adddup2(setup.actions(), write_end.get(), STDOUT_FILENO);
  ::posix_spawn_file_actions_adddup2(setup.actions(), write_end.get(), STDERR_FILENO);

  std::vector<std::string> words = argv;
  std::vector<char*> args;
  for (std::string& word : words) args.push_back(word.data());
  args.push_back(nullptr);
  pid_t pid = 0;
  const int rc = ::posix_spawnp(&pid, args[0], setup.actions(), setup.attr(), args.data(), environ);
  write_end.Reset();  // EOF on the read end once the command (and its children) close it
  if (rc != 0) return Failure(argv, std::string("cannot start: ") + std::strerror(rc), "");

  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string output;
  int status = 0;
  bool exited = false;
  bool pipe_open = true;
  while (!exited) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    if (pipe_open) {
      // Short polls: the command may exit while a child of its own keeps the pipe open.
      pollfd poll_fd{read_end.get(), POLLIN, 0};
      const int ready =
          ::poll(&poll_fd, 1, static_cast<int>(std::min<std::int64_t>(left.count(), 20)));
      if (ready > 0) {
        char buffer[1024];
        const ssize_t n = ::read(read_end.get(), buffer, sizeof buffer);
        if (n > 0 && output.size() < kMaxOutput) {
          output.append(buffer, static_cast<std::size_t>(n));
        } else if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) {
          pipe_open = false;
        }
      }
    } else {
      ::usleep(5000);
    }
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) exited = true;
    if (done < 0 && errno != EINTR) {
      return Status::Io(std::string("reload command: waitpid: ") + std::strerror(errno));
    }
  }
  if (!exited) {
    ::kill(-pid, SIGKILL);
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return Failure(argv, "did not finish within " + Duration(timeout) + " and was killed", output);
  }
  // What it wrote just before exiting (a child of its own may hold the pipe:
  // take what is there, never wait for more).
  for (int i = 0; pipe_open && output.size() < kMaxOutput && i < 4; ++i) {
    pollfd poll_fd{read_end.get(), POLLIN, 0};
    char buffer[1024];
    if (::poll(&poll_fd, 1, 0) <= 0) break;
    const ssize_t n = ::read(read_end.get(), buffer, sizeof buffer);
    if (n <= 0) break;
    output.append(buffer, static_cast<std::size_t>(n));
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return Status::Ok();
  if (WIFEXITED(status)) {
    return Failure(argv, "exited with status " + std::to_string(WEXITSTATUS(status)), output);
  }
  return Failure(argv, "was killed by signal " + std::to_string(WTERMSIG(status)), output);
}

}  // namespace homeca::webui::names
