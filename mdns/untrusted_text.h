// Turning what the LAN says about itself into text that is safe to keep and
// to show. Anyone on the LAN can announce any service name, host name or TXT
// record, so every string read from mDNS goes through here before it leaves
// mdns/:
//  - lengths are bounded (instance names 63 bytes, TXT values 255, ...);
//  - the result is valid UTF-8: each byte of an invalid sequence becomes
//    U+FFFD;
//  - characters that could disguise or break what is shown are replaced with
//    U+FFFD: C0 and C1 controls, DEL, line and paragraph separators, and the
//    bidirectional formatting characters (a right-to-left override can make
//    "evil.exe" read as "exe.live").
// It does not HTML-escape: that is the renderer's job, for its own context.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "mdns/service.h"

namespace homeca::mdns {

// `raw` made safe as above and cut to at most `max_bytes` bytes on a
// character boundary. `changed`, when given, is set to whether anything was
// replaced or cut.
std::string SanitizeText(std::string_view raw, std::size_t max_bytes, bool* changed = nullptr);

struct ParsedTxt {
  std::vector<TxtEntry> entries;
  bool truncated = false;  // something was dropped, replaced or cut
};

// Parses the strings of one TXT record (RFC 6763 section 6): "key=value",
// "key" alone, or empty strings (ignored). Keys must be 1 to kMaxTxtKeyBytes
// printable ASCII characters other than '='; entries with bad keys are
// dropped. Only the first occurrence of a key counts. At most kMaxTxtEntries
// entries are kept.
ParsedTxt ParseTxt(const std::vector<std::string_view>& strings);

}  // namespace homeca::mdns
