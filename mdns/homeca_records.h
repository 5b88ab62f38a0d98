// homeca's own DNS-SD records, both directions, in one place:
//
//   _homeca._tcp       a homeca CA, on its enrollment (HTTPS) port.
//                      TXT v=1, fp=<first 16 hex digits of the root's
//                      SHA-256>, path=/enroll/v1/
//   _homeca-pair._tcp  a device waiting to pair with its own code.
//                      TXT id=<device id>, model=<free text>, and
//                      kdf=pbkdf2-sha256 from a constrained device that
//                      cannot afford scrypt (absent: scrypt)
//
// Reading them is strict (they come from the LAN): a record that does not
// follow the schema is refused with the reason, never half-used.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "ca/base/status.h"
#include "mdns/service.h"

namespace homeca::mdns {

inline constexpr const char* kCaServiceType = "_homeca._tcp";
inline constexpr const char* kPairServiceType = "_homeca-pair._tcp";
inline constexpr int kCaRecordVersion = 1;
inline constexpr std::size_t kFingerprintPrefixHexDigits = 16;
inline constexpr std::size_t kMaxModelBytes = 64;
inline constexpr std::size_t kMaxEnrollPathBytes = 128;

struct CaRecord {
  int version = 0;
  std::string fingerprint_prefix;  // lower-case hex, 16 to 64 digits
  std::string path;                // "/enroll/v1/"
};

struct PairRecord {
  std::string device_id;  // 1-64 of A-Z a-z 0-9 . _ -
  std::string model;      // sanitized text, may be empty
  // The password KDF the device asks the CA to arm with: kPairKdfPbkdf2, or
  // empty (scrypt, the default). Other values are ignored.
  std::string kdf;
};

inline constexpr const char* kPairKdfPbkdf2 = "pbkdf2-sha256";

// `root_sha256_hex`: the root's SHA-256, hex. Name: the instance name.
Announcement MakeCaAnnouncement(const std::string& name, std::uint16_t port,
                                std::string_view root_sha256_hex,
                                std::string_view path = "/enroll/v1/");
// `kdf`: empty, or kPairKdfPbkdf2 for a device that asks for PBKDF2.
Announcement MakePairAnnouncement(const std::string& name, const std::string& device_id,
                                  const std::string& model, const std::string& kdf = "");

// InvalidArgument with the reason when the TXT does not follow the schema
// (missing or unsupported v, malformed fp or path).
Result<CaRecord> ParseCaRecord(const ResolvedService& service);
Result<PairRecord> ParsePairRecord(const ResolvedService& service);

// "homeca on <host>", cut to a valid instance name.
std::string DefaultCaInstanceName(std::string_view host);

}  // namespace homeca::mdns
