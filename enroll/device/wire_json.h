// Reading and writing the enrollment protocol's JSON on the device side:
// typed field access that fails with kBadResponse naming the field, strict
// base64url for binary fields, and turning an error answer into a
// DeviceFailure.
//
// Everything read here is untrusted until the sealed answer has been opened
// and the chain verified; the CA's free-text `message` is kept for the log
// only, after removing anything that is not printable ASCII.
//
// Thread-safety: stateless functions; a JsonObject is a plain value.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ca/base/encoding.h"
#include "enroll/device/device_error.h"
#include "enroll/device/transport.h"

namespace homeca::enroll {

// A parsed JSON object (Poco::JSON underneath, hidden from callers).
class JsonObject {
 public:
  // Fails with kBadResponse unless `text` is one JSON object.
  static DeviceResult<JsonObject> Parse(std::string_view text);

  bool Has(std::string_view field) const;
  DeviceResult<std::string> String(std::string_view field) const;
  DeviceResult<std::int64_t> Integer(std::string_view field) const;
  // A base64url field that must decode to between min and max bytes.
  DeviceResult<Bytes> Binary(std::string_view field, std::size_t min, std::size_t max) const;
  DeviceResult<std::vector<std::string>> Strings(std::string_view field) const;
  // An array of base64url strings.
  DeviceResult<std::vector<Bytes>> BinaryArray(std::string_view field) const;

  struct Impl;
  explicit JsonObject(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}

 private:
  std::shared_ptr<const Impl> impl_;
};

// Builds a request object field by field; Render() gives compact JSON.
class JsonWriter {
 public:
  JsonWriter();
  ~JsonWriter();
  JsonWriter(const JsonWriter&) = delete;
  JsonWriter& operator=(const JsonWriter&) = delete;

  JsonWriter& Set(const std::string& field, std::string_view value);
  JsonWriter& Set(const std::string& field, std::int64_t value);
  JsonWriter& SetBinary(const std::string& field, const Bytes& value);  // base64url
  std::string Render() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The answer's JSON object when the status is 200; otherwise the failure it
// describes: the protocol error code when the body names one, kBadResponse
// when it does not. `what` names the step ("start") for messages.
DeviceResult<JsonObject> ParseAnswer(const TransportResponse& response, std::string_view what);

// Printable ASCII only, at most `max` characters: for text from the network
// that goes into a log.
std::string SanitizeForLog(std::string_view text, std::size_t max = 200);

}  // namespace homeca::enroll
