// Helpers the fuzz targets share to cut one libFuzzer input into the pieces a
// target feeds to the code under test. Seeds in tests/fuzz/corpus/ follow the
// same layout (see docs/security-checks.md), so they stay readable text.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace homeca::fuzz {

inline std::string_view AsText(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// `text` cut at every `separator`; `max_parts` bounds the work per input (the
// last part keeps the rest, separators included).
inline std::vector<std::string_view> Split(std::string_view text, char separator,
                                           std::size_t max_parts) {
  std::vector<std::string_view> parts;
  while (parts.size() + 1 < max_parts) {
    const std::size_t at = text.find(separator);
    if (at == std::string_view::npos) break;
    parts.push_back(text.substr(0, at));
    text.remove_prefix(at + 1);
  }
  parts.push_back(text);
  return parts;
}

// The first byte (0 when empty) and the rest: most targets use the first
// byte to pick which entry point an input goes to.
inline std::uint8_t TakeSelector(std::string_view& text) {
  if (text.empty()) return 0;
  const auto selector = static_cast<std::uint8_t>(text.front());
  text.remove_prefix(1);
  return selector;
}

}  // namespace homeca::fuzz
