// Renewal lineage (schema 5): every certificate belongs to one lineage,
// named by the id of its first certificate, and only the lineage's head, the
// newest certificate of its one unbranched chain, may renew. Revoking a
// device ends its lineage. docs/enrollment-protocol.md, "Renewal".
//
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace homeca::ca {

// Where one certificate stands in its lineage, as the renewal endpoint asks.
struct LineageStanding {
  std::int64_t lineage_id = 0;
  std::int64_t head_id = 0;               // the one certificate that may renew now
  std::optional<std::int64_t> ended_at;   // set once the device was revoked
  std::string successor_serial;           // renewed from this certificate; "" if none
  int renewals_since = 0;                 // renewals in the lineage issued after `since`
  std::int64_t oldest_renewal_since = 0;  // the first of those, 0 if none
};

}  // namespace homeca::ca
