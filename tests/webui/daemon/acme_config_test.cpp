// [acme] certificates_per_day in homeca.conf: its default, its range, and
// that a SIGHUP reload applies it at once.
#include <Poco/AutoPtr.h>
#include <Poco/Util/MapConfiguration.h>

#include <catch2/catch.hpp>

#include "tests/support/process.h"
#include "webui/daemon/config_reload.h"
#include "webui/daemon/daemon_config.h"

namespace homeca::webui {
namespace {

Result<DaemonConfig> WithAcmeSection(const homeca::testing::TempDir& tmp, const std::string& acme) {
  const auto file = tmp / "acme.conf";
  homeca::testing::WriteText(file, "[homecad]\nmdns = off\n[acme]\n" + acme);
  Poco::AutoPtr<Poco::Util::MapConfiguration> options(new Poco::Util::MapConfiguration);
  options->setString("homecad.option.config", file.string());
  return LoadDaemonConfig(*options);
}

}  // namespace

TEST_CASE("acme.certificates_per_day is 10 by default, 1 to 100000, and reloads") {
  homeca::testing::TempDir tmp;
  auto unset = WithAcmeSection(tmp, "");
  REQUIRE(unset.ok());
  CHECK(unset->acme_certificates_per_day == 10);
  auto set = WithAcmeSection(tmp, "certificates_per_day = 100000\n");
  INFO(set.status().message());
  REQUIRE(set.ok());
  CHECK(set->acme_certificates_per_day == 100000);
  for (const char* bad : {"0", "100001", "-1", "ten", ""}) {
    INFO(bad);
    auto refused = WithAcmeSection(tmp, std::string("certificates_per_day = ") + bad + "\n");
    REQUIRE_FALSE(refused.ok());
    CHECK_THAT(refused.status().message(),
               Catch::Contains("acme.certificates_per_day") && Catch::Contains("1 to 100000"));
  }

  DaemonConfig fresh = *unset;
  fresh.acme_certificates_per_day = 3;
  const ReloadPlan plan = PlanReload(*unset, fresh);
  CHECK(plan.changed == std::vector<std::string>{"acme.certificates_per_day"});
  CHECK(plan.needs_restart.empty());
  CHECK(plan.effective.acme_certificates_per_day == 3);
}

}  // namespace homeca::webui
