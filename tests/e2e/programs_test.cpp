// What the three programs say to a person before anything else works:
// --version, a data directory they may not read, a name already in use,
// `homeca pair list` in words, and example codes that pass their own check
// digit (in every help text, man page and doc). Real processes, as typed.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "enroll/pake/pairing_code.h"
#include "tests/support/process.h"

namespace homeca {
namespace {

namespace fs = std::filesystem;
using testing::ProcessResult;
using testing::Run;

ProcessResult Homeca(const fs::path& dir, std::vector<std::string> args) {
  args.insert(args.begin(), testing::BuiltProgram("ca/homeca"));
  args.push_back("--data-dir=" + (dir / "ca").string());
  return Run(args);
}

// project(homeca VERSION x.y.z ...) in the top CMakeLists.txt.
std::string ProjectVersion() {
  const std::string cmake = testing::ReadText(fs::path(HOMECA_SOURCE_DIR) / "CMakeLists.txt");
  std::smatch m;
  REQUIRE(std::regex_search(cmake, m, std::regex(R"(project\(homeca VERSION ([0-9.]+))")));
  return m[1];
}

TEST_CASE("every program prints its version, the project's") {
  const std::string version = ProjectVersion();
  for (const auto& [program, path] : std::vector<std::pair<std::string, std::string>>{
           {"homeca", "ca/homeca"},
           {"homeca-enroll", "enroll/cli/homeca-enroll"},
           {"homecad", "webui/homecad"}}) {
    INFO(program);
    ProcessResult r = Run({testing::BuiltProgram(path), "--version"});
    CHECK(r.exit_code == 0);
    CHECK(r.out == program + " " + version + "\n");
  }
}

TEST_CASE("homeca on a data directory it may not read says so, not 'run homeca init'") {
  testing::TempDir dir;
  REQUIRE(Homeca(dir.path(), {"init", "--org", "Test Home"}).exit_code == 0);
  // Readable: info says what it can know about renewal, and no more.
  ProcessResult info = Homeca(dir.path(), {"info"});
  CHECK_THAT(info.out, Catch::Contains("renewal:        each device renews itself"));
  CHECK_THAT(info.out, Catch::Contains("last renewal: none yet"));
  CHECK_THAT(info.out, Catch::Contains("overdue:      none"));
  CHECK_THAT(info.out, Catch::Contains("homecad:"));
  const std::string data = (dir.path() / "ca").string();
  // As an ordinary user: root reads everything, so the test drops to nobody.
  std::vector<std::string> argv = {testing::BuiltProgram("ca/homeca"), "info",
                                   "--data-dir=" + data};
  if (geteuid() == 0) {
    argv.insert(argv.begin(), {"setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"});
    fs::permissions(dir.path(), fs::perms::owner_all | fs::perms::others_exec);
  }
  fs::permissions(data, fs::perms::owner_all);  // 0700, the package's mode
  ProcessResult r = Run(argv);
  CHECK(r.exit_code != 0);
  CHECK_THAT(r.err, Catch::Contains("cannot read " + data +
                                    ": permission denied (run as the homeca user or with sudo)"));
  CHECK_THAT(r.err, !Catch::Contains("homeca init"));
  // No CA at all still says how to make one.
  ProcessResult none =
      Run({testing::BuiltProgram("ca/homeca"), "info", "--data-dir=" + data + "/nowhere"});
  CHECK_THAT(none.err, Catch::Contains("run 'homeca init'"));
}

TEST_CASE("homeca pair add refuses a name in use, in plain words, until --replace") {
  testing::TempDir dir;
  REQUIRE(Homeca(dir.path(), {"init", "--org", "Test Home"}).exit_code == 0);
  REQUIRE(Homeca(dir.path(), {"pair", "add", "--name", "nas"}).exit_code == 0);
  ProcessResult again = Homeca(dir.path(), {"pair", "add", "--name", "nas"});
  CHECK(again.exit_code != 0);
  CHECK_THAT(again.err,
             Catch::Contains("nas.home.arpa is already waiting to pair (pairing 1). Make a new "
                             "code on that pairing, or replace it: its code stops working. Add "
                             "--replace to do so."));
  ProcessResult replaced = Homeca(dir.path(), {"pair", "add", "--name", "nas", "--replace"});
  INFO(replaced.err);
  CHECK(replaced.exit_code == 0);
  CHECK_THAT(replaced.out, Catch::Contains("(pairing 2)"));

  ProcessResult list = Homeca(dir.path(), {"pair", "list"});
  CHECK_THAT(list.out, Catch::Contains("ATTEMPTS LEFT"));
  CHECK_THAT(list.out, Catch::Contains("cancelled"));
  CHECK_THAT(list.out, Catch::Contains("waiting"));
  CHECK_THAT(list.out, Catch::Contains("5 of 5"));
  for (const char* word : {"armed", "slot ", "slot:"}) {
    INFO(word);
    CHECK(list.out.find(word) == std::string::npos);
  }
  ProcessResult fresh = Homeca(dir.path(), {"pair", "new-code", "2"});
  INFO(fresh.err);
  CHECK(fresh.exit_code == 0);
  CHECK_THAT(fresh.out, Catch::Contains("(pairing 3)"));
  CHECK(Homeca(dir.path(), {"pair", "new-code", "1"}).exit_code != 0);  // cancelled
}

// Every DDDD-DDDD-DDDD in `text`.
std::vector<std::string> ExampleCodes(const std::string& text) {
  std::vector<std::string> out;
  const std::regex code(R"((^|[^0-9-])([0-9]{4}-[0-9]{4}-[0-9]{4})($|[^0-9-]))");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), code); it != std::sregex_iterator();
       ++it) {
    out.push_back((*it)[2]);
  }
  return out;
}

TEST_CASE("every example code in help, man pages, docs and pages passes its own check digit") {
  std::vector<std::pair<std::string, std::string>> texts;  // where, text
  const fs::path source(HOMECA_SOURCE_DIR);
  for (const fs::path& root : {source / "docs", source / "packaging" / "man", source / "enroll",
                               source / "webui" / "pages", source / "ca" / "cli"}) {
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
      if (entry.is_regular_file()) {
        texts.emplace_back(entry.path().string(), testing::ReadText(entry.path()));
      }
    }
  }
  texts.emplace_back("README.md", testing::ReadText(source / "README.md"));
  for (const std::vector<std::string>& help :
       std::vector<std::vector<std::string>>{{"enroll/cli/homeca-enroll", "pair", "--help"},
                                             {"enroll/cli/homeca-enroll", "wait", "--help"},
                                             {"ca/homeca", "pair", "add", "--help"},
                                             {"ca/homeca", "pair", "device", "--help"}}) {
    std::vector<std::string> argv = help;
    argv[0] = testing::BuiltProgram(argv[0]);
    ProcessResult r = Run(argv);
    texts.emplace_back(help[0] + " " + help[1] + " --help", r.out + r.err);
  }
  int examples = 0;
  for (const auto& [where, text] : texts) {
    for (const std::string& code : ExampleCodes(text)) {
      INFO(where << ": " << code);
      CHECK(enroll::PairingCode::Check(code) == enroll::PairingCodeProblem::kNone);
      ++examples;
    }
  }
  CHECK(examples >= 10);  // the extraction found them
}

}  // namespace
}  // namespace homeca
