#include "ca/base/device_id.h"

#include <catch2/catch.hpp>
#include <string>

namespace homeca::ca {
namespace {

TEST_CASE("a device id is 1-64 characters of A-Z a-z 0-9 . _ -") {
  for (const char* good : {"a", "tv-livingroom-7f3a", "NAS_2.local", "0", "-._"}) {
    INFO(good);
    CHECK(IsValidDeviceId(good));
  }
  CHECK(IsValidDeviceId(std::string(kMaxDeviceIdLength, 'a')));
  CHECK_FALSE(IsValidDeviceId(std::string(kMaxDeviceIdLength + 1, 'a')));
  CHECK_FALSE(IsValidDeviceId(""));
}

TEST_CASE("a device id refuses what could walk a path, break a line or mark up a page") {
  for (const char* bad : {"tv livingroom", "tv/1", "../x", "<b>", "a\nb", "a\tb", "a:b", "a@b",
                          "x\xE9", "\xC3\xA9", "\xFF"}) {
    INFO(bad);
    CHECK_FALSE(IsValidDeviceId(bad));
  }
  // An embedded NUL does not end the check early.
  CHECK_FALSE(IsValidDeviceId(std::string_view("ab\0cd", 5)));
}

// Compile-time evaluation keeps the rule a pure function of its argument.
static_assert(IsValidDeviceId("cam-7f3a"));
static_assert(!IsValidDeviceId("cam 7f3a"));

}  // namespace
}  // namespace homeca::ca
