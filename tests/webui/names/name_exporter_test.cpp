// NameExporter on a real file system with real child processes: atomic
// replacement, modes, no rewrite and no reload for an unchanged map, and a
// reload command that is run once per change with its argv intact, and
// bounded when it fails or hangs.
#include "webui/names/name_exporter.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "tests/support/process.h"
#include "tests/webui/names/log_capture.h"
#include "webui/names/render.h"

namespace homeca::webui::names {
namespace {

using homeca::testing::CapturedLog;
using homeca::testing::ReadText;
using homeca::testing::TempDir;
using homeca::testing::WriteText;
using std::chrono::milliseconds;

const NameMap kFirst = {{{"nas.home.arpa", "nas.local"}, {"192.168.1.20", "fd00::20"}}};
const NameMap kSecond = {{{"nas.home.arpa", "nas.local"}, {"192.168.1.21", "fd00::20"}}};

struct stat Stat(const std::filesystem::path& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st;
}

unsigned Mode(const std::filesystem::path& path) { return Stat(path).st_mode & 07777; }

// A umask for the length of a test (homecad runs with UMask=0077).
class ScopedUmask {
 public:
  explicit ScopedUmask(mode_t mask) : old_(::umask(mask)) {}
  ~ScopedUmask() { ::umask(old_); }

 private:
  mode_t old_;
};

// A reload command that appends its arguments, each in [brackets], as one
// line of `log`: what the command saw, with no shell in between.
std::vector<std::string> Recorder(const std::filesystem::path& log,
                                  std::vector<std::string> extra) {
  std::vector<std::string> argv = {
      "/bin/sh", "-c", "log=$1; shift; printf '[%s]' \"$@\" >>\"$log\"; echo >>\"$log\"", "sh",
      log.string()};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return argv;
}

TEST_CASE("Export writes the three files 0644 in 0755 directories, whatever the umask") {
  TempDir tmp;
  CapturedLog log;
  const ScopedUmask umask(077);
  NameExporter exporter(tmp / "export" / "names", {}, log.logger());
  auto changed = exporter.Export(kFirst);
  INFO(changed.status().message());
  REQUIRE(changed.ok());
  CHECK(*changed);
  const ExportPaths& paths = exporter.paths();
  CHECK(ReadText(paths.hosts()) == RenderHostsFile(kFirst));
  CHECK(ReadText(paths.dnsmasq_hosts()) == RenderHostsFile(kFirst));
  CHECK(ReadText(paths.unbound()) == RenderUnboundInclude(kFirst));
  for (const auto& file : {paths.hosts(), paths.dnsmasq_hosts(), paths.unbound()}) {
    INFO(file);
    CHECK(Mode(file) == 0644);
  }
  CHECK(Mode(tmp / "export") == 0755);
  CHECK(Mode(paths.dir) == 0755);
  CHECK(Mode(paths.dnsmasq_dir()) == 0755);
  // No temporary file is left behind, in either directory.
  int entries = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(paths.dir)) {
    INFO(entry.path());
    CHECK(entry.path().filename().string()[0] != '.');
    ++entries;
  }
  CHECK(entries == 4);  // hosts, unbound.conf, dnsmasq/, dnsmasq/homeca.hosts
}

TEST_CASE("an unchanged map rewrites nothing and reloads nothing") {
  TempDir tmp;
  CapturedLog log;
  const auto reloads = tmp / "reloads";
  NameExporter exporter(tmp / "names", Recorder(reloads, {"reload"}), log.logger());
  REQUIRE(exporter.Export(kFirst).ok());
  CHECK(ReadText(reloads) == "[reload]\n");
  const struct stat before = Stat(exporter.paths().dnsmasq_hosts());
  std::this_thread::sleep_for(milliseconds(20));  // a rewrite would show in the mtime

  auto again = exporter.Export(kFirst);
  REQUIRE(again.ok());
  CHECK_FALSE(*again);
  const struct stat after = Stat(exporter.paths().dnsmasq_hosts());
  CHECK(after.st_ino == before.st_ino);
  CHECK(after.st_mtim.tv_sec == before.st_mtim.tv_sec);
  CHECK(after.st_mtim.tv_nsec == before.st_mtim.tv_nsec);
  CHECK(ReadText(reloads) == "[reload]\n");
  // A .local-only change is no DNS change either.
  NameMap local_only = kFirst;
  local_only[0].names.push_back("files.local");
  REQUIRE(exporter.Export(local_only).ok());
  CHECK(ReadText(reloads) == "[reload]\n");
}

TEST_CASE("a change replaces each file by rename and runs the reload once, argv intact") {
  TempDir tmp;
  CapturedLog log;
  const auto reloads = tmp / "reloads";
  const std::vector<std::string> args = {"two words", "$HOME;`id`", "*", ""};
  NameExporter exporter(tmp / "names", Recorder(reloads, args), log.logger());
  REQUIRE(exporter.Export(kFirst).ok());
  const ino_t before = Stat(exporter.paths().dnsmasq_hosts()).st_ino;

  auto changed = exporter.Export(kSecond);
  REQUIRE(changed.ok());
  CHECK(*changed);
  // A new inode: readers holding the old file see it whole, never half written.
  CHECK(Stat(exporter.paths().dnsmasq_hosts()).st_ino != before);
  CHECK_THAT(ReadText(exporter.paths().dnsmasq_hosts()),
             Catch::Contains("192.168.1.21\tnas.home.arpa") && !Catch::Contains("192.168.1.20"));
  const std::string line = "[two words][$HOME;`id`][*][]\n";
  CHECK(ReadText(reloads) == line + line);
  CHECK(log.channel().Count("reload command", Poco::Message::PRIO_WARNING) == 0);
}

TEST_CASE("a file changed behind homecad's back is put right on the next export") {
  TempDir tmp;
  CapturedLog log;
  NameExporter exporter(tmp / "names", {}, log.logger());
  REQUIRE(exporter.Export(kFirst).ok());
  WriteText(exporter.paths().unbound(), "server:\n\tlocal-data: \"nas.home.arpa. A 10.9.9.9\"\n");
  ::chmod(exporter.paths().hosts().c_str(), 0600);
  std::filesystem::remove(exporter.paths().dnsmasq_hosts());
  auto changed = exporter.Export(kFirst);
  REQUIRE(changed.ok());
  CHECK(*changed);
  CHECK(ReadText(exporter.paths().unbound()) == RenderUnboundInclude(kFirst));
  CHECK(ReadText(exporter.paths().dnsmasq_hosts()) == RenderHostsFile(kFirst));
  CHECK(Mode(exporter.paths().hosts()) == 0644);
}

TEST_CASE("a failing reload command is logged with its output, and the export stands") {
  TempDir tmp;
  CapturedLog log;
  NameExporter exporter(tmp / "names",
                        {"/bin/sh", "-c", "echo 'cannot reach the resolver' >&2; exit 3"},
                        log.logger());
  auto changed = exporter.Export(kFirst);
  REQUIRE(changed.ok());
  CHECK(*changed);
  INFO(log.channel().All());
  CHECK(log.channel().Count("exited with status 3", Poco::Message::PRIO_WARNING) == 1);
  CHECK(log.channel().Count("cannot reach the resolver", Poco::Message::PRIO_WARNING) == 1);

  exporter.SetReloadCommand({(tmp / "no-such-program").string()});
  REQUIRE(exporter.Export(kSecond).ok());
  CHECK(log.channel().Count("cannot start", Poco::Message::PRIO_WARNING) == 1);
}

TEST_CASE("a hanging reload command is killed at the deadline, with its children") {
  TempDir tmp;
  CapturedLog log;
  const auto pid_file = tmp / "child.pid";
  // The shell starts a child of its own and waits for it: both must go.
  NameExporter exporter(tmp / "names",
                        {"/bin/sh", "-c", "sleep 60 & echo $! >\"$0\"; wait", pid_file.string()},
                        log.logger(), milliseconds(300));
  const auto start = std::chrono::steady_clock::now();
  auto changed = exporter.Export(kFirst);
  const auto took = std::chrono::steady_clock::now() - start;
  REQUIRE(changed.ok());
  CHECK(*changed);
  CHECK(took >= milliseconds(300));
  CHECK(took < milliseconds(3000));
  INFO(log.channel().All());
  CHECK(log.channel().Count("did not finish within", Poco::Message::PRIO_WARNING) == 1);
  // Gone, or a zombie waiting for a reaper (PID 1 in a container may not reap).
  const std::string stat_file = "/proc/" + std::to_string(std::stoi(ReadText(pid_file))) + "/stat";
  bool gone = false;
  for (int i = 0; i < 100 && !gone; ++i) {
    const std::string stat = ReadText(stat_file);  // empty once the process is gone
    const std::size_t paren = stat.rfind(')');
    gone = stat.empty() || (paren != std::string::npos && stat.compare(paren, 3, ") Z") == 0);
    if (!gone) std::this_thread::sleep_for(milliseconds(10));
  }
  CHECK(gone);
}

TEST_CASE("a directory that cannot be written is an error, and no reload runs") {
  TempDir tmp;
  CapturedLog log;
  WriteText(tmp / "a-file", "not a directory\n");
  const auto reloads = tmp / "reloads";
  NameExporter exporter(tmp / "a-file" / "names", Recorder(reloads, {}), log.logger());
  auto changed = exporter.Export(kFirst);
  REQUIRE_FALSE(changed.ok());
  CHECK_THAT(changed.status().message(), Catch::Contains((tmp / "a-file").string()));
  CHECK_FALSE(std::filesystem::exists(reloads));
}

TEST_CASE("refused entries are logged as warnings once, not on every export") {
  TempDir tmp;
  CapturedLog log;
  NameExporter exporter(tmp / "names", {}, log.logger());
  NameMap map = kFirst;
  map[0].names.push_back("evil.home.arpa\n10.0.0.1 bank.example");
  REQUIRE(exporter.Export(map).ok());
  REQUIRE(exporter.Export(map).ok());
  INFO(log.channel().All());
  CHECK(log.channel().Count("evil.home.arpa\\x0a10.0.0.1", Poco::Message::PRIO_WARNING) == 1);
  for (const auto& line : log.channel().lines()) CHECK(line.text.find('\n') == std::string::npos);
  CHECK_THAT(ReadText(exporter.paths().hosts()), !Catch::Contains("bank"));
}

}  // namespace
}  // namespace homeca::webui::names
