#include "ca/base/encoding.h"

#include <catch2/catch.hpp>

namespace homeca {
namespace {

TEST_CASE("hex and colon hex") {
  CHECK(HexEncode(Bytes{0x00, 0xab, 0xff}) == "00abff");
  CHECK(HexDecode("00ABff") == Bytes{0x00, 0xab, 0xff});
  CHECK_FALSE(HexDecode("abc").has_value());
  CHECK_FALSE(HexDecode("zz").has_value());
  CHECK(ColonHex(Bytes{0x0a, 0xbc}) == "0A:BC");
}

TEST_CASE("base64 and base64url follow RFC 4648 test vectors") {
  // RFC 4648 section 10.
  const std::pair<const char*, const char*> vectors[] = {{"", ""},
                                                         {"f", "Zg=="},
                                                         {"fo", "Zm8="},
                                                         {"foo", "Zm9v"},
                                                         {"foob", "Zm9vYg=="},
                                                         {"fooba", "Zm9vYmE="},
                                                         {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    CHECK(Base64Encode(ToBytes(plain)) == encoded);
    CHECK(Base64Decode(encoded) == ToBytes(plain));
  }
  const Bytes tricky{0xfb, 0xff, 0xbf};
  CHECK(Base64UrlEncode(tricky) == "-_-_");
  CHECK(Base64UrlDecode("-_-_") == tricky);
  CHECK(Base64UrlDecode("Zm8") == ToBytes("fo"));
  CHECK_FALSE(Base64UrlDecode("Zm8=").has_value());  // no padding on the wire
  CHECK_FALSE(Base64UrlDecode("Zm9").has_value());   // non-canonical trailing bits
  CHECK_FALSE(Base64UrlDecode("Z").has_value());
  CHECK_FALSE(Base64UrlDecode("a+b/").has_value());  // standard alphabet refused
  CHECK_FALSE(Base64Decode("Zm9v!").has_value());
}

TEST_CASE("random bytes differ between calls") {
  CHECK(RandomBytes(16) != RandomBytes(16));
  CHECK(RandomBytes(0).empty());
}

}  // namespace
}  // namespace homeca
