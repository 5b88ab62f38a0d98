#include "enroll/device/wire_json.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

namespace homeca::enroll {

struct JsonObject::Impl {
  Poco::JSON::Object::Ptr object;
};

struct JsonWriter::Impl {
  Poco::JSON::Object object;
};

namespace {

// Far deeper than any protocol message (two levels), shallow enough that a
// hostile answer cannot exhaust the stack.
constexpr std::size_t kMaxJsonDepth = 8;

DeviceFailure FieldError(std::string_view field, std::string_view what) {
  return Fail(DeviceError::kBadResponse,
              "the CA's answer has " + std::string(what) + " field \"" + std::string(field) + "\"");
}

DeviceFailure Missing(std::string_view field) { return FieldError(field, "no"); }
DeviceFailure WrongType(std::string_view field) { return FieldError(field, "a wrong-typed"); }

}  // namespace

DeviceResult<JsonObject> JsonObject::Parse(std::string_view text) {
  try {
    Poco::JSON::Parser parser;
    parser.setDepth(kMaxJsonDepth);
    Poco::Dynamic::Var root = parser.parse(std::string(text));
    if (root.type() != typeid(Poco::JSON::Object::Ptr)) {
      return Fail(DeviceError::kBadResponse, "the CA's answer is not a JSON object");
    }
    auto impl = std::make_shared<Impl>();
    impl->object = root.extract<Poco::JSON::Object::Ptr>();
    return JsonObject(std::move(impl));
  } catch (const Poco::Exception& e) {
    return Fail(DeviceError::kBadResponse, "the CA's answer is not valid JSON",
                SanitizeForLog(e.displayText()));
  }
}

bool JsonObject::Has(std::string_view field) const {
  return impl_->object->has(std::string(field));
}

DeviceResult<std::string> JsonObject::String(std::string_view field) const {
  const std::string key(field);
  if (!impl_->object->has(key)) return Missing(field);
  const Poco::Dynamic::Var value = impl_->object->get(key);
  if (!value.isString()) return WrongType(field);
  return value.extract<std::string>();
}

DeviceResult<std::int64_t> JsonObject::Integer(std::string_view field) const {
  const std::string key(field);
  if (!impl_->object->has(key)) return Missing(field);
  const Poco::Dynamic::Var value = impl_->object->get(key);
  if (!value.isInteger() || value.isBoolean()) return WrongType(field);
  try {
    return value.convert<Poco::Int64>();
  } catch (const Poco::Exception&) {
    return WrongType(field);  // an unsigned value beyond int64
  }
}

DeviceResult<Bytes> JsonObject::Binary(std::string_view field, std::size_t min,
                                       std::size_t max) const {
  DeviceResult<std::string> text = String(field);
  if (!text.ok()) return text.failure();
  std::optional<Bytes> bytes = Base64UrlDecode(*text);
  if (!bytes) return FieldError(field, "a badly encoded (not base64url)");
  if (bytes->size() < min || bytes->size() > max) return FieldError(field, "a wrong-sized");
  return std::move(*bytes);
}

DeviceResult<std::vector<std::string>> JsonObject::Strings(std::string_view field) const {
  const std::string key(field);
  if (!impl_->object->has(key)) return Missing(field);
  if (!impl_->object->isArray(key)) return WrongType(field);
  Poco::JSON::Array::Ptr array = impl_->object->getArray(key);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < array->size(); ++i) {
    const Poco::Dynamic::Var item = array->get(static_cast<unsigned int>(i));
    if (!item.isString()) return WrongType(field);
    out.push_back(item.extract<std::string>());
  }
  return out;
}

DeviceResult<std::vector<Bytes>> JsonObject::BinaryArray(std::string_view field) const {
  DeviceResult<std::vector<std::string>> texts = Strings(field);
  if (!texts.ok()) return texts.failure();
  std::vector<Bytes> out;
  for (const std::string& text : *texts) {
    std::optional<Bytes> bytes = Base64UrlDecode(text);
    if (!bytes) return FieldError(field, "a badly encoded (not base64url)");
    out.push_back(std::move(*bytes));
  }
  return out;
}

JsonWriter::JsonWriter() : impl_(std::make_unique<Impl>()) {}
JsonWriter::~JsonWriter() = default;

JsonWriter& JsonWriter::Set(const std::string& field, std::string_view value) {
  impl_->object.set(field, std::string(value));
  return *this;
}

JsonWriter& JsonWriter::Set(const std::string& field, std::int64_t value) {
  impl_->object.set(field, static_cast<Poco::Int64>(value));
  return *this;
}

JsonWriter& JsonWriter::SetBinary(const std::string& field, const Bytes& value) {
  return Set(field, Base64UrlEncode(value));
}

std::string JsonWriter::Render() const {
  // One escaping pass per string instead of Poco's character-at-a-time
  // stream writes; non-ASCII comes out as \u escapes.
  impl_->object.setEscapeUnicode(true);
  std::ostringstream out;
  impl_->object.stringify(out);
  return out.str();
}

DeviceResult<JsonObject> ParseAnswer(const TransportResponse& response, std::string_view what) {
  const std::string step(what);
  if (response.http_status == 200) {
    DeviceResult<JsonObject> object = JsonObject::Parse(response.body);
    if (!object.ok()) {
      return Fail(DeviceError::kBadResponse, step + ": " + object.status().message(),
                  object.status().detail());
    }
    return object;
  }
  const std::string http = "HTTP " + std::to_string(response.http_status);
  DeviceResult<JsonObject> body = JsonObject::Parse(response.body);
  DeviceResult<std::string> code =
      body.ok() ? body->String("error") : DeviceResult<std::string>(body.failure());
  if (!code.ok()) {
    return Fail(DeviceError::kBadResponse,
                step + ": the CA answered " + http + " without a protocol error code");
  }
  const DeviceError error = DeviceErrorFromWire(*code);
  std::string detail = http + ", error \"" + SanitizeForLog(*code, 40) + "\"";
  if (DeviceResult<std::string> message = body->String("message"); message.ok()) {
    detail += ", message \"" + SanitizeForLog(*message) + "\"";
  }
  DeviceFailure failure =
      Fail(error, step + ": " + std::string(DeviceErrorDescription(error)), std::move(detail));
  if (error == DeviceError::kRateLimited)
    failure.retry_after_seconds = response.retry_after_seconds;
  return failure;
}

std::string SanitizeForLog(std::string_view text, std::size_t max) {
  std::string out;
  for (char c : text) {
    if (out.size() >= max) {
      out += "...";
      break;
    }
    out += (c >= 0x20 && c < 0x7f) ? c : '?';
  }
  return out;
}

}  // namespace homeca::enroll
