#include "enroll/protocol/json.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <optional>
#include <sstream>

#include "enroll/protocol/limits.h"

namespace homeca::enroll {

struct JsonReader::Impl {
  Poco::JSON::Object::Ptr object;
};

struct JsonWriter::Impl {
  Poco::JSON::Object object{Poco::JSON_PRESERVE_KEY_ORDER};
};

namespace {

Status Bad(std::string message) { return Status::InvalidArgument(std::move(message)); }

Status Missing(std::string_view field) { return Bad("missing field '" + std::string(field) + "'"); }

Status FieldIs(std::string_view field, std::string_view what) {
  return Bad("field '" + std::string(field) + "' " + std::string(what));
}

std::string SizeRule(std::size_t min, std::size_t max) {
  if (min == max) return "must be " + std::to_string(min) + " bytes";
  return "must be " + std::to_string(min) + " to " + std::to_string(max) + " bytes";
}

std::optional<Bytes> Decode(const std::string& text) { return Base64UrlDecode(text); }

}  // namespace

Result<JsonReader> JsonReader::Parse(std::string_view text, std::size_t max_size,
                                     std::string_view what) {
  const std::string subject(what);
  if (text.size() > max_size) {
    return Bad(subject + " is larger than " +
               (max_size % 1024 == 0 ? std::to_string(max_size / 1024) + " KiB"
                                     : std::to_string(max_size) + " bytes"));
  }
  try {
    Poco::JSON::Parser parser;
    parser.setDepth(kMaxJsonDepth);
    parser.setAllowNullByte(false);
    Poco::Dynamic::Var root = parser.parse(std::string(text));
    if (root.type() != typeid(Poco::JSON::Object::Ptr)) {
      return Bad(subject + " is not a JSON object");
    }
    auto impl = std::make_shared<Impl>();
    impl->object = root.extract<Poco::JSON::Object::Ptr>();
    return JsonReader(std::move(impl));
  } catch (const Poco::Exception& e) {
    return Status::InvalidArgument(subject + " is not valid JSON", SanitizeForLog(e.displayText()));
  } catch (const std::exception&) {
    return Bad(subject + " is not valid JSON");
  }
}

bool JsonReader::Has(std::string_view field) const {
  return impl_->object->has(std::string(field));
}

Result<std::string> JsonReader::String(std::string_view field) const {
  const std::string key(field);
  if (!impl_->object->has(key)) return Missing(field);
  const Poco::Dynamic::Var value = impl_->object->get(key);
  if (!value.isString()) return FieldIs(field, "must be a string");
  return value.extract<std::string>();
}

Result<std::int64_t> JsonReader::Integer(std::string_view field) const {
  const std::string key(field);
  if (!impl_->object->has(key)) return Missing(field);
  const Poco::Dynamic::Var value = impl_->object->get(key);
  if (!value.isInteger() || value.isBoolean()) return FieldIs(field, "must be an integer");
  try {
    return value.convert<Poco::Int64>();
  } catch (const Poco::Exception&) {
    return FieldIs(field, "is out of range");  // an unsigned value beyond int64
  }
}

Result<Bytes> JsonReader::Binary(std::string_view field) const {
  Result<std::string> text = String(field);
  if (!text.ok()) return text.status();
  std::optional<Bytes> bytes = Decode(*text);
  if (!bytes) return FieldIs(field, "is not base64url without padding");
  return std::move(*bytes);
}

Result<Bytes> JsonReader::Binary(std::string_view field, std::size_t min, std::size_t max) const {
  Result<Bytes> bytes = Binary(field);
  if (bytes.ok() && (bytes->size() < min || bytes->size() > max)) {
    return FieldIs(field, SizeRule(min, max));
  }
  return bytes;
}

Result<std::vector<std::string>> JsonReader::Strings(std::string_view field) const {
  const std::string key(field);
  if (!impl_->object->has(key)) return Missing(field);
  if (!impl_->object->isArray(key)) return FieldIs(field, "must be an array of strings");
  Poco::JSON::Array::Ptr array = impl_->object->getArray(key);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < array->size(); ++i) {
    const Poco::Dynamic::Var item = array->get(static_cast<unsigned int>(i));
    if (!item.isString()) return FieldIs(field, "must be an array of strings");
    out.push_back(item.extract<std::string>());
  }
  return out;
}

Result<std::vector<Bytes>> JsonReader::BinaryArray(std::string_view field) const {
  Result<std::vector<std::string>> texts = Strings(field);
  if (!texts.ok()) return texts.status();
  std::vector<Bytes> out;
  for (const std::string& text : *texts) {
    std::optional<Bytes> bytes = Decode(text);
    if (!bytes) return FieldIs(field, "is not base64url without padding");
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

JsonWriter& JsonWriter::SetStrings(const std::string& field,
                                   const std::vector<std::string>& values) {
  Poco::JSON::Array::Ptr array = new Poco::JSON::Array;
  for (const std::string& value : values) array->add(value);
  impl_->object.set(field, array);
  return *this;
}

JsonWriter& JsonWriter::SetBinaryArray(const std::string& field, const std::vector<Bytes>& values) {
  Poco::JSON::Array::Ptr array = new Poco::JSON::Array;
  for (const Bytes& value : values) array->add(Base64UrlEncode(value));
  impl_->object.set(field, array);
  return *this;
}

std::string JsonWriter::Render() const {
  // With Unicode escaping Poco escapes each string in one pass; without it,
  // it writes the string to the stream one character at a time, which made
  // the sealed answers (kilobytes of base64url) a tenth of a pairing's CPU.
  // The output is the same JSON, with any non-ASCII as \u escapes.
  impl_->object.setEscapeUnicode(true);
  std::ostringstream out;
  impl_->object.stringify(out);
  return out.str();
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
