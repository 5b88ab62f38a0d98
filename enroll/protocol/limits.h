// The enrollment protocol's numbers (docs/enrollment-protocol.md): its
// version, its paths, and the bounds both sides enforce on what crosses the
// LAN. The CA refuses a request over a bound; the device refuses an answer.
//
// Thread-safety: constants only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace homeca::enroll {

inline constexpr int kProtocolVersion = 1;

// The API's path on the CA's origin; the endpoints are below it.
inline constexpr std::string_view kEnrollPath = "/enroll/v1";
inline constexpr std::uint16_t kEnrollPort = 8443;

// Request bodies are at most 64 KiB (a CSR, sealed or not, is far smaller).
inline constexpr std::size_t kMaxRequestBody = 64 * 1024;
// Answers are small (a chain of two certificates and a root); anything
// beyond 1 MiB is hostile.
inline constexpr std::size_t kMaxResponseBody = 1024 * 1024;
// Our messages are two levels deep at most; deeper is not from one of ours,
// and shallow enough that hostile JSON cannot exhaust the stack.
inline constexpr std::size_t kMaxJsonDepth = 8;

inline constexpr std::size_t kSessionIdSize = 16;
// SHA-256 of the CA's DER TLS leaf, bound into the SPAKE2+ context.
inline constexpr std::size_t kServerCertHashSize = 32;
// Pairing slots are the code's first two digits.
inline constexpr int kMaxSlot = 99;
// A check-in answer's address: longer than any IPv6 address with a scope
// ("fe80::...%wlan0") can be. A name: a DNS name's maximum.
inline constexpr std::size_t kMaxAddressText = 64;
inline constexpr std::size_t kMaxNameText = 253;

}  // namespace homeca::enroll
