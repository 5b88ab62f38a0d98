// Crash safety: SIGKILL an issuing process mid-loop, then check that the
// store is intact and holds every certificate the process reported.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <set>
#include <sstream>

#include "ca/authority.h"
#include "ca/store/sqlite/sqlite_store.h"
#include "tests/support/process.h"

namespace homeca::ca {
namespace {

// Starts issue_loop, reads serials until `wanted` have been printed, kills it
// with SIGKILL, and returns every serial it printed (including any still in
// the pipe when it died).
std::vector<std::string> IssueUntilKilled(const std::filesystem::path& data_dir, int wanted) {
  int out[2];
  REQUIRE(pipe(out) == 0);
  const std::string program = testing::BuiltProgram("tests/ca/issue_loop");
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    dup2(out[1], 1);
    close(out[0]);
    close(out[1]);
    execl(program.c_str(), program.c_str(), data_dir.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(out[1]);
  std::string text;
  int lines = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  char buf[4096];
  while (lines < wanted && std::chrono::steady_clock::now() < deadline) {
    ssize_t n = read(out[0], buf, sizeof buf);
    if (n <= 0) break;
    text.append(buf, static_cast<std::size_t>(n));
    lines = static_cast<int>(std::count(text.begin(), text.end(), '\n'));
  }
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  CHECK(WIFSIGNALED(status));
  ssize_t n;
  while ((n = read(out[0], buf, sizeof buf)) > 0) text.append(buf, static_cast<std::size_t>(n));
  close(out[0]);
  std::vector<std::string> serials;
  std::istringstream in(text);
  std::string line;
  // A line cut off by the kill was never fully printed; only whole lines count.
  while (std::getline(in, line)) {
    if (!in.eof()) serials.push_back(line);
  }
  return serials;
}

TEST_CASE("kill -9 during issuance loses nothing that was reported") {
  testing::TempDir dir;
  {
    auto created = Authority::Init(dir / "ca", InitOptions{});
    REQUIRE(created.ok());
  }
  std::vector<std::string> printed;
  // Several rounds at different points raise the odds of dying mid-commit.
  for (int wanted : {20, 57, 33}) {
    auto round = IssueUntilKilled(dir / "ca", wanted);
    REQUIRE(static_cast<int>(round.size()) >= wanted);
    printed.insert(printed.end(), round.begin(), round.end());
  }
  auto store = SqliteStore::Open(dir / "ca" / "ca.db");
  REQUIRE(store.ok());
  Status integrity = (*store)->IntegrityCheck();
  INFO(integrity.message());
  CHECK(integrity.ok());
  for (const std::string& serial : printed) {
    INFO(serial);
    CHECK((*store)->FindBySerial(serial).ok());
  }
  CertificateFilter all;
  all.limit = 1000;
  auto records = (*store)->List(all);
  REQUIRE(records.ok());
  std::set<std::string> unique;
  for (const auto& r : *records) unique.insert(r.serial_hex);
  CHECK(unique.size() == records->size());
  CHECK(records->size() >= printed.size());
  // At most one issuance per round can be stored but unreported.
  CHECK(records->size() <= printed.size() + 3);
}

}  // namespace
}  // namespace homeca::ca
