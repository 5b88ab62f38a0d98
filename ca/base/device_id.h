// The device id: the name a device gives itself (its mDNS "id" TXT value, the
// id a pairing is bound to, the key of the CA's device inventory). The CA, the
// mDNS schema and the device library all check it with this one rule, so a
// device can never be accepted on one side and refused on the other.
//
// Header-only on purpose: homeca_mdns and the device library use it without
// linking the CA engine.
//
// Thread-safety: pure functions.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string_view>

namespace homeca::ca {

inline constexpr std::size_t kMaxDeviceIdLength = 64;

// 1-64 characters from A-Z a-z 0-9 . _ - : safe as a file name, in a log line
// and in HTML without escaping, and the same in every locale.
constexpr bool IsValidDeviceId(std::string_view id) noexcept {
  return !id.empty() && id.size() <= kMaxDeviceIdLength &&
         std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '_' || c == '-';
         });
}

}  // namespace homeca::ca
