// The enrollment protocol's one JSON reader and writer (Poco::JSON
// underneath, hidden from callers). The reader is strict: one JSON object,
// a size cap, a depth cap (kMaxJsonDepth), no NUL bytes, typed fields
// (an integer is neither a boolean nor a fraction), base64url without
// padding for binary fields. Its failures are InvalidArgument Statuses that
// name the field but never echo its value; messages.cpp turns them into the
// protocol's errors (bad_request for the CA, bad_response for the device).
//
// Thread-safety: a JsonReader is an immutable value (copies share the
// parsed object); a JsonWriter belongs to one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ca/base/encoding.h"
#include "ca/base/status.h"

namespace homeca::enroll {

class JsonReader {
 public:
  // `text` as one JSON object of at most `max_size` bytes. `what` names the
  // text in messages ("the request body" -> "the request body is not valid
  // JSON").
  static Result<JsonReader> Parse(std::string_view text, std::size_t max_size,
                                  std::string_view what);

  bool Has(std::string_view field) const;
  Result<std::string> String(std::string_view field) const;
  Result<std::int64_t> Integer(std::string_view field) const;
  // A base64url field; with bounds, its decoded size must be within them.
  Result<Bytes> Binary(std::string_view field) const;
  Result<Bytes> Binary(std::string_view field, std::size_t min, std::size_t max) const;
  Result<std::vector<std::string>> Strings(std::string_view field) const;
  // An array of base64url strings.
  Result<std::vector<Bytes>> BinaryArray(std::string_view field) const;

 private:
  struct Impl;
  explicit JsonReader(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
};

// Builds one object field by field, in the order set; Render() gives compact
// JSON with non-ASCII as \u escapes.
class JsonWriter {
 public:
  JsonWriter();
  ~JsonWriter();
  JsonWriter(const JsonWriter&) = delete;
  JsonWriter& operator=(const JsonWriter&) = delete;

  JsonWriter& Set(const std::string& field, std::string_view value);
  JsonWriter& Set(const std::string& field, std::int64_t value);
  JsonWriter& SetBinary(const std::string& field, const Bytes& value);  // base64url
  JsonWriter& SetStrings(const std::string& field, const std::vector<std::string>& values);
  JsonWriter& SetBinaryArray(const std::string& field, const std::vector<Bytes>& values);
  std::string Render() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Printable ASCII only, at most `max` characters: for text from the network
// that goes into a log.
std::string SanitizeForLog(std::string_view text, std::size_t max = 200);

}  // namespace homeca::enroll
