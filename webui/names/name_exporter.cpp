#include "webui/names/name_exporter.h"

namespace homeca::webui::names {

NameExporter::NameExporter(std::filesystem::path dir, std::vector<std::string> reload_command,
                           Poco::Logger& log, std::chrono::milliseconds reload_timeout)
    : paths_{std::move(dir)},
      log_(log),
      reload_timeout_(reload_timeout),
      reload_command_(std::move(reload_command)) {}

Result<bool> NameExporter::Export(const NameMap&) { return false; }

void NameExporter::SetReloadCommand(std::vector<std::string> reload_command) {
  std::lock_guard<std::mutex> lock(command_mutex_);
  reload_command_ = std::move(reload_command);
}

}  // namespace homeca::webui::names
