// The web UI's static files (webui/assets/), compiled into the binary by
// webui/assets/embed_assets.cmake.
//
// Thread-safety: immutable data.
#pragma once

#include <string_view>

namespace homeca::webui {

struct EmbeddedAsset {
  std::string_view path;       // "/assets/app.css"
  std::string_view mime_type;  // "text/css; charset=utf-8"
  std::string_view body;
};

// nullptr when there is no asset at `path`.
const EmbeddedAsset* FindEmbeddedAsset(std::string_view path);

}  // namespace homeca::webui
