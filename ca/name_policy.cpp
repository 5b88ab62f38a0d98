#include "ca/name_policy.h"

#include <arpa/inet.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstring>

namespace homeca::ca {
namespace {

constexpr std::size_t kMaxDnsName = 253;  // RFC 1035 section 2.3.4, without the root dot
constexpr std::size_t kMaxLabel = 63;
constexpr char kNoSuchName[] = "homeca.invalid";

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool ParseIp(std::string_view text, Bytes& out) {
  std::string s(text);
  unsigned char buf[16];
  if (inet_pton(AF_INET, s.c_str(), buf) == 1) {
    out.assign(buf, buf + 4);
    return true;
  }
  if (inet_pton(AF_INET6, s.c_str(), buf) == 1) {
    out.assign(buf, buf + 16);
    return true;
  }
  return false;
}

std::string IpText(const Bytes& ip) {
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(ip.size() == 4 ? AF_INET : AF_INET6, ip.data(), buf, sizeof buf);
  return buf;
}

bool InRange(const Bytes& ip, const Bytes& network, int prefix_len) {
  if (ip.size() != network.size()) return false;
  for (int bit = 0; bit < prefix_len; ++bit) {
    int byte = bit / 8;
    int mask = 0x80 >> (bit % 8);
    if ((ip[byte] & mask) != (network[byte] & mask)) return false;
  }
  return true;
}

bool IsPrivateRange(const IpRange& r) {
  struct Known {
    const char* net;
    int len;
  };
  // RFC 1918, RFC 6598 (CGNAT), RFC 3927 link-local, RFC 4193 ULA, RFC 4291 link-local.
  static constexpr Known kPrivate[] = {{"10.0.0.0", 8},    {"172.16.0.0", 12},  {"192.168.0.0", 16},
                                       {"100.64.0.0", 10}, {"169.254.0.0", 16}, {"fc00::", 7},
                                       {"fe80::", 10}};
  for (const Known& k : kPrivate) {
    Bytes net;
    ParseIp(k.net, net);
    if (r.prefix_len >= k.len && InRange(r.network, net, k.len)) return true;
  }
  return false;
}

// Why `label` (one part of a host name) is not letters, digits and inner
// hyphens of 1-63 characters, in words that say what to change; "" when it is.
std::string LabelProblem(std::string_view label) {
  if (label.empty()) return "it has an empty part (two dots in a row, or a dot at the start)";
  if (label.size() > kMaxLabel) {
    return "'" + std::string(label) + "' is " + std::to_string(label.size()) +
           " characters, at most " + std::to_string(kMaxLabel) + " between dots";
  }
  if (label.find(' ') != std::string_view::npos) {
    return "use hyphens instead of spaces, like living-room-tv";
  }
  const bool ldh = std::all_of(label.begin(), label.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
  if (!ldh) return "letters, digits and hyphens only";
  if (label.front() == '-' || label.back() == '-') return "a hyphen cannot start or end a part";
  return {};
}

// Checks a lower-cased DNS name; returns "" when valid, else why not.
std::string DnsNameProblem(const NamePolicy& policy, std::string_view name) {
  if (name.size() > kMaxDnsName) {
    return "is " + std::to_string(name.size()) + " characters, at most " +
           std::to_string(kMaxDnsName);
  }
  const std::string* domain = nullptr;
  for (const std::string& d : policy.permitted_domains) {
    if (name.size() > d.size() + 1 && name.substr(name.size() - d.size()) == d &&
        name[name.size() - d.size() - 1] == '.') {
      domain = &d;
      break;
    }
  }
  if (domain == nullptr) {
    std::string allowed;
    for (std::size_t i = 0; i < policy.permitted_domains.size(); ++i) {
      const bool last = i + 1 == policy.permitted_domains.size();
      allowed += (i == 0 ? "" : last ? " or " : ", ") + policy.permitted_domains[i];
    }
    return "is not under a permitted domain: only names under " + allowed;
  }
  std::string_view host = name.substr(0, name.size() - domain->size() - 1);
  bool first = true;
  while (true) {
    std::size_t dot = host.find('.');
    std::string_view label = host.substr(0, dot);
    if (first && label == "*") {
      if (!policy.allow_wildcards) return "is a wildcard, and this CA does not issue wildcards";
      if (dot == std::string_view::npos) return "is a wildcard over a whole permitted domain";
    } else if (std::string problem = LabelProblem(label); !problem.empty()) {
      return "is not a valid host name: " + problem;
    }
    first = false;
    if (dot == std::string_view::npos) break;
    host = host.substr(dot + 1);
  }
  return {};
}

}  // namespace

std::string IpRange::ToString() const { return IpText(network) + "/" + std::to_string(prefix_len); }

std::string IpRange::MaskString() const {
  Bytes mask(network.size(), 0);
  for (int bit = 0; bit < prefix_len; ++bit) {
    mask[bit / 8] = static_cast<std::uint8_t>(mask[bit / 8] | (0x80 >> (bit % 8)));
  }
  return IpText(mask);
}

Result<IpRange> ParseIpRange(std::string_view text) {
  std::size_t slash = text.find('/');
  IpRange r;
  const std::string bad = "'" + std::string(text) + "' is not an address range like 192.168.1.0/24";
  if (slash == std::string_view::npos || !ParseIp(text.substr(0, slash), r.network)) {
    return Status::InvalidArgument(bad);
  }
  std::string_view len = text.substr(slash + 1);
  if (len.empty() || len.size() > 3 ||
      !std::all_of(len.begin(), len.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return Status::InvalidArgument(bad);
  }
  r.prefix_len = std::stoi(std::string(len));
  if (r.prefix_len > static_cast<int>(r.network.size() * 8)) return Status::InvalidArgument(bad);
  // Insist the admin wrote the network itself, not a host inside it.
  Bytes cleared = r.network;
  for (int bit = r.prefix_len; bit < static_cast<int>(cleared.size() * 8); ++bit) {
    cleared[bit / 8] = static_cast<std::uint8_t>(cleared[bit / 8] & ~(0x80 >> (bit % 8)));
  }
  if (cleared != r.network) {
    return Status::InvalidArgument("'" + std::string(text) + "' has host bits set; did you mean " +
                                   IpText(cleared) + "/" + std::to_string(r.prefix_len) + "?");
  }
  if (!IsPrivateRange(r)) {
    return Status::PolicyViolation("'" + std::string(text) +
                                   "' is not a private, link-local or unique-local range");
  }
  return r;
}

bool IsReservedForCa(const NamePolicy& policy, std::string_view name) {
  return std::any_of(
      policy.permitted_domains.begin(), policy.permitted_domains.end(), [&](const std::string& d) {
        return name == "ca." + d ||
               (!policy.box_host_label.empty() && name == policy.box_host_label + "." + d);
      });
}

Result<std::vector<CheckedName>> CheckNames(const NamePolicy& policy,
                                            const std::vector<std::string>& names,
                                            NameHolder holder) {
  if (names.empty()) return Status::InvalidArgument("at least one name is required");
  std::vector<CheckedName> out;
  for (const std::string& raw : names) {
    if (raw.size() > kMaxDnsName + 1) {
      return Status::PolicyViolation("a requested name is longer than 253 characters");
    }
    CheckedName checked;
    if (ParseIp(raw, checked.ip)) {
      checked.kind = CheckedName::Kind::kIp;
      checked.text = IpText(checked.ip);
      if (policy.permitted_ip_ranges.empty()) {
        return Status::PolicyViolation("'" + checked.text +
                                       "': this CA does not issue for IP addresses");
      }
      bool inside = std::any_of(
          policy.permitted_ip_ranges.begin(), policy.permitted_ip_ranges.end(),
          [&](const IpRange& r) { return InRange(checked.ip, r.network, r.prefix_len); });
      if (!inside) {
        return Status::PolicyViolation("'" + checked.text + "' is outside the permitted ranges");
      }
    } else {
      checked.text = Lower(raw);
      if (!checked.text.empty() && checked.text.back() == '.') checked.text.pop_back();
      // Only printable ASCII (space included: "my nas" deserves the real reason)
      // is echoed back; anything else is reported generically.
      bool printable =
          std::all_of(raw.begin(), raw.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
      std::string problem = printable ? DnsNameProblem(policy, checked.text)
                                      : "contains characters outside printable ASCII";
      if (!problem.empty()) {
        std::string shown = printable ? "'" + raw + "'" : "a requested name";
        return Status::PolicyViolation(shown + " " + problem);
      }
      if (holder != NameHolder::kCaItself && IsReservedForCa(policy, checked.text)) {
        return Status::PolicyViolation("'" + checked.text + "' is reserved for the CA itself");
      }
    }
    bool duplicate = std::any_of(out.begin(), out.end(),
                                 [&](const CheckedName& n) { return n.text == checked.text; });
    if (!duplicate) out.push_back(std::move(checked));
  }
  if (out.size() > policy.max_names) {
    return Status::PolicyViolation("too many names (" + std::to_string(out.size()) + "); at most " +
                                   std::to_string(policy.max_names));
  }
  return out;
}

std::string ExpandDeviceName(std::string_view name, const NamePolicy& policy) {
  if (name.find('.') != std::string_view::npos || name.find(':') != std::string_view::npos ||
      policy.permitted_domains.empty()) {
    return std::string(name);
  }
  return std::string(name) + "." + policy.permitted_domains.front();
}

std::vector<std::string> PairingNamesFor(const std::vector<std::string>& names,
                                         const NamePolicy& policy) {
  std::vector<std::string> out;
  out.reserve(names.size() + 1);
  for (const std::string& name : names) out.push_back(ExpandDeviceName(name, policy));
  const bool local_permitted =
      std::find(policy.permitted_domains.begin(), policy.permitted_domains.end(), "local") !=
      policy.permitted_domains.end();
  constexpr std::string_view kHomeArpa = ".home.arpa";
  if (local_permitted && !out.empty() && out.front().ends_with(kHomeArpa)) {
    const std::string label = out.front().substr(0, out.front().size() - kHomeArpa.size());
    const std::string local = label + ".local";
    if (!label.empty() && label.find('.') == std::string::npos &&
        std::find(out.begin(), out.end(), local) == out.end()) {
      out.insert(out.begin() + 1, local);
    }
  }
  return out;
}

std::string LocalHostLabel() {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0) return "";
  std::string label(host, strnlen(host, sizeof host));
  label = label.substr(0, label.find('.'));
  std::transform(label.begin(), label.end(), label.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return label;
}

std::string NameConstraintsConfig(const NamePolicy& policy) {
  std::string conf = "critical";
  for (const std::string& d : policy.permitted_domains) conf += ",permitted;DNS:" + d;
  bool has_v4 = false;
  bool has_v6 = false;
  for (const IpRange& r : policy.permitted_ip_ranges) {
    conf += ",permitted;IP:" + IpText(r.network) + "/" + r.MaskString();
    (r.is_v6() ? has_v6 : has_v4) = true;
  }
  // An address family with no permitted range is excluded outright, so a
  // verifier never falls back to "unconstrained" for it.
  if (!has_v4) conf += ",excluded;IP:0.0.0.0/0.0.0.0";
  if (!has_v6) conf += ",excluded;IP:::/::";
  // RFC 5280 section 4.2.1.10: once a name type has a permitted subtree,
  // every name of that type must fall inside one. No mailbox and no URI
  // lives under homeca.invalid (RFC 6761 section 6.4), so these permit none:
  // no e-mail (S/MIME) or URI name in a leaf, nor an emailAddress attribute
  // in its subject, which OpenSSL, NSS and Chromium check as an e-mail name.
  conf += ",permitted;email:" + std::string(kNoSuchName) + ",permitted;URI:" + kNoSuchName;
  return conf;
}

}  // namespace homeca::ca
