#include "enroll/cli/discover.h"

#include <charconv>
#include <iostream>

#include "mdns/avahi_mdns.h"

namespace homeca::enroll_cli {

std::vector<OptionSpec> DiscoveryOptions() {
  return {
      {"ca-name", "NAME",
       "without --ca: the CA to use when several announce themselves on the LAN "
       "(its mDNS name, e.g. 'homeca on nas')"},
      {"discover-timeout", "SECONDS",
       "without --ca: how long to look for the CA over mDNS (default 5)"},
  };
}

Status CheckDiscoveryArgs(const ParsedArgs& args) {
  if (args.Has("ca") && (args.Has("ca-name") || args.Has("discover-timeout"))) {
    return Status::InvalidArgument(
        "--ca-name and --discover-timeout are for finding the CA "
        "over mDNS; leave them out with --ca");
  }
  return Status::Ok();
}

Result<std::unique_ptr<mdns::Mdns>> StartMdns() { return mdns::StartAvahiMdns(); }

Result<enroll::FoundCa> DiscoverCa(const ParsedArgs& args, mdns::Mdns& mdns) {
  enroll::FindCaOptions options;
  options.ca_name = args.Get("ca-name").value_or("");
  if (auto text = args.Get("discover-timeout")) {
    int seconds = 0;
    auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), seconds);
    if (ec != std::errc() || end != text->data() + text->size() || seconds < 1 || seconds > 600) {
      return Status::InvalidArgument(
          "--discover-timeout must be a whole number of seconds from 1 to 600");
    }
    options.timeout = std::chrono::seconds(seconds);
  }
  Result<enroll::FoundCa> found = enroll::FindCa(mdns, options);
  if (!found.ok()) return found.status();
  std::cout << "found CA:    '" << found->name << "' at " << found->endpoint.Url() << "\n"
            << std::flush;
  return std::move(found).value();
}

}  // namespace homeca::enroll_cli
