// The one escaping helper, and the Html builder that routes every outside
// string through it.
#include "webui/http/html_escape.h"

#include <catch2/catch.hpp>

#include "webui/http/html.h"

namespace homeca::webui {
namespace {

TEST_CASE("EscapeHtml makes markup inert in text and in quoted attributes") {
  CHECK(EscapeHtml("<img src=x onerror=alert(1)>") == "&lt;img src=x onerror=alert(1)&gt;");
  CHECK(EscapeHtml("a\"b&c'd") == "a&quot;b&amp;c&#39;d");
  CHECK(EscapeHtml("&amp;") == "&amp;amp;");  // escaped again, never trusted as an entity
  CHECK(EscapeHtml("plain nas.home.arpa") == "plain nas.home.arpa");
  CHECK(EscapeHtml(std::string("a\0b", 3)) ==
        "a\xEF\xBF\xBD"
        "b");
  CHECK(EscapeHtml("caf\xC3\xA9") == "caf\xC3\xA9");  // UTF-8 passes through
  CHECK(EscapeHtml("").empty());
}

TEST_CASE("UrlEncode keeps only unreserved characters") {
  CHECK(UrlEncode("tv-1.living_room~") == "tv-1.living_room~");
  CHECK(UrlEncode("a b&c=d/\"<") == "a%20b%26c%3Dd%2F%22%3C");
  CHECK(UrlEncode("\xC3\xA9") == "%C3%A9");
}

TEST_CASE("Html escapes Text and passes literals and numbers") {
  Html h;
  const std::string hostile = "<script>alert('x')</script>";
  h << "<p title=\"" << Text(hostile) << "\">" << Text(hostile) << " " << 42 << "</p>";
  CHECK(h.str() ==
        "<p title=\"&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;\">"
        "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; 42</p>");
  Html outer;
  outer << "<div>" << h << "</div>";
  CHECK(outer.str() == "<div>" + h.str() + "</div>");
}

}  // namespace
}  // namespace homeca::webui
