// What `homeca info` says about renewal, honestly limited to what the CLI
// can know from the data directory: devices renew themselves (homeca-enroll
// run on each), so it reports the newest renewal and the devices that are
// past their renewal point without one; and homecad republishes the CRL at
// least daily, so a stale CRL says homecad is not running.
//
// Thread-safety: none needed (one CLI call). Ownership: borrows the Authority.
#pragma once

#include <cstdint>
#include <ostream>

#include "ca/authority.h"

namespace homeca::cli {

void PrintRenewalReport(ca::Authority& authority, std::int64_t now, std::ostream& out);

}  // namespace homeca::cli
