#include "enroll/enrollment_messages.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <algorithm>
#include <sstream>

#include "ca/base/device_id.h"
#include "ca/x509/certificate.h"
#include "enroll/pairing_admin.h"
#include "enroll/pake/seal.h"
#include "enroll/pake/spake2plus.h"

namespace homeca::enroll {
namespace {

using Poco::JSON::Object;
using Failure = std::optional<ProtocolFailure>;

// Our messages are flat objects; anything deeper is not from a device of ours.
constexpr std::size_t kMaxJsonDepth = 8;

Failure Bad(std::string message) {
  return ProtocolFailure{ProtocolError::kBadRequest, std::move(message)};
}

Failure ParseObject(std::string_view body, Object::Ptr* out) {
  if (body.size() > kMaxBodySize) return Bad("the request body is larger than 64 KiB");
  try {
    Poco::JSON::Parser parser;
    parser.setDepth(kMaxJsonDepth);
    parser.setAllowNullByte(false);
    Poco::Dynamic::Var value = parser.parse(std::string(body));
    if (value.type() != typeid(Object::Ptr)) return Bad("the request body is not a JSON object");
    *out = value.extract<Object::Ptr>();
    return std::nullopt;
  } catch (const Poco::Exception&) {
    return Bad("the request body is not valid JSON");
  } catch (const std::exception&) {
    return Bad("the request body is not valid JSON");
  }
}

// A present, integer-typed (not boolean, not fractional) field.
Failure GetInt(const Object& obj, const std::string& name, std::int64_t* out) {
  if (!obj.has(name)) return Bad("missing field '" + name + "'");
  Poco::Dynamic::Var v = obj.get(name);
  if (!v.isInteger() || v.isBoolean()) return Bad("field '" + name + "' must be an integer");
  try {
    *out = v.convert<Poco::Int64>();
  } catch (const Poco::Exception&) {
    return Bad("field '" + name + "' is out of range");
  }
  return std::nullopt;
}

Failure GetString(const Object& obj, const std::string& name, std::string* out) {
  if (!obj.has(name)) return Bad("missing field '" + name + "'");
  Poco::Dynamic::Var v = obj.get(name);
  if (!v.isString()) return Bad("field '" + name + "' must be a string");
  *out = v.extract<std::string>();
  return std::nullopt;
}

// A base64url (no padding) field; `*out` is the decoded bytes.
Failure GetBytes(const Object& obj, const std::string& name, Bytes* out) {
  std::string text;
  if (Failure f = GetString(obj, name, &text)) return f;
  std::optional<Bytes> decoded = Base64UrlDecode(text);
  if (!decoded) return Bad("field '" + name + "' is not base64url without padding");
  *out = std::move(*decoded);
  return std::nullopt;
}

Failure GetSession(const Object& obj, Bytes* out) {
  if (Failure f = GetBytes(obj, "session", out)) return f;
  if (out->size() != kSessionIdSize) return Bad("field 'session' must be 16 bytes");
  return std::nullopt;
}

std::string Stringify(Object& obj) {
  // With Unicode escaping Poco escapes each string in one pass; without it,
  // it writes the string to the stream one character at a time, which made
  // the sealed answers (kilobytes of base64url) a tenth of a pairing's CPU.
  // The output is the same JSON, with any non-ASCII as \u escapes.
  obj.setEscapeUnicode(true);
  std::ostringstream out;
  obj.stringify(out);
  return out.str();
}

Poco::JSON::Array::Ptr DerArray(const std::vector<Bytes>& ders) {
  Poco::JSON::Array::Ptr array = new Poco::JSON::Array;
  for (const Bytes& der : ders) array->add(Base64UrlEncode(der));
  return array;
}

Poco::JSON::Array::Ptr StringArray(const std::vector<std::string>& items) {
  Poco::JSON::Array::Ptr array = new Poco::JSON::Array;
  for (const std::string& s : items) array->add(s);
  return array;
}

}  // namespace

const char* ErrorName(ProtocolError error) {
  switch (error) {
    case ProtocolError::kBadRequest:
      return "bad_request";
    case ProtocolError::kUnsupportedVersion:
      return "unsupported_version";
    case ProtocolError::kBadPoint:
      return "bad_point";
    case ProtocolError::kBadCsr:
      return "bad_csr";
    case ProtocolError::kNoPairing:
      return "no_pairing";
    case ProtocolError::kUnknownSession:
      return "unknown_session";
    case ProtocolError::kOutOfOrder:
      return "out_of_order";
    case ProtocolError::kBadConfirmation:
      return "bad_confirmation";
    case ProtocolError::kCodeBurned:
      return "code_burned";
    case ProtocolError::kNoClientCertificate:
      return "no_client_certificate";
    case ProtocolError::kRevoked:
      return "revoked";
    case ProtocolError::kExpired:
      return "expired";
    case ProtocolError::kUnknownCertificate:
      return "unknown_certificate";
    case ProtocolError::kRateLimited:
      return "rate_limited";
    case ProtocolError::kInternal:
      return "internal";
    case ProtocolError::kSuperseded:
      return "superseded";
    case ProtocolError::kUnknownEndpoint:
      return "not_found";
  }
  return "internal";
}

int HttpStatus(ProtocolError error) {
  switch (error) {
    case ProtocolError::kBadRequest:
    case ProtocolError::kUnsupportedVersion:
    case ProtocolError::kBadPoint:
    case ProtocolError::kBadCsr:
      return 400;
    case ProtocolError::kNoClientCertificate:
      return 401;
    case ProtocolError::kBadConfirmation:
    case ProtocolError::kCodeBurned:
    case ProtocolError::kRevoked:
    case ProtocolError::kExpired:
    case ProtocolError::kUnknownCertificate:
    case ProtocolError::kSuperseded:
      return 403;
    case ProtocolError::kNoPairing:
    case ProtocolError::kUnknownSession:
    case ProtocolError::kUnknownEndpoint:
      return 404;
    case ProtocolError::kOutOfOrder:
      return 409;
    case ProtocolError::kRateLimited:
      return 429;
    case ProtocolError::kInternal:
      return 500;
  }
  return 500;
}

EnrollmentResponse ErrorResponse(const ProtocolFailure& failure) {
  Object obj(Poco::JSON_PRESERVE_KEY_ORDER);
  obj.set("error", std::string(ErrorName(failure.error)));
  obj.set("message", failure.message);
  EnrollmentResponse response;
  response.http_status = HttpStatus(failure.error);
  response.body = Stringify(obj);
  if (failure.error == ProtocolError::kRateLimited) {
    response.retry_after_seconds = std::max(1, failure.retry_after_seconds);
  }
  return response;
}

std::optional<ProtocolFailure> ParseStart(std::string_view body, StartMessage* out) {
  Object::Ptr obj;
  if (Failure f = ParseObject(body, &obj)) return f;
  std::int64_t version = 0;
  if (Failure f = GetInt(*obj, "version", &version)) return f;
  if (version != 1) {
    return ProtocolFailure{ProtocolError::kUnsupportedVersion,
                           "this CA speaks enrollment protocol version 1"};
  }
  const bool has_slot = obj->has("slot");
  if (has_slot == obj->has("device_id")) {
    return Bad("give exactly one of 'slot' and 'device_id'");
  }
  if (has_slot) {
    std::int64_t slot = 0;
    if (Failure f = GetInt(*obj, "slot", &slot)) return f;
    if (slot < 0 || slot > 99) return Bad("field 'slot' must be between 0 and 99");
    out->slot = static_cast<int>(slot);
    return std::nullopt;
  }
  if (Failure f = GetString(*obj, "device_id", &out->device_id)) return f;
  if (!ca::IsValidDeviceId(out->device_id)) {
    return Bad("field 'device_id' must be 1-64 characters from A-Z a-z 0-9 . _ -");
  }
  return std::nullopt;
}

std::optional<ProtocolFailure> ParseExchange(std::string_view body, ExchangeMessage* out) {
  Object::Ptr obj;
  if (Failure f = ParseObject(body, &obj)) return f;
  if (Failure f = GetSession(*obj, &out->session)) return f;
  return GetBytes(*obj, "share_p", &out->share_p);
}

std::optional<ProtocolFailure> ParseFinish(std::string_view body, FinishMessage* out) {
  Object::Ptr obj;
  if (Failure f = ParseObject(body, &obj)) return f;
  if (Failure f = GetSession(*obj, &out->session)) return f;
  if (Failure f = GetBytes(*obj, "confirm_p", &out->confirm_p)) return f;
  if (out->confirm_p.size() != kSpakeHashSize) return Bad("field 'confirm_p' must be 32 bytes");
  if (Failure f = GetBytes(*obj, "sealed_request", &out->sealed_request)) return f;
  if (out->sealed_request.size() <= kSealOverhead) {
    return Bad("field 'sealed_request' is too short to be sealed");
  }
  return std::nullopt;
}

std::optional<ProtocolFailure> ParseCsrMessage(std::string_view body, CsrMessage* out) {
  Object::Ptr obj;
  if (Failure f = ParseObject(body, &obj)) return f;
  if (Failure f = GetBytes(*obj, "csr", &out->csr)) return f;
  if (out->csr.empty()) return Bad("field 'csr' is empty");
  return std::nullopt;
}

std::optional<ProtocolFailure> ParseCheckIn(std::string_view body) {
  Object::Ptr obj;
  return ParseObject(body, &obj);
}

std::string StartResponseJson(const Bytes& session, const Bytes& salt, const PasswordKdf& kdf) {
  Object obj(Poco::JSON_PRESERVE_KEY_ORDER);
  obj.set("session", Base64UrlEncode(session));
  obj.set("salt", Base64UrlEncode(salt));
  if (kdf.kind == PasswordKdf::Kind::kScrypt) {
    obj.set("kdf", std::string(kKdfScrypt));
    obj.set("n", static_cast<Poco::UInt64>(kdf.n()));
    obj.set("r", static_cast<Poco::UInt32>(kdf.r));
    obj.set("p", static_cast<Poco::UInt32>(kdf.p));
  } else {
    obj.set("kdf", std::string(kKdfPbkdf2));
    obj.set("iterations", static_cast<Poco::UInt32>(kdf.iterations));
  }
  return Stringify(obj);
}

std::string ExchangeResponseJson(const Bytes& share_v, const Bytes& confirm_v) {
  Object obj(Poco::JSON_PRESERVE_KEY_ORDER);
  obj.set("share_v", Base64UrlEncode(share_v));
  obj.set("confirm_v", Base64UrlEncode(confirm_v));
  return Stringify(obj);
}

std::string FinishResponseJson(const Bytes& sealed_response) {
  Object obj(Poco::JSON_PRESERVE_KEY_ORDER);
  obj.set("sealed_response", Base64UrlEncode(sealed_response));
  return Stringify(obj);
}

std::string PairingResultJson(const IssuedChain& issued, const Bytes& root,
                              const std::string& renew_url) {
  Object obj(Poco::JSON_PRESERVE_KEY_ORDER);
  obj.set("chain", DerArray(issued.chain));
  obj.set("root", Base64UrlEncode(root));
  obj.set("names", StringArray(issued.names));
  obj.set("not_after", ca::FormatTimeIso(issued.not_after));
  obj.set("renew_url", renew_url);
  return Stringify(obj);
}

std::string RenewResponseJson(const IssuedChain& issued) {
  Object obj(Poco::JSON_PRESERVE_KEY_ORDER);
  obj.set("chain", DerArray(issued.chain));
  obj.set("names", StringArray(issued.names));
  obj.set("not_after", ca::FormatTimeIso(issued.not_after));
  return Stringify(obj);
}

std::string CheckInResponseJson(const std::string& address, const std::vector<std::string>& names) {
  Object obj(Poco::JSON_PRESERVE_KEY_ORDER);
  obj.set("address", address);
  obj.set("names", StringArray(names));
  return Stringify(obj);
}

}  // namespace homeca::enroll
