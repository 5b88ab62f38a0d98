// Reading the JSON API's request bodies (webui/api/api_body.h): what the
// endpoints accept, and the hostile bodies the fuzz target
// (tests/fuzz/fuzz_api_body.cpp) turned up.
#include "webui/api/api_body.h"

#include <catch2/catch.hpp>

namespace homeca::webui {
namespace {

Poco::JSON::Object::Ptr Body(const std::string& text) {
  Poco::JSON::Object::Ptr object = ParseJsonObjectBody(text);
  REQUIRE_FALSE(object.isNull());
  return object;
}

TEST_CASE("API bodies: only a JSON object is a body, whitespace is an empty one") {
  CHECK(ParseJsonObjectBody("[1]").isNull());
  CHECK(ParseJsonObjectBody("\"nas\"").isNull());
  CHECK(ParseJsonObjectBody("{\"name\": ").isNull());
  CHECK(ParseJsonObjectBody(std::string("{}\0", 3)).isNull());
  CHECK(Body(" \r\n")->size() == 0);
  CHECK(*StringMember(Body(R"({"reason": "keyCompromise"})"), "reason") == "keyCompromise");
  CHECK_FALSE(StringMember(Body(R"({"reason": 1})"), "reason"));
  CHECK(*StringMember(Body("{}"), "reason", "unspecified") == "unspecified");
}

TEST_CASE("API bodies: names come as one name or an array of strings") {
  CHECK(*NamesMember(Body(R"({"name": "nas"})")) == std::vector<std::string>{"nas"});
  CHECK(*NamesMember(Body(R"({"names": ["nas", "tv"]})")) == std::vector<std::string>{"nas", "tv"});
  CHECK(NamesMember(Body("{}"))->empty());
  CHECK_FALSE(NamesMember(Body(R"({"names": "nas"})")));
  CHECK_FALSE(NamesMember(Body(R"({"names": ["nas", 7]})")));
}

TEST_CASE("API bodies: a flag is true or false, nothing that merely looks like one") {
  CHECK(*BoolMember(Body(R"({"acme": true})"), "acme") == true);
  CHECK(*BoolMember(Body(R"({"acme": false})"), "acme", true) == false);
  CHECK(*BoolMember(Body("{}"), "acme") == false);
  CHECK(*BoolMember(Body("{}"), "acme", true) == true);
  for (const char* text : {R"({"acme": "true"})", R"({"acme": 1})", R"({"acme": null})",
                           R"({"acme": "on"})", R"({"acme": [true]})"}) {
    INFO(text);
    CHECK_FALSE(BoolMember(Body(text), "acme"));
  }
}

TEST_CASE("API bodies: ttl_minutes is 1 to 1440 and never overflows into a valid lifetime") {
  CHECK(*TtlSecondsMember(Body("{}")) == 600);
  CHECK(*TtlSecondsMember(Body(R"({"ttl_minutes": 1})")) == 60);
  CHECK(*TtlSecondsMember(Body(R"({"ttl_minutes": 1440})")) == 86400);
  CHECK_FALSE(TtlSecondsMember(Body(R"({"ttl_minutes": 0})")));
  CHECK_FALSE(TtlSecondsMember(Body(R"({"ttl_minutes": -5})")));
  CHECK_FALSE(TtlSecondsMember(Body(R"({"ttl_minutes": 1441})")));
  CHECK_FALSE(TtlSecondsMember(Body(R"({"ttl_minutes": "10"})")));
  CHECK_FALSE(TtlSecondsMember(Body(R"({"ttl_minutes": 1.5})")));
  // 2^62 + 10 minutes: times 60 wraps (signed overflow, undefined) to exactly
  // 600 seconds, which the pairing's own check would have accepted.
  CHECK_FALSE(TtlSecondsMember(Body(R"({"ttl_minutes": 4611686018427387914})")));
  CHECK_FALSE(TtlSecondsMember(Body(R"({"ttl_minutes": 9223372036854775807})")));
  // Above INT64_MAX: Poco holds it unsigned and refuses to convert it.
  CHECK_FALSE(TtlSecondsMember(Body(R"({"ttl_minutes": 18446744073709551615})")));
}

}  // namespace
}  // namespace homeca::webui
