// Html: builds a page so that escaping happens by construction. Markup can
// only come from string literals in our own source (Markup's constructor is
// consteval), and any other string must be wrapped in Text(), which escapes
// it. Writing a std::string straight into an Html does not compile.
//
//   Html h;
//   h << "<td data-testid=\"device-name\">" << Text(device.name) << "</td>";
//
// Thread-safety: a value type; one builder per thread.
#pragma once

#include <concepts>
#include <cstddef>
#include <string>
#include <string_view>

#include "webui/http/html_escape.h"

namespace homeca::webui {

// A piece of trusted template text: a string literal.
class Markup {
 public:
  template <std::size_t N>
  consteval Markup(const char (&literal)[N])  // NOLINT(google-explicit-constructor)
      : text_(literal, N - 1) {}
  std::string_view text() const { return text_; }

 private:
  std::string_view text_;
};

// Untrusted text, escaped when written. Borrows: use it within one expression.
class Text {
 public:
  explicit Text(std::string_view value) : value_(value) {}
  std::string_view value() const { return value_; }

 private:
  std::string_view value_;
};

class Html {
 public:
  Html& operator<<(Markup markup) {
    out_ += markup.text();
    return *this;
  }
  Html& operator<<(const Text& text) {
    out_ += EscapeHtml(text.value());
    return *this;
  }
  Html& operator<<(const Html& fragment) {
    out_ += fragment.out_;
    return *this;
  }
  template <std::integral N>
  requires(!std::same_as<N, char> && !std::same_as<N, bool>) Html& operator<<(N number) {
    out_ += std::to_string(number);
    return *this;
  }

  const std::string& str() const { return out_; }
  bool empty() const { return out_.empty(); }

 private:
  std::string out_;
};

// A colon-separated fingerprint that may wrap only after a colon, so a line
// never splits a byte and people can compare it pair by pair.
inline Html Fingerprint(std::string_view fingerprint) {
  Html h;
  for (std::size_t start = 0; start < fingerprint.size();) {
    std::size_t colon = fingerprint.find(':', start);
    if (colon == std::string_view::npos) colon = fingerprint.size() - 1;
    h << Text(fingerprint.substr(start, colon - start + 1));
    if (colon + 1 < fingerprint.size()) h << "<wbr>";
    start = colon + 1;
  }
  return h;
}

}  // namespace homeca::webui
