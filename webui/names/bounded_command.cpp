#include "webui/names/bounded_command.h"

namespace homeca::webui::names {

Status RunBoundedCommand(const std::vector<std::string>&, std::chrono::milliseconds) {
  return Status::Ok();
}
std::string DescribeCommand(const std::vector<std::string>&) { return {}; }

}  // namespace homeca::webui::names
