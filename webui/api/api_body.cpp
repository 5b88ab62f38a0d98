#include "webui/api/api_body.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include "enroll/pairing_admin.h"

namespace homeca::webui {

Poco::JSON::Object::Ptr ParseJsonObjectBody(const std::string& body) {
  if (body.find_first_not_of(" \t\r\n") == std::string::npos) {
    return new Poco::JSON::Object;
  }
  try {
    Poco::JSON::Parser parser;
    Poco::Dynamic::Var parsed = parser.parse(body);
    if (parsed.type() == typeid(Poco::JSON::Object::Ptr)) {
      return parsed.extract<Poco::JSON::Object::Ptr>();
    }
  } catch (const Poco::Exception&) {
  }
  return nullptr;
}

std::optional<std::string> StringMember(const Poco::JSON::Object::Ptr& body, const std::string& key,
                                        const std::string& fallback) {
  if (!body->has(key)) return fallback;
  Poco::Dynamic::Var value = body->get(key);
  if (!value.isString()) return std::nullopt;
  return value.extract<std::string>();
}

std::optional<bool> BoolMember(const Poco::JSON::Object::Ptr& body, const std::string& key,
                               bool fallback) {
  if (!body->has(key)) return fallback;
  Poco::Dynamic::Var value = body->get(key);
  if (value.type() != typeid(bool)) return std::nullopt;
  return value.extract<bool>();
}

std::optional<std::vector<std::string>> NamesMember(const Poco::JSON::Object::Ptr& body) {
  if (body->has("names")) {
    Poco::JSON::Array::Ptr array = body->getArray("names");
    if (array.isNull()) return std::nullopt;
    std::vector<std::string> names;
    for (std::size_t i = 0; i < array->size(); ++i) {
      Poco::Dynamic::Var item = array->get(static_cast<unsigned>(i));
      if (!item.isString()) return std::nullopt;
      names.push_back(item.extract<std::string>());
    }
    return names;
  }
  std::optional<std::string> name = StringMember(body, "name");
  if (!name) return std::nullopt;
  if (name->empty()) return std::vector<std::string>{};
  return std::vector<std::string>{*name};
}

std::optional<std::int64_t> TtlSecondsMember(const Poco::JSON::Object::Ptr& body) {
  if (!body->has("ttl_minutes")) return enroll::kDefaultPairingTtlSeconds;
  Poco::Dynamic::Var value = body->get("ttl_minutes");
  if (!value.isInteger()) return std::nullopt;
  std::int64_t minutes = 0;
  try {
    minutes = value.convert<std::int64_t>();
  } catch (const Poco::Exception&) {  // an unsigned value above INT64_MAX
    return std::nullopt;
  }
  // Range-check the minutes, not the product: a huge count times 60
  // overflows (undefined behaviour), and 2^62 + 10 minutes wrapped to exactly
  // 600 seconds, a lifetime the pairing's own check accepts.
  if (minutes < enroll::kMinPairingTtlSeconds / 60 ||
      minutes > enroll::kMaxPairingTtlSeconds / 60) {
    return std::nullopt;
  }
  return minutes * 60;
}

}  // namespace homeca::webui
