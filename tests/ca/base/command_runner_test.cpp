#include "ca/base/command_runner.h"

#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <csignal>
#include <sstream>
#include <thread>

#include "tests/support/process.h"

namespace homeca {
namespace {

using std::chrono::milliseconds;

CommandEnd Ran(const std::vector<std::string>& argv, const CommandOptions& options = {}) {
  Result<CommandEnd> ran = RunCommand(argv, options);
  INFO(ran.status().message());
  REQUIRE(ran.ok());
  return *ran;
}

CommandEnd Shell(const std::string& script, const CommandOptions& options = {}) {
  return Ran({"/bin/sh", "-c", script}, options);
}

TEST_CASE("command runner: argv as given, no shell, /dev/null in, output captured",
          "[base][command]") {
  CommandEnd echo = Ran({"echo", "$HOME", "a b", "'quoted'"});
  CHECK(echo.ok());
  CHECK(echo.output == "$HOME a b 'quoted'\n");
  // Standard input is /dev/null: cat ends at once instead of waiting.
  CommandEnd cat = Ran({"cat"}, {.deadline = milliseconds(5000)});
  CHECK(cat.ok());
  CHECK(cat.output.empty());
  // Standard error lands beside standard output.
  CHECK(Shell("echo out; echo err >&2").output == "out\nerr\n");
  // Capped, and a chatty command is not blocked by a full pipe.
  CommandEnd chatty = Shell("head -c 200000 /dev/zero | tr '\\0' x; echo done >&2",
                            {.deadline = milliseconds(10000)});
  CHECK(chatty.ok());
  CHECK(chatty.output == std::string(kMaxCommandOutput, 'x'));
}

TEST_CASE("command runner: how it ended, in one set of words", "[base][command]") {
  CHECK(Shell("exit 0").ok());
  CommandEnd three = Shell("exit 3");
  CHECK_FALSE(three.ok());
  CHECK(three.how == CommandEnd::How::kExited);
  CHECK(three.code == 3);
  CHECK(three.Describe() == "exited with status 3");
  CommandEnd killed = Shell("kill -KILL $$");
  CHECK(killed.how == CommandEnd::How::kKilledBySignal);
  CHECK(killed.code == SIGKILL);
  CHECK(killed.Describe() == "was killed by signal 9");

  Result<CommandEnd> missing = RunCommand({"/nonexistent/homeca-test-program"});
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().code() == ErrorCode::kIo);
  CHECK_THAT(missing.status().message(), Catch::StartsWith("cannot start: "));
  CHECK(RunCommand({}).status().IsInvalidArgument());
}

TEST_CASE("command runner: default signals and an empty mask, whatever ours are",
          "[base][command]") {
  // Our daemons block their termination signals and a hangup; a shell
  // ignores what it inherited as ignored. The child must die of each.
  sigset_t blocked;
  sigset_t old;
  sigemptyset(&blocked);
  sigaddset(&blocked, SIGTERM);
  sigaddset(&blocked, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &blocked, &old);
  struct sigaction ignore {};
  struct sigaction old_quit {};
  ignore.sa_handler = SIG_IGN;
  sigaction(SIGQUIT, &ignore, &old_quit);
  const CommandEnd term = Shell("kill -TERM $$; sleep 5");
  const CommandEnd hup = Shell("kill -HUP $$; sleep 5");
  const CommandEnd quit = Shell("kill -QUIT $$; sleep 5");
  sigaction(SIGQUIT, &old_quit, nullptr);
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  CHECK(term.Describe() == "was killed by signal 15");
  CHECK(hup.Describe() == "was killed by signal 1");
  CHECK(quit.Describe() == "was killed by signal 3");
}

TEST_CASE("command runner: a process group of its own, killed whole at the deadline",
          "[base][command]") {
  // Field 5 of /proc/PID/stat is the process group.
  CommandEnd group = Shell("cut -d' ' -f5 /proc/$$/stat; echo $$");
  REQUIRE(group.ok());
  std::istringstream ids(group.output);
  pid_t group_id = 0;
  pid_t shell = 0;
  ids >> group_id >> shell;
  CHECK(group_id == shell);
  CHECK(group_id != getpgrp());

  // Well inside the deadline: no effect.
  CHECK(Shell("sleep 0.1", {.deadline = milliseconds(5000)}).ok());

  testing::TempDir tmp;
  const auto pid_file = tmp / "child.pid";
  const auto start = std::chrono::steady_clock::now();
  CommandEnd hung =
      Ran({"/bin/sh", "-c", "echo waiting; sleep 60 & echo $! >\"$0\"; wait", pid_file.string()},
          {.deadline = milliseconds(300)});
  const auto took = std::chrono::steady_clock::now() - start;
  CHECK(hung.how == CommandEnd::How::kTimedOut);
  CHECK_FALSE(hung.ok());
  CHECK(hung.Describe() == "did not finish within 300 ms and was killed");
  CHECK(hung.output == "waiting\n");
  CHECK(took >= milliseconds(300));
  CHECK(took < milliseconds(3000));
  // The shell's own child went with it: gone, or a zombie for PID 1 to reap.
  const std::string stat =
      "/proc/" + std::to_string(std::stoi(testing::ReadText(pid_file))) + "/stat";
  bool gone = false;
  for (int i = 0; i < 100 && !gone; ++i) {
    const std::string text = testing::ReadText(stat);  // empty once the process is gone
    const std::size_t paren = text.rfind(')');
    gone = text.empty() || (paren != std::string::npos && text.compare(paren, 3, ") Z") == 0);
    if (!gone) std::this_thread::sleep_for(milliseconds(10));
  }
  CHECK(gone);
  CHECK(CommandEnd{CommandEnd::How::kTimedOut, 0, "", milliseconds(10000)}.Describe() ==
        "did not finish within 10 s and was killed");
}

TEST_CASE("command runner: without capture the child writes to our output", "[base][command]") {
  testing::TempDir tmp;
  const std::string file = (tmp / "stdout").string();
  // Point our standard output at a file for the call, then back.
  const int saved = dup(STDOUT_FILENO);
  const int fd = open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  REQUIRE(fd >= 0);
  dup2(fd, STDOUT_FILENO);
  close(fd);
  const CommandEnd ran =
      Shell("echo to-our-stdout; exit 4", {.deadline = std::nullopt, .capture_output = false});
  dup2(saved, STDOUT_FILENO);
  close(saved);
  CHECK(ran.code == 4);
  CHECK(ran.output.empty());
  CHECK(testing::ReadText(file) == "to-our-stdout\n");
}

}  // namespace
}  // namespace homeca
