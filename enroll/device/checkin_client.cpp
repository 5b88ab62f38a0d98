// The device side of POST /enroll/v1/checkin (protocol_client.h).
#include <arpa/inet.h>

#include <algorithm>

#include "enroll/device/protocol_client.h"
#include "enroll/device/wire_json.h"

namespace homeca::enroll {
namespace {

// Longer than any IPv6 address with a scope ("fe80::...%wlan0") can be.
constexpr std::size_t kMaxAddressText = 64;
constexpr std::size_t kMaxNameText = 253;  // a DNS name

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

}  // namespace

std::string CheckInPath(const std::string& renew_path) {
  return renew_path.substr(0, renew_path.rfind('/') + 1) + "checkin";
}

DeviceResult<CheckInAnswer> CheckIn(Transport& transport, const std::string& checkin_path) {
  DeviceResult<TransportResponse> sent = transport.Post(checkin_path, "{}");
  if (!sent.ok()) return sent.failure();
  DeviceResult<JsonObject> answer = ParseAnswer(*sent, "check-in");
  if (!answer.ok()) return answer.failure();
  DeviceResult<std::string> address = answer->String("address");
  if (!address.ok()) return address.failure();
  if (!IsIpAddressText(*address)) {
    return Fail(DeviceError::kBadResponse, "check-in: the CA's 'address' is not an IP address",
                SanitizeForLog(*address));
  }
  DeviceResult<std::vector<std::string>> names = answer->Strings("names");
  if (!names.ok()) return names.failure();
  for (const std::string& name : *names) {
    if (name.empty() || name.size() > kMaxNameText || !Printable(name)) {
      return Fail(DeviceError::kBadResponse, "check-in: the CA sent a name that is not one");
    }
  }
  return CheckInAnswer{std::move(*address), std::move(*names)};
}

}  // namespace homeca::enroll
