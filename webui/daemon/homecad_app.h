// homecad, the appliance daemon, as a Poco ServerApplication: options and
// configuration in initialize(), servers started in main(), which waits for
// the termination request and stops them. No threads are started before
// Poco daemonizes (it never does under systemd: we run in the foreground).
#pragma once

#include <Poco/Util/ServerApplication.h>

#include <string>
#include <vector>

namespace homeca::webui {

class HomecadApp : public Poco::Util::ServerApplication {
 protected:
  void initialize(Poco::Util::Application& self) override;
  void uninitialize() override;
  void defineOptions(Poco::Util::OptionSet& options) override;
  void handleOption(const std::string& name, const std::string& value) override;
  int main(const std::vector<std::string>& args) override;

 private:
  void DisplayHelp();
  bool help_requested_ = false;
  bool version_requested_ = false;
};

}  // namespace homeca::webui
