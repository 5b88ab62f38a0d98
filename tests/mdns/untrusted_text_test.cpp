#include "mdns/untrusted_text.h"

#include <catch2/catch.hpp>

using homeca::mdns::ParseTxt;
using homeca::mdns::SanitizeText;

namespace {
const std::string kFffd = "\xEF\xBF\xBD";
}

TEST_CASE("sanitizing keeps plain and international text as it is") {
  bool changed = true;
  CHECK(SanitizeText("Office printer", 63, &changed) == "Office printer");
  CHECK_FALSE(changed);
  CHECK(SanitizeText("Drucker im B\xC3\xBCro \xE2\x9C\x93 \xF0\x9F\x96\xA8", 63, &changed) ==
        "Drucker im B\xC3\xBCro \xE2\x9C\x93 \xF0\x9F\x96\xA8");
  CHECK_FALSE(changed);
  // HTML is text like any other here: escaping belongs to the renderer.
  CHECK(SanitizeText("<script>alert(1)</script>", 63) == "<script>alert(1)</script>");
}

TEST_CASE("control characters, DEL, C1 and bidi overrides become U+FFFD") {
  bool changed = false;
  CHECK(SanitizeText(std::string("a\0b", 3), 63, &changed) == "a" + kFffd + "b");
  CHECK(changed);
  CHECK(SanitizeText("line\nbreak\r\ttab\x1b[31m", 63) ==
        "line" + kFffd + "break" + kFffd + kFffd + "tab" + kFffd + "[31m");
  CHECK(SanitizeText("del\x7F", 63) == "del" + kFffd);
  CHECK(SanitizeText("c1\xC2\x85", 63) == "c1" + kFffd);                        // U+0085 NEL
  CHECK(SanitizeText("\xE2\x80\xAEgnp.exe", 63) == kFffd + "gnp.exe");          // U+202E RLO
  CHECK(SanitizeText("\xE2\x81\xA6x\xE2\x81\xA9", 63) == kFffd + "x" + kFffd);  // LRI, PDI
  CHECK(SanitizeText("a\xE2\x80\xA8"
                     "b",
                     63) == "a" + kFffd + "b");  // U+2028
}

TEST_CASE("invalid UTF-8 becomes U+FFFD, one per byte") {
  CHECK(SanitizeText("\xFF", 63) == kFffd);
  CHECK(SanitizeText("\xC0\xAF", 63) == kFffd + kFffd);                    // overlong '/'
  CHECK(SanitizeText("\xED\xA0\x80", 63) == kFffd + kFffd + kFffd);        // a surrogate
  CHECK(SanitizeText("\xF4\x90\x80\x80", 63).size() == 4 * kFffd.size());  // > U+10FFFF
  CHECK(SanitizeText("ok\xE2\x82", 63) == "ok" + kFffd + kFffd);           // truncated sequence
}

TEST_CASE("text is cut to the bound on a character boundary") {
  bool changed = false;
  CHECK(SanitizeText(std::string(100, 'x'), 63, &changed) == std::string(63, 'x'));
  CHECK(changed);
  // 62 ASCII + a 2-byte letter fits exactly; one more ASCII first does not.
  CHECK(SanitizeText(std::string(61, 'x') + "\xC3\xBC", 63).size() == 63);
  CHECK(SanitizeText(std::string(62, 'x') + "\xC3\xBC", 63) == std::string(62, 'x'));
  CHECK(SanitizeText("\xF0\x9F\x96\xA8", 3).empty());
}

TEST_CASE("TXT strings parse into bounded, first-wins entries") {
  auto parsed = ParseTxt({"v=1", "FP=0123456789abcdef", "flag", "", "v=2", "path=/enroll/v1/"});
  REQUIRE(parsed.entries.size() == 4);
  CHECK(parsed.entries[0] == homeca::mdns::TxtEntry{"v", "1", true});
  CHECK(parsed.entries[1].key == "fp");  // keys are case-insensitive: lower-cased
  CHECK(parsed.entries[2] == homeca::mdns::TxtEntry{"flag", "", false});
  CHECK(parsed.entries[3].key == "path");
  CHECK(parsed.truncated);  // the second v was dropped
  CHECK(homeca::mdns::FindTxt(parsed.entries, "V") == "1");
  CHECK_FALSE(homeca::mdns::FindTxt(parsed.entries, "model"));
}

TEST_CASE("hostile TXT records are bounded") {
  std::vector<std::string> storage;
  for (int i = 0; i < 200; ++i) storage.push_back("k" + std::to_string(i) + "=v");
  storage.push_back("=no-key");
  storage.push_back(std::string(40, 'k') + "=too long a key");
  storage.push_back("bad\x01key=x");
  std::vector<std::string_view> strings(storage.begin(), storage.end());
  auto parsed = ParseTxt(strings);
  CHECK(parsed.entries.size() == homeca::mdns::kMaxTxtEntries);
  CHECK(parsed.truncated);

  auto big = ParseTxt({"model=" + std::string(5000, 'A') + "\x07"});
  REQUIRE(big.entries.size() == 1);
  CHECK(big.entries[0].value.size() == homeca::mdns::kMaxTxtValueBytes);
  CHECK(big.truncated);

  auto bad_keys = ParseTxt({"=x", std::string(33, 'k') + "=x", "k\x7f=x", "k\xC3\xA9=x"});
  CHECK(bad_keys.entries.empty());
  CHECK(bad_keys.truncated);

  auto controls = ParseTxt({"model=<b>\x1b[2J</b>"});
  REQUIRE(controls.entries.size() == 1);
  CHECK(controls.entries[0].value == "<b>" + kFffd + "[2J</b>");
}
