#include "mdns/host_names.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>

namespace homeca::mdns {
namespace {

// RFC 1035 section 2.3.4: 255 bytes on the wire is 253 in text.
constexpr std::size_t kMaxHostNameTextBytes = 253;
constexpr std::size_t kMaxLabelBytes = 63;
constexpr std::string_view kLocalSuffix = ".local";

bool IsLdhLabel(std::string_view label) {
  if (label.empty() || label.size() > kMaxLabelBytes) return false;
  if (label.front() == '-' || label.back() == '-') return false;
  return std::all_of(label.begin(), label.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool Refused(const HostAddress& a) {
  const auto& b = a.bytes;
  if (!a.ipv6) {
    const std::uint32_t v = (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) |
                            (std::uint32_t{b[2]} << 8) | b[3];
    return v == 0 || b[0] == 127 || (b[0] & 0xf0) == 0xe0 || v == 0xffffffffu;
  }
  static constexpr std::array<std::uint8_t, 16> kUnspecified{};
  static constexpr std::array<std::uint8_t, 16> kLoopback{0, 0, 0, 0, 0, 0, 0, 0,
                                                          0, 0, 0, 0, 0, 0, 0, 1};
  // An IPv4-mapped address (::ffff:a.b.c.d) belongs in an A record.
  const bool v4_mapped = std::all_of(b.begin(), b.begin() + 10, [](auto x) { return x == 0; }) &&
                         b[10] == 0xff && b[11] == 0xff;
  return b == kUnspecified || b == kLoopback || b[0] == 0xff || v4_mapped;
}

std::string Format(bool ipv6, const std::array<std::uint8_t, 16>& bytes) {
  char text[INET6_ADDRSTRLEN] = {};
  if (!inet_ntop(ipv6 ? AF_INET6 : AF_INET, bytes.data(), text, sizeof text)) return {};
  return text;
}

}  // namespace

bool HostAddress::operator<(const HostAddress& o) const {
  if (ipv6 != o.ipv6) return !ipv6;
  return bytes < o.bytes;
}

std::optional<std::string> CanonicalLocalHostName(std::string_view host) {
  if (host.size() > kMaxHostNameTextBytes || host.size() <= kLocalSuffix.size()) return {};
  std::string lower = Lower(host);
  if (lower.compare(lower.size() - kLocalSuffix.size(), kLocalSuffix.size(), kLocalSuffix) != 0) {
    return {};
  }
  std::string_view rest(lower.data(), lower.size() - kLocalSuffix.size());
  for (std::size_t start = 0;;) {
    const std::size_t dot = rest.find('.', start);
    if (!IsLdhLabel(rest.substr(start, dot == std::string_view::npos ? dot : dot - start))) {
      return {};
    }
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return lower;
}

std::optional<HostAddress> ParseHostAddress(std::string_view text) {
  // inet_pton needs a terminated string; no address text is longer than this.
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN) return {};
  const std::string terminated(text);
  HostAddress a;
  a.ipv6 = terminated.find(':') != std::string::npos;
  if (inet_pton(a.ipv6 ? AF_INET6 : AF_INET, terminated.c_str(), a.bytes.data()) != 1) return {};
  if (Refused(a)) return {};
  a.text = Format(a.ipv6, a.bytes);
  if (a.text.empty()) return {};
  return a;
}

std::optional<HostAddress> AddressFromRecordData(bool ipv6, const void* data, std::size_t size) {
  if (!data || size != (ipv6 ? 16u : 4u)) return {};
  HostAddress a;
  a.ipv6 = ipv6;
  std::memcpy(a.bytes.data(), data, size);
  a.text = Format(ipv6, a.bytes);
  if (a.text.empty()) return {};
  return a;
}

std::optional<std::vector<HostAddress>> ParseHostAddresses(const std::vector<std::string>& texts) {
  if (texts.empty() || texts.size() > kMaxHostAddresses) return {};
  std::vector<HostAddress> out;
  for (const std::string& text : texts) {
    std::optional<HostAddress> a = ParseHostAddress(text);
    if (!a) return {};
    out.push_back(std::move(*a));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace homeca::mdns
