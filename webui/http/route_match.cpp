#include "webui/http/route_match.h"

namespace homeca::webui {

bool MatchRoute(std::string_view pattern, std::string_view path, std::vector<std::string>& params) {
  params.clear();
  for (;;) {
    const std::size_t p_end = pattern.find('/', 1);
    const std::size_t s_end = path.find('/', 1);
    const std::string_view p_seg = pattern.substr(0, p_end);
    const std::string_view s_seg = path.substr(0, s_end);
    if (p_seg == "/{}") {
      if (s_seg.size() < 2 || s_seg[0] != '/') return false;
      params.emplace_back(s_seg.substr(1));
    } else if (p_seg != s_seg) {
      return false;
    }
    if (p_end == std::string_view::npos || s_end == std::string_view::npos) {
      return p_end == std::string_view::npos && s_end == std::string_view::npos;
    }
    pattern = pattern.substr(p_end);
    path = path.substr(s_end);
  }
}

}  // namespace homeca::webui
