// Reading the JSON API's request bodies (docs/api.md): the body as one JSON
// object, and the typed members the endpoints take. Pure functions over
// untrusted text; no HTTP, no store, so the fuzz target
// tests/fuzz/fuzz_api_body.cpp drives exactly what the endpoints run.
//
// Every reader returns std::nullopt for a member that is present but
// malformed; the endpoint answers 400 then.
//
// Thread-safety: pure functions.
#pragma once

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace homeca::webui {

// The body as a JSON object; null when it is not exactly one (never throws).
// A body of only whitespace is an empty object. Takes the caller's string
// so no copy of a pairing code is left behind (the caller cleanses it).
Poco::JSON::Object::Ptr ParseJsonObjectBody(const std::string& body);

// A string member: `fallback` when absent, nullopt when present but not a string.
std::optional<std::string> StringMember(const Poco::JSON::Object::Ptr& body, const std::string& key,
                                        const std::string& fallback = "");

// A JSON true or false: `fallback` when absent, nullopt for anything else
// ("true", 1, null), so a flag is never guessed from a look-alike.
std::optional<bool> BoolMember(const Poco::JSON::Object::Ptr& body, const std::string& key,
                               bool fallback = false);

// "names": ["nas", ...] or "name": "nas" (absent or "": no names).
std::optional<std::vector<std::string>> NamesMember(const Poco::JSON::Object::Ptr& body);

// "ttl_minutes" as seconds: the pairing default when absent; nullopt unless an
// integer from 1 to 1440 (a day, enroll::kMaxPairingTtlSeconds).
std::optional<std::int64_t> TtlSecondsMember(const Poco::JSON::Object::Ptr& body);

}  // namespace homeca::webui
