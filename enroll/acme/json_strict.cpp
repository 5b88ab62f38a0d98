#include "enroll/acme/json_strict.h"

#include <Poco/Exception.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>

#include <set>
#include <vector>

#include "enroll/acme/problem.h"

namespace homeca::enroll::acme {
namespace {

// Poco keeps the last of two equal member names; this handler remembers the
// names of every open object and throws on a repeat. Arrays push an empty
// frame so their objects' names stay apart.
class DuplicateRefusingHandler : public Poco::JSON::ParseHandler {
 public:
  void reset() override {
    ParseHandler::reset();
    frames_.clear();
  }
  void startObject() override {
    frames_.emplace_back();
    ParseHandler::startObject();
  }
  void endObject() override {
    if (!frames_.empty()) frames_.pop_back();
    ParseHandler::endObject();
  }
  void startArray() override {
    frames_.emplace_back();
    ParseHandler::startArray();
  }
  void endArray() override {
    if (!frames_.empty()) frames_.pop_back();
    ParseHandler::endArray();
  }
  void key(const std::string& k) override {
    if (!frames_.empty() && !frames_.back().insert(k).second) {
      throw Poco::JSON::JSONException("duplicate member name");
    }
    ParseHandler::key(k);
  }

 private:
  std::vector<std::set<std::string>> frames_;
};

}  // namespace

Result<Poco::JSON::Object::Ptr> ParseStrictObject(std::string_view text, std::string_view what,
                                                  std::size_t max_depth) {
  const std::string name(what);
  try {
    Poco::JSON::Parser parser(new DuplicateRefusingHandler);
    parser.setDepth(max_depth);
    parser.setAllowNullByte(false);
    Poco::Dynamic::Var value = parser.parse(std::string(text));
    if (value.type() != typeid(Poco::JSON::Object::Ptr)) {
      return AcmeError(ProblemType::kMalformed, name + " is not a JSON object");
    }
    return value.extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception& e) {
    return AcmeError(ProblemType::kMalformed, name + " is not valid JSON", e.displayText());
  } catch (const std::exception& e) {
    return AcmeError(ProblemType::kMalformed, name + " is not valid JSON", e.what());
  }
}

Result<std::optional<std::string>> OptionalString(const Poco::JSON::Object& object,
                                                  const std::string& name, std::string_view what) {
  if (!object.has(name)) return std::optional<std::string>();
  Poco::Dynamic::Var value = object.get(name);
  if (!value.isString()) {
    return AcmeError(ProblemType::kMalformed,
                     std::string(what) + ": \"" + name + "\" must be a string");
  }
  return std::optional<std::string>(value.extract<std::string>());
}

Result<std::string> RequiredString(const Poco::JSON::Object& object, const std::string& name,
                                   std::string_view what) {
  Result<std::optional<std::string>> value = OptionalString(object, name, what);
  if (!value.ok()) return value.status();
  if (!value->has_value()) {
    return AcmeError(ProblemType::kMalformed, std::string(what) + ": \"" + name + "\" is missing");
  }
  return std::move(**value);
}

}  // namespace homeca::enroll::acme
