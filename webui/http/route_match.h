// Matching a request path against a route pattern such as
// "/pairings/{}/status", where "{}" matches exactly one non-empty segment.
//
// Thread-safety: pure function.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace homeca::webui {

// True when `path` matches `pattern`; `params` receives the {} segments.
bool MatchRoute(std::string_view pattern, std::string_view path, std::vector<std::string>& params);

}  // namespace homeca::webui
