// The mDNS side of the homeca-enroll CLI: starting Avahi and finding the CA
// when no --ca is given (pair, wait). Only the CLI links Avahi;
// libhomeca-enroll never does.
//
// Thread-safety: single-threaded CLI code (Avahi runs its own thread).
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "ca/base/args.h"
#include "ca/base/status.h"
#include "enroll/device/endpoint_url.h"
#include "enroll/discovery/ca_finder.h"
#include "mdns/mdns.h"

namespace homeca::enroll_cli {

using cli::OptionSpec;
using cli::ParsedArgs;

// --ca-name, --discover-timeout.
std::vector<OptionSpec> DiscoveryOptions();

// Starts Avahi (never fails for lack of a daemon; see mdns/avahi_mdns.h).
Result<std::unique_ptr<mdns::Mdns>> StartMdns();

// Finds the CA as the options say, printing "found CA ..." on stdout. The
// result's fingerprint prefix must go into the pairing (EnrollerConfig).
Result<enroll::FoundCa> DiscoverCa(const ParsedArgs& args, mdns::Mdns& mdns);

// Refuses --ca-name and --discover-timeout together with --ca.
Status CheckDiscoveryArgs(const ParsedArgs& args);

}  // namespace homeca::enroll_cli
