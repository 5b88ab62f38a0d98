#include "webui/names/render.h"

namespace homeca::webui::names {

std::string RenderHostsFile(const NameMap&) { return {}; }
std::string RenderUnboundInclude(const NameMap&) { return {}; }

}  // namespace homeca::webui::names
