// A device as the admin sees it: a pairing that completed, with the newest
// certificate of its renewal chain (the pairing's first certificate, then
// each certificate issued as "renewal:<previous serial>").
//
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <optional>

#include "ca/cert_store.h"
#include "ca/pairing_record.h"

namespace homeca::ca {

struct DeviceRecord {
  PairingSummary pairing;  // state kPaired; names[0] is the device's name
  // The newest certificate in the chain; empty only if the store lost it.
  std::optional<CertificateRecord> current;
  std::int64_t paired_at = 0;     // when the first certificate was issued
  std::int64_t last_renewal = 0;  // when `current` was issued, 0 if never renewed
  int renewals = 0;
};

}  // namespace homeca::ca
