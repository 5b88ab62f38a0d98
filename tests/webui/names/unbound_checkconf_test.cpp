// The unbound include is judged by unbound itself: unbound-checkconf reads a
// configuration that includes RenderUnboundInclude's output. (The netns test
// unbound_test.sh goes further: a running unbound answers from it.)
#include <catch2/catch.hpp>
#include <cstdlib>

#include "tests/support/process.h"
#include "webui/names/render.h"

namespace homeca::webui::names {
namespace {

using homeca::testing::ProcessResult;
using homeca::testing::Run;
using homeca::testing::TempDir;
using homeca::testing::WriteText;

// unbound-checkconf on a minimal configuration including `include_text`.
ProcessResult CheckConf(const TempDir& tmp, const std::string& include_text) {
  WriteText(tmp / "homeca.conf", include_text);
  WriteText(tmp / "unbound.conf",
            "server:\n"
            "\tchroot: \"\"\n"
            "\tusername: \"\"\n"
            "\tdirectory: \"" +
                tmp.path().string() +
                "\"\n"
                "\tpidfile: \"\"\n"
                "include: \"" +
                (tmp / "homeca.conf").string() + "\"\n");
  return Run({"unbound-checkconf", (tmp / "unbound.conf").string()});
}

bool HaveCheckconf() {
  if (homeca::testing::HaveProgram("unbound-checkconf")) return true;
  const char* ci = std::getenv("HOMECA_CI");
  if (ci != nullptr && std::string(ci) == "1") FAIL("unbound-checkconf is missing (.ci/deps)");
  WARN("unbound-checkconf is not installed (apt-get install unbound): not checked");
  return false;
}

TEST_CASE("unbound-checkconf accepts the rendered include") {
  if (!HaveCheckconf()) return;
  TempDir tmp;
  const NameMap map = {
      {{"nas.home.arpa", "files.home.arpa", "nas.local"}, {"192.168.1.20", "fd00::20"}},
      {{"music.home.arpa"}, {"192.168.1.20"}},
      {{"printer.home.arpa"}, {"10.1.2.3", "2001:db8::7"}},
      {{"evil.home.arpa\" IN A 6.6.6.6\""}, {"192.168.1.66"}},
  };
  ProcessResult checked = CheckConf(tmp, RenderUnboundInclude(map));
  INFO(checked.out << checked.err);
  CHECK(checked.exit_code == 0);
  ProcessResult empty = CheckConf(tmp, RenderUnboundInclude({}));
  INFO(empty.out << empty.err);
  CHECK(empty.exit_code == 0);
}

TEST_CASE("unbound-checkconf is a judge that can fail") {
  if (!HaveCheckconf()) return;
  TempDir tmp;
  ProcessResult broken =
      CheckConf(tmp, RenderUnboundInclude({}) + "\tlocal-data: \"nas.home.arpa. 0 IN A 1.2.3\"\n");
  CHECK(broken.exit_code != 0);
}

}  // namespace
}  // namespace homeca::webui::names
