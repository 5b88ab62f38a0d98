// Reading the CA's answer to one protocol step on the device: the message
// (enroll/protocol/messages.h) when the CA answered 200, otherwise the
// failure its error answer names (with the CA's Retry-After on
// rate_limited). Every message starts with the step ("start: ...").
//
// Everything read here is untrusted until the sealed answer has been opened
// and the chain verified.
//
// Thread-safety: stateless.
#pragma once

#include <string_view>

#include "ca/base/status.h"
#include "enroll/device/transport.h"
#include "enroll/protocol/messages.h"

namespace homeca::enroll {

template <typename Message>
Result<Message> ReadAnswer(const TransportResponse& response, std::string_view step,
                           Result<Message> (*parse)(std::string_view)) {
  if (response.http_status != 200) {
    return ParseErrorAnswer(response.http_status, response.body, response.retry_after_seconds)
        .WithContext(step);
  }
  Result<Message> message = parse(response.body);
  if (!message.ok()) return message.status().WithContext(step);
  return message;
}

}  // namespace homeca::enroll
