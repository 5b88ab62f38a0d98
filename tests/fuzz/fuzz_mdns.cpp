// Fuzz target: what the LAN says about itself over mDNS, through every
// function that turns it into text homeca keeps or shows: SanitizeText,
// ParseTxt, ParseCaRecord / ParsePairRecord (homeca's own records),
// DefaultCaInstanceName, ServiceMerger folding sightings together, and the
// host-name side: CanonicalLocalHostName, ParseHostAddress and HostRecordSet
// folding A/AAAA record data of any length.
//
// Input: a selector byte (bits pick the interface, protocol and whether the
// sighting is then removed), then NUL-separated strings: the instance name,
// the host name, then the TXT record's strings ("v=1", "fp=...", ...).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "mdns/homeca_records.h"
#include "mdns/host_names.h"
#include "mdns/host_record_set.h"
#include "mdns/service_merger.h"
#include "mdns/untrusted_text.h"
#include "tests/fuzz/fuzz_input.h"

using namespace homeca::mdns;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input = homeca::fuzz::AsText(data, size);
  const std::uint8_t selector = homeca::fuzz::TakeSelector(input);

  bool changed = false;
  (void)SanitizeText(input, kMaxTxtValueBytes, &changed);
  (void)SanitizeText(input, selector, &changed);

  // Instance name, host name, then at most kMaxTxtEntries * 2 TXT strings
  // (ParseTxt keeps kMaxTxtEntries; more strings only repeat its loop).
  std::vector<std::string_view> parts = homeca::fuzz::Split(input, '\0', 2 + kMaxTxtEntries * 2);
  parts.resize(std::max<std::size_t>(parts.size(), 2));
  const std::vector<std::string_view> txt_strings(parts.begin() + 2, parts.end());
  ParsedTxt txt = ParseTxt(txt_strings);

  ResolvedService piece;
  piece.key = {SanitizeText(parts[0], kMaxInstanceNameBytes),
               selector & 1 ? kPairServiceType : kCaServiceType, "local"};
  piece.host_name = SanitizeText(parts[1], kMaxHostNameBytes);
  piece.port = static_cast<std::uint16_t>(selector * 257);
  piece.txt = txt.entries;
  piece.txt_truncated = txt.truncated;
  piece.addresses.push_back({selector & 2 ? "fe80::1" : "192.168.1.20", (selector & 2) != 0,
                             static_cast<std::uint32_t>(selector >> 4), "eth0"});
  (void)ParseCaRecord(piece);
  (void)ParsePairRecord(piece);
  (void)DefaultCaInstanceName(parts[1]);
  (void)FindTxt(piece.txt, "fp");

  // Two sightings of the same instance, the second with the raw name, as
  // Avahi reports one per interface and protocol.
  ServiceMerger merger(4);
  const SightingOrigin first{selector >> 4, selector & 2 ? 1 : 0, std::string(parts[0])};
  const SightingOrigin second{(selector >> 4) + 1, selector & 2 ? 0 : 1, std::string(parts[1])};
  if (merger.Seen(piece.key, first)) (void)merger.Resolved(first, piece);
  if (merger.Seen(piece.key, second)) (void)merger.Resolved(second, piece);
  bool gone = false;
  if (selector & 4) (void)merger.Removed(piece.key, first, gone);
  if (selector & 8) (void)merger.Removed(piece.key, second, gone);
  (void)merger.Clear();

  // Host names and address records: the strings as names and addresses,
  // then each TXT string as the data of an A or AAAA record (any length),
  // seen from a few origins, some removed again.
  (void)CanonicalLocalHostName(parts[0]);
  (void)ParseHostAddress(parts[1]);
  HostRecordSet records("nas.local");
  for (std::size_t i = 0; i < txt_strings.size(); ++i) {
    const RecordOrigin origin{static_cast<int>(i % 3), static_cast<int>((selector >> i % 8) & 1)};
    const bool ipv6 = txt_strings[i].size() > 4;
    (void)records.Added(origin, ipv6, txt_strings[i].data(), txt_strings[i].size(),
                        ((selector >> 1) & 1) != 0);
    if ((i + selector) % 3 == 0) {
      (void)records.Removed(origin, ipv6, txt_strings[i].data(), txt_strings[i].size());
    }
  }
  (void)records.Sighting();
  (void)records.Clear();
  return 0;
}
