// The device side of POST /enroll/v1/checkin (protocol_client.h).
#include "enroll/device/answer.h"
#include "enroll/device/protocol_client.h"

namespace homeca::enroll {

std::string CheckInPath(const std::string& renew_path) {
  return renew_path.substr(0, renew_path.rfind('/') + 1) + std::string(kCheckInEndpoint);
}

Result<CheckInAnswer> CheckIn(Transport& transport, const std::string& checkin_path) {
  Result<TransportResponse> sent = transport.Post(checkin_path, ToJson(CheckInRequest{}));
  if (!sent.ok()) return sent.status();
  // The answer's address must be an IP address and its names printable text
  // (ParseCheckInAnswer).
  return ReadAnswer(*sent, "check-in", ParseCheckInAnswer);
}

}  // namespace homeca::enroll
