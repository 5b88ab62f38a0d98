// Strict JSON for ACME messages: one object, no member name twice at any
// depth (RFC 7515 section 5.2 lets a parser refuse duplicate header names; we
// refuse them everywhere so no two readers can see different values), no
// NUL character, bounded nesting, nothing after the object. Poco parses; a
// handler of ours watches the member names.
//
// Every failure is an AcmeError of type malformed.
// Thread-safety: pure functions.
#pragma once

#include <Poco/JSON/Object.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "ca/base/status.h"

namespace homeca::enroll::acme {

// `what` names the text in messages ("the JWS", "the protected header").
Result<Poco::JSON::Object::Ptr> ParseStrictObject(std::string_view text, std::string_view what,
                                                  std::size_t max_depth = 8);

// A member that must be a string when present: nullopt when absent, an
// error when of another type.
Result<std::optional<std::string>> OptionalString(const Poco::JSON::Object& object,
                                                  const std::string& name, std::string_view what);
// A member that must be present and a string.
Result<std::string> RequiredString(const Poco::JSON::Object& object, const std::string& name,
                                   std::string_view what);

}  // namespace homeca::enroll::acme
