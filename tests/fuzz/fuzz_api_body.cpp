// Fuzz target: the JSON API's request bodies (docs/api.md), read exactly as
// the endpoints read them (webui/api/api_body.h: ParseJsonObjectBody,
// StringMember, NamesMember, TtlSecondsMember, BoolMember), then handed to the same
// checks the endpoints call before anything is stored: ParseRevocationReason
// (revoke), CheckPairingNames under the default name policy (pairings),
// IsValidDeviceId and PairingCode::Check (arming a device).
//
// Input: one request body.
#include <cstddef>
#include <cstdint>
#include <string>

#include "ca/authority.h"
#include "ca/base/device_id.h"
#include "enroll/pairing_admin.h"
#include "enroll/pake/pairing_code.h"
#include "tests/fuzz/fuzz_input.h"
#include "webui/api/api_body.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const homeca::ca::NamePolicy kPolicy;
  const std::string body(homeca::fuzz::AsText(data, size));
  Poco::JSON::Object::Ptr object = homeca::webui::ParseJsonObjectBody(body);
  if (object.isNull()) return 0;

  // POST /api/v1/certificates/{serial}/revoke
  if (auto reason = homeca::webui::StringMember(object, "reason", "unspecified")) {
    (void)homeca::ca::ParseRevocationReason(*reason);
  }
  // POST /api/v1/pairings and /api/v1/pairings/device
  auto names = homeca::webui::NamesMember(object);
  auto ttl = homeca::webui::TtlSecondsMember(object);
  (void)homeca::webui::BoolMember(object, "acme");  // an ACME pairing (POST /api/v1/pairings)
  if (names) (void)homeca::enroll::CheckPairingNames(kPolicy, *names);
  if (ttl) {
    // What CreateCodePairing and ArmDevicePairing accept next.
    (void)(*ttl >= homeca::enroll::kMinPairingTtlSeconds &&
           *ttl <= homeca::enroll::kMaxPairingTtlSeconds);
  }
  if (auto device_id = homeca::webui::StringMember(object, "device_id")) {
    (void)homeca::ca::IsValidDeviceId(*device_id);
  }
  if (auto code = homeca::webui::StringMember(object, "code")) {
    (void)homeca::enroll::PairingCode::Check(*code);
  }
  return 0;
}
