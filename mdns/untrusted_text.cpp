#include "mdns/untrusted_text.h"

#include <algorithm>
#include <cstdint>

namespace homeca::mdns {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Characters we never pass on, even when well encoded (see the header).
bool IsUnsafe(char32_t c) {
  return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) ||  // C0, DEL, C1
         c == 0x061C || c == 0x200E || c == 0x200F ||          // ALM, LRM, RLM
         (c >= 0x202A && c <= 0x202E) ||                       // LRE..RLO
         (c >= 0x2066 && c <= 0x2069) ||                       // LRI..PDI
         c == 0x2028 || c == 0x2029;                           // line/paragraph separators
}

// Decodes one UTF-8 sequence at the start of `in`. Returns its length, or 0
// if it is not a well-formed sequence (overlong forms, surrogates and values
// past U+10FFFF included: RFC 3629 section 4).
std::size_t DecodeOne(std::string_view in, char32_t& out) {
  const auto b0 = static_cast<unsigned char>(in[0]);
  if (b0 < 0x80) {
    out = b0;
    return 1;
  }
  std::size_t len = 0;
  char32_t min = 0;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2, min = 0x80, out = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3, min = 0x800, out = b0 & 0x0F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4, min = 0x10000, out = b0 & 0x07;
  } else {
    return 0;
  }
  if (in.size() < len) return 0;
  for (std::size_t i = 1; i < len; ++i) {
    const auto b = static_cast<unsigned char>(in[i]);
    if ((b & 0xC0) != 0x80) return 0;
    out = (out << 6) | (b & 0x3F);
  }
  if (out < min || out > 0x10FFFF || (out >= 0xD800 && out <= 0xDFFF)) return 0;
  return len;
}

bool IsKeyChar(char c) { return c >= 0x20 && c <= 0x7E && c != '='; }

}  // namespace

std::string SanitizeText(std::string_view raw, std::size_t max_bytes, bool* changed) {
  std::string out;
  out.reserve(std::min(raw.size(), max_bytes));
  bool altered = false;
  std::size_t i = 0;
  while (i < raw.size()) {
    char32_t c = 0;
    std::size_t len = DecodeOne(raw.substr(i), c);
    std::string_view piece;
    if (len == 0) {
      len = 1;  // one U+FFFD per byte of a broken sequence
      piece = kReplacement;
      altered = true;
    } else if (IsUnsafe(c)) {
      piece = kReplacement;
      altered = true;
    } else {
      piece = raw.substr(i, len);
    }
    if (out.size() + piece.size() > max_bytes) {
      altered = true;
      break;
    }
    out.append(piece);
    i += len;
  }
  if (changed) *changed = altered;
  return out;
}

ParsedTxt ParseTxt(const std::vector<std::string_view>& strings) {
  ParsedTxt parsed;
  for (std::string_view s : strings) {
    if (s.empty()) continue;  // RFC 6763 6.1: an empty string carries nothing
    const std::size_t eq = s.find('=');
    const std::string_view key = s.substr(0, eq);
    if (key.empty() || key.size() > kMaxTxtKeyBytes ||
        !std::all_of(key.begin(), key.end(), IsKeyChar)) {
      parsed.truncated = true;
      continue;
    }
    TxtEntry entry;
    entry.key.assign(key);
    std::transform(entry.key.begin(), entry.key.end(), entry.key.begin(),
                   [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; });
    if (FindTxt(parsed.entries, entry.key)) {
      parsed.truncated = true;  // RFC 6763 6.4: only the first occurrence counts
      continue;
    }
    if (parsed.entries.size() == kMaxTxtEntries) {
      parsed.truncated = true;
      break;
    }
    entry.has_value = eq != std::string_view::npos;
    if (entry.has_value) {
      bool changed = false;
      entry.value = SanitizeText(s.substr(eq + 1), kMaxTxtValueBytes, &changed);
      parsed.truncated = parsed.truncated || changed;
    }
    parsed.entries.push_back(std::move(entry));
  }
  return parsed;
}

}  // namespace homeca::mdns
