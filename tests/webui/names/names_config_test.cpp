// The name export's two configuration keys: read from the [names] section of
// homeca.conf, with their defaults, and how a SIGHUP reload treats them.
#include <Poco/AutoPtr.h>
#include <Poco/Util/MapConfiguration.h>

#include <catch2/catch.hpp>

#include "tests/support/process.h"
#include "webui/daemon/config_reload.h"
#include "webui/daemon/daemon_config.h"

namespace homeca::webui {
namespace {

using homeca::testing::TempDir;
using homeca::testing::WriteText;

Result<DaemonConfig> Load(const TempDir& tmp, const std::string& file_text) {
  WriteText(tmp / "homeca.conf", file_text);
  Poco::AutoPtr<Poco::Util::MapConfiguration> options(new Poco::Util::MapConfiguration);
  options->setString("homecad.option.config", (tmp / "homeca.conf").string());
  options->setString("homecad.option.data-dir", (tmp / "ca").string());
  return LoadDaemonConfig(*options);
}

TEST_CASE("the export directory defaults to <data dir>/names, with no reload command") {
  TempDir tmp;
  auto config = Load(tmp, "[homecad]\n");
  REQUIRE(config.ok());
  CHECK(config->names_export_dir == tmp / "ca" / "names");
  CHECK(config->names_reload_command.empty());
}

TEST_CASE("[names] export_dir and reload_command are read, the command split into argv") {
  TempDir tmp;
  auto config =
      Load(tmp,
           "[homecad]\nmdns = off\n"
           "[names]\nexport_dir = /var/lib/homeca-names\n"
           "reload_command =  /usr/sbin/unbound-control   -c /etc/unbound/x.conf reload \n");
  INFO(config.status().message());
  REQUIRE(config.ok());
  CHECK(config->names_export_dir == "/var/lib/homeca-names");
  CHECK(config->names_reload_command == std::vector<std::string>{"/usr/sbin/unbound-control", "-c",
                                                                 "/etc/unbound/x.conf", "reload"});
}

TEST_CASE("a reload command with shell quoting or a relative export dir is refused") {
  TempDir tmp;
  for (const char* command : {"sh -c 'systemctl reload dnsmasq'", "a \"b c\"", "a\\ b"}) {
    auto config = Load(tmp, std::string("[names]\nreload_command = ") + command + "\n");
    INFO(command);
    REQUIRE_FALSE(config.ok());
    CHECK_THAT(config.status().message(),
               Catch::Contains("names.reload_command") && Catch::Contains("without a shell"));
  }
  auto relative = Load(tmp, "[names]\nexport_dir = names\n");
  REQUIRE_FALSE(relative.ok());
  CHECK_THAT(relative.status().message(), Catch::Contains("names.export_dir"));
}

TEST_CASE("the packaged homeca.conf exports to /var/lib/homeca-names, with no reload command") {
  Poco::AutoPtr<Poco::Util::MapConfiguration> options(new Poco::Util::MapConfiguration);
  options->setString("homecad.option.config",
                     std::string(HOMECA_SOURCE_DIR) + "/packaging/debian/homeca.conf");
  auto config = LoadDaemonConfig(*options);
  INFO(config.status().message());
  REQUIRE(config.ok());
  CHECK(config->names_export_dir == "/var/lib/homeca-names");
  CHECK(config->names_reload_command.empty());
  CHECK(config->data_dir == "/var/lib/homeca");
}

TEST_CASE("a reload applies a new reload command, a new export dir waits for a restart") {
  DaemonConfig running;
  running.names_export_dir = "/var/lib/homeca-names";
  DaemonConfig fresh = running;
  fresh.names_reload_command = {"systemctl", "reload", "dnsmasq"};
  fresh.names_export_dir = "/srv/names";
  const ReloadPlan plan = PlanReload(running, fresh);
  CHECK(plan.changed == std::vector<std::string>{"names.reload_command"});
  CHECK(plan.needs_restart ==
        std::vector<std::string>{"names.export_dir (/var/lib/homeca-names -> /srv/names)"});
  CHECK(plan.effective.names_export_dir == "/var/lib/homeca-names");
  CHECK(plan.effective.names_reload_command == fresh.names_reload_command);
}

}  // namespace
}  // namespace homeca::webui
