#include "webui/http/source_key.h"

#include <arpa/inet.h>

#include <array>
#include <cstring>

namespace homeca::webui {
namespace {

// An IPv6 literal may carry a zone ("fe80::1%eth0"); the zone is not part
// of the address.
std::string StripZone(const std::string& address) { return address.substr(0, address.find('%')); }

bool IsV4Mapped(const std::array<unsigned char, 16>& a) {
  static constexpr unsigned char kPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  return std::memcmp(a.data(), kPrefix, sizeof kPrefix) == 0;
}

std::string V4Text(const unsigned char* bytes) {
  char text[INET_ADDRSTRLEN] = {};
  inet_ntop(AF_INET, bytes, text, sizeof text);
  return text;
}

}  // namespace

std::string SourceKey(const std::string& address) {
  in_addr v4{};
  if (inet_pton(AF_INET, address.c_str(), &v4) == 1) {
    return V4Text(reinterpret_cast<const unsigned char*>(&v4));
  }
  std::array<unsigned char, 16> v6{};
  if (inet_pton(AF_INET6, StripZone(address).c_str(), v6.data()) != 1) return address;
  if (IsV4Mapped(v6)) return V4Text(v6.data() + 12);
  std::fill(v6.begin() + 8, v6.end(), 0);  // keep the /64
  char text[INET6_ADDRSTRLEN] = {};
  inet_ntop(AF_INET6, v6.data(), text, sizeof text);
  return std::string(text) + "/64";
}

bool IsLoopbackSource(const std::string& address) {
  in_addr v4{};
  if (inet_pton(AF_INET, address.c_str(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24) == 127;
  }
  std::array<unsigned char, 16> v6{};
  if (inet_pton(AF_INET6, StripZone(address).c_str(), v6.data()) != 1) return false;
  if (IsV4Mapped(v6)) return v6[12] == 127;
  static constexpr std::array<unsigned char, 16> kLoopback = {0, 0, 0, 0, 0, 0, 0, 0,
                                                              0, 0, 0, 0, 0, 0, 0, 1};
  return v6 == kLoopback;
}

}  // namespace homeca::webui
