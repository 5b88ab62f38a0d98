#include "enroll/protocol/messages.h"

#include <arpa/inet.h>

#include <algorithm>

#include "ca/base/device_id.h"
#include "ca/base/unix_time.h"
#include "enroll/pake/seal.h"
#include "enroll/pake/spake2plus.h"
#include "enroll/protocol/json.h"
#include "enroll/protocol/limits.h"

namespace homeca::enroll {
namespace {

// --- How each side reads ---

// A request: the CA answers anything wrong with bad_request.
Status BadRequest(std::string message) {
  return Fail(EnrollError::kBadRequest, std::move(message));
}

Result<JsonReader> ReadRequest(std::string_view body) {
  Result<JsonReader> reader = JsonReader::Parse(body, kMaxRequestBody, "the request body");
  if (!reader.ok()) return Fail(EnrollError::kBadRequest, reader.status());
  return reader;
}

// A field of a request, or the request's refusal.
template <typename T>
Result<T> RequestField(Result<T> field) {
  if (!field.ok()) return Fail(EnrollError::kBadRequest, field.status());
  return field;
}

// An answer: the device refuses anything wrong as bad_response.
Status BadAnswer(std::string message, std::string detail = {}) {
  return Fail(EnrollError::kBadResponse, std::move(message), std::move(detail));
}

Result<JsonReader> ReadAnswer(std::string_view body) {
  Result<JsonReader> reader = JsonReader::Parse(body, kMaxResponseBody, "the CA's answer");
  if (!reader.ok()) return Fail(EnrollError::kBadResponse, reader.status());
  return reader;
}

template <typename T>
Result<T> AnswerField(Result<T> field) {
  if (!field.ok()) {
    return Fail(EnrollError::kBadResponse, field.status().WithContext("the CA's answer"));
  }
  return field;
}

bool Printable(const std::string& text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

// An IPv4 or IPv6 address in text, an IPv6 one possibly with a zone
// ("%eth0", as a CA reached over a link-local address writes it).
bool IsIpAddressText(const std::string& text) {
  if (text.empty() || text.size() > kMaxAddressText || !Printable(text)) return false;
  unsigned char buffer[16];
  if (inet_pton(AF_INET, text.c_str(), buffer) == 1) return true;
  const std::string address = text.substr(0, text.find('%'));
  return inet_pton(AF_INET6, address.c_str(), buffer) == 1 &&
         (address.size() == text.size() || address.size() + 1 < text.size());
}

// A field that must be an integer in [1, max]; 0 when it is not (the bounds
// check then refuses it with one message).
std::uint64_t BoundedField(const JsonReader& answer, std::string_view field, std::uint64_t max) {
  Result<std::int64_t> value = answer.Integer(field);
  if (!value.ok() || *value < 1 || static_cast<std::uint64_t>(*value) > max) return 0;
  return static_cast<std::uint64_t>(*value);
}

// The KDF the CA announced, within the protocol's bounds.
Result<PasswordKdf> AnnouncedKdf(const JsonReader& answer) {
  Result<std::string> name = AnswerField(answer.String("kdf"));
  if (!name.ok()) return name.status();
  std::optional<PasswordKdf> kdf;
  if (*name == kKdfScrypt) {
    const std::uint64_t n = BoundedField(answer, "n", std::uint64_t{1} << 32);
    const std::uint64_t r = BoundedField(answer, "r", 1u << 16);
    const std::uint64_t p = BoundedField(answer, "p", 1u << 16);
    // N must be a power of two; log2 of anything else fails the bounds.
    int log2_n = 0;
    while (log2_n < 40 && (std::uint64_t{1} << log2_n) < n) ++log2_n;
    if (n != 0 && (std::uint64_t{1} << log2_n) == n) {
      kdf =
          PasswordKdf::Scrypt(log2_n, static_cast<std::uint32_t>(r), static_cast<std::uint32_t>(p));
    } else {
      kdf = PasswordKdf::Scrypt(0, 0, 0);
    }
  } else if (*name == kKdfPbkdf2) {
    kdf = PasswordKdf::Pbkdf2(
        static_cast<std::uint32_t>(BoundedField(answer, "iterations", 1u << 31)));
  } else {
    return BadAnswer("the CA asked for a password KDF this device does not know: " +
                     SanitizeForLog(*name, 40));
  }
  if (Status ok = CheckPasswordKdf(*kdf); !ok.ok()) {
    return BadAnswer(
        "the CA asked for KDF parameters outside the protocol's bounds (scrypt: N 2^14-2^16, r "
        "1-16, p 1-4, at most 64 MiB; PBKDF2: 1000-100000 iterations)");
  }
  return *kdf;
}

}  // namespace

// --- Requests ---

std::string ToJson(const StartRequest& message) {
  JsonWriter out;
  out.Set("version", std::int64_t{kProtocolVersion});
  if (message.slot) {
    out.Set("slot", std::int64_t{*message.slot});
  } else {
    out.Set("device_id", message.device_id);
  }
  return out.Render();
}

std::string ToJson(const ExchangeRequest& message) {
  JsonWriter out;
  out.SetBinary("session", message.session).SetBinary("share_p", message.share_p);
  return out.Render();
}

std::string ToJson(const FinishRequest& message) {
  JsonWriter out;
  out.SetBinary("session", message.session)
      .SetBinary("confirm_p", message.confirm_p)
      .SetBinary("sealed_request", message.sealed_request);
  return out.Render();
}

std::string ToJson(const CsrRequest& message) {
  JsonWriter out;
  out.SetBinary("csr", message.csr);
  return out.Render();
}

std::string ToJson(const CheckInRequest&) { return JsonWriter().Render(); }

std::string ToJson(const MismatchRequest& message) {
  JsonWriter out;
  out.SetBinary("session", message.session);
  return out.Render();
}

Result<StartRequest> ParseStartRequest(std::string_view body) {
  Result<JsonReader> obj = ReadRequest(body);
  if (!obj.ok()) return obj.status();
  Result<std::int64_t> version = RequestField(obj->Integer("version"));
  if (!version.ok()) return version.status();
  if (*version != kProtocolVersion) {
    return Fail(EnrollError::kUnsupportedVersion,
                "this CA speaks enrollment protocol version " + std::to_string(kProtocolVersion));
  }
  const bool has_slot = obj->Has("slot");
  if (has_slot == obj->Has("device_id")) {
    return BadRequest("give exactly one of 'slot' and 'device_id'");
  }
  StartRequest out;
  if (has_slot) {
    Result<std::int64_t> slot = RequestField(obj->Integer("slot"));
    if (!slot.ok()) return slot.status();
    if (*slot < 0 || *slot > kMaxSlot) return BadRequest("field 'slot' must be between 0 and 99");
    out.slot = static_cast<int>(*slot);
    return out;
  }
  Result<std::string> device_id = RequestField(obj->String("device_id"));
  if (!device_id.ok()) return device_id.status();
  if (!ca::IsValidDeviceId(*device_id)) {
    return BadRequest("field 'device_id' must be 1-64 characters from A-Z a-z 0-9 . _ -");
  }
  out.device_id = std::move(*device_id);
  return out;
}

Result<ExchangeRequest> ParseExchangeRequest(std::string_view body) {
  Result<JsonReader> obj = ReadRequest(body);
  if (!obj.ok()) return obj.status();
  Result<Bytes> session = RequestField(obj->Binary("session", kSessionIdSize, kSessionIdSize));
  if (!session.ok()) return session.status();
  Result<Bytes> share_p = RequestField(obj->Binary("share_p"));
  if (!share_p.ok()) return share_p.status();
  return ExchangeRequest{std::move(*session), std::move(*share_p)};
}

Result<FinishRequest> ParseFinishRequest(std::string_view body) {
  Result<JsonReader> obj = ReadRequest(body);
  if (!obj.ok()) return obj.status();
  Result<Bytes> session = RequestField(obj->Binary("session", kSessionIdSize, kSessionIdSize));
  if (!session.ok()) return session.status();
  Result<Bytes> confirm_p = RequestField(obj->Binary("confirm_p", kSpakeHashSize, kSpakeHashSize));
  if (!confirm_p.ok()) return confirm_p.status();
  Result<Bytes> sealed = RequestField(obj->Binary("sealed_request"));
  if (!sealed.ok()) return sealed.status();
  if (sealed->size() <= kSealOverhead) {
    return BadRequest("field 'sealed_request' is too short to be sealed");
  }
  return FinishRequest{std::move(*session), std::move(*confirm_p), std::move(*sealed)};
}

Result<CsrRequest> ParseCsrRequest(std::string_view body) {
  Result<JsonReader> obj = ReadRequest(body);
  if (!obj.ok()) return obj.status();
  Result<Bytes> csr = RequestField(obj->Binary("csr"));
  if (!csr.ok()) return csr.status();
  if (csr->empty()) return BadRequest("field 'csr' is empty");
  return CsrRequest{std::move(*csr)};
}

Result<CheckInRequest> ParseCheckInRequest(std::string_view body) {
  Result<JsonReader> obj = ReadRequest(body);
  if (!obj.ok()) return obj.status();
  return CheckInRequest{};
}

Result<MismatchRequest> ParseMismatchRequest(std::string_view body) {
  Result<JsonReader> obj = ReadRequest(body);
  if (!obj.ok()) return obj.status();
  Result<Bytes> session = RequestField(obj->Binary("session", kSessionIdSize, kSessionIdSize));
  if (!session.ok()) return session.status();
  return MismatchRequest{std::move(*session)};
}

// --- Answers ---

std::string ToJson(const StartAnswer& message) {
  JsonWriter out;
  out.SetBinary("session", message.session).SetBinary("salt", message.salt);
  if (message.kdf.kind == PasswordKdf::Kind::kScrypt) {
    out.Set("kdf", kKdfScrypt)
        .Set("n", static_cast<std::int64_t>(message.kdf.n()))
        .Set("r", std::int64_t{message.kdf.r})
        .Set("p", std::int64_t{message.kdf.p});
  } else {
    out.Set("kdf", kKdfPbkdf2).Set("iterations", std::int64_t{message.kdf.iterations});
  }
  return out.Render();
}

std::string ToJson(const ExchangeAnswer& message) {
  JsonWriter out;
  out.SetBinary("share_v", message.share_v).SetBinary("confirm_v", message.confirm_v);
  return out.Render();
}

std::string ToJson(const FinishAnswer& message) {
  JsonWriter out;
  out.SetBinary("sealed_response", message.sealed_response);
  return out.Render();
}

std::string ToJson(const PairingResult& message) {
  JsonWriter out;
  out.SetBinaryArray("chain", message.chain)
      .SetBinary("root", message.root)
      .SetStrings("names", message.names)
      .Set("not_after", ca::FormatTimeIso(message.not_after))
      .Set("renew_url", message.renew_url);
  return out.Render();
}

std::string ToJson(const RenewAnswer& message) {
  JsonWriter out;
  out.SetBinaryArray("chain", message.chain)
      .SetStrings("names", message.names)
      .Set("not_after", ca::FormatTimeIso(message.not_after));
  return out.Render();
}

std::string ToJson(const CheckInAnswer& message) {
  JsonWriter out;
  out.Set("address", message.address).SetStrings("names", message.names);
  return out.Render();
}

Result<StartAnswer> ParseStartAnswer(std::string_view body) {
  Result<JsonReader> answer = ReadAnswer(body);
  if (!answer.ok()) return answer.status();
  Result<Bytes> session = AnswerField(answer->Binary("session", kSessionIdSize, kSessionIdSize));
  if (!session.ok()) return session.status();
  Result<Bytes> salt = answer->Binary("salt", kMinPbkdfSaltSize, kMaxPbkdfSaltSize);
  if (!salt.ok())
    return BadAnswer("the CA sent a salt outside the protocol's bounds (16-32 bytes)");
  Result<PasswordKdf> kdf = AnnouncedKdf(*answer);
  if (!kdf.ok()) return kdf.status();
  return StartAnswer{std::move(*session), std::move(*salt), *kdf};
}

Result<ExchangeAnswer> ParseExchangeAnswer(std::string_view body) {
  Result<JsonReader> answer = ReadAnswer(body);
  if (!answer.ok()) return answer.status();
  Result<Bytes> share_v = AnswerField(answer->Binary("share_v", kSpakePointSize, kSpakePointSize));
  if (!share_v.ok()) return share_v.status();
  Result<Bytes> confirm_v =
      AnswerField(answer->Binary("confirm_v", kSpakeHashSize, kSpakeHashSize));
  if (!confirm_v.ok()) return confirm_v.status();
  return ExchangeAnswer{std::move(*share_v), std::move(*confirm_v)};
}

Result<FinishAnswer> ParseFinishAnswer(std::string_view body) {
  Result<JsonReader> answer = ReadAnswer(body);
  if (!answer.ok()) return answer.status();
  Result<Bytes> sealed =
      AnswerField(answer->Binary("sealed_response", kSealOverhead, kMaxResponseBody));
  if (!sealed.ok()) return sealed.status();
  return FinishAnswer{std::move(*sealed)};
}

Result<PairingResult> ParsePairingResult(std::string_view plaintext) {
  Result<JsonReader> answer = ReadAnswer(plaintext);
  if (!answer.ok()) return answer.status();
  PairingResult out;
  Result<std::vector<Bytes>> chain = AnswerField(answer->BinaryArray("chain"));
  if (!chain.ok()) return chain.status();
  Result<Bytes> root = AnswerField(answer->Binary("root", 1, kMaxResponseBody));
  if (!root.ok()) return root.status();
  Result<std::vector<std::string>> names = AnswerField(answer->Strings("names"));
  if (!names.ok()) return names.status();
  Result<std::string> renew_url = AnswerField(answer->String("renew_url"));
  if (!renew_url.ok()) return renew_url.status();
  out.chain = std::move(*chain);
  out.root = std::move(*root);
  out.names = std::move(*names);
  out.renew_url = std::move(*renew_url);
  return out;
}

Result<RenewAnswer> ParseRenewAnswer(std::string_view body) {
  Result<JsonReader> answer = ReadAnswer(body);
  if (!answer.ok()) return answer.status();
  Result<std::vector<Bytes>> chain = AnswerField(answer->BinaryArray("chain"));
  if (!chain.ok()) return chain.status();
  Result<std::vector<std::string>> names = AnswerField(answer->Strings("names"));
  if (!names.ok()) return names.status();
  RenewAnswer out;
  out.chain = std::move(*chain);
  out.names = std::move(*names);
  return out;
}

Result<CheckInAnswer> ParseCheckInAnswer(std::string_view body) {
  Result<JsonReader> answer = ReadAnswer(body);
  if (!answer.ok()) return answer.status();
  Result<std::string> address = AnswerField(answer->String("address"));
  if (!address.ok()) return address.status();
  if (!IsIpAddressText(*address)) {
    return BadAnswer("the CA's 'address' is not an IP address", SanitizeForLog(*address));
  }
  Result<std::vector<std::string>> names = AnswerField(answer->Strings("names"));
  if (!names.ok()) return names.status();
  for (const std::string& name : *names) {
    if (name.empty() || name.size() > kMaxNameText || !Printable(name)) {
      return BadAnswer("the CA sent a name that is not one");
    }
  }
  return CheckInAnswer{std::move(*address), std::move(*names)};
}

// --- Errors ---

std::string ErrorAnswerJson(EnrollError error, std::string_view message) {
  JsonWriter out;
  out.Set("error", ErrorWord(error)).Set("message", message);
  return out.Render();
}

Status ParseErrorAnswer(int http_status, std::string_view body, int retry_after_seconds) {
  const std::string http = "HTTP " + std::to_string(http_status);
  Result<JsonReader> answer = JsonReader::Parse(body, kMaxResponseBody, "the CA's answer");
  Result<std::string> word =
      answer.ok() ? answer->String("error") : Result<std::string>(answer.status());
  if (!word.ok()) {
    return BadAnswer("the CA answered " + http + " without a protocol error code");
  }
  const EnrollError error = ErrorFromWire(*word);
  std::string detail = http + ", error \"" + SanitizeForLog(*word, 40) + "\"";
  if (Result<std::string> message = answer->String("message"); message.ok()) {
    detail += ", message \"" + SanitizeForLog(*message) + "\"";
  }
  Status failure = Fail(error, std::string(ErrorDescription(error)), std::move(detail));
  if (error == EnrollError::kRateLimited) failure = failure.WithRetryAfter(retry_after_seconds);
  return failure;
}

}  // namespace homeca::enroll
