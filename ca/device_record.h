// A device as the admin sees it: a pairing that completed, with the head of
// its renewal lineage (ca/lineage_record.h): the one certificate that may
// renew, which is not always the newest one (a store upgraded from schema 4
// may hold old branches) and stays the head, revoked, once the device is.
//
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "ca/certificate_record.h"
#include "ca/device_address.h"
#include "ca/pairing_record.h"

namespace homeca::ca {

struct DeviceRecord {
  PairingSummary pairing;  // state kPaired; names[0] is the device's name
  // The head of the lineage; empty only if the store lost it.
  std::optional<CertificateRecord> current;
  std::int64_t paired_at = 0;     // when the first certificate was issued
  std::int64_t last_renewal = 0;  // the newest renewal's issue time, 0 if never renewed
  int renewals = 0;               // certificates of the lineage after its first
  // Set once the admin revoked the device: its lineage ended, nothing renews.
  std::optional<std::int64_t> revoked_at;
  // Every address on record (schema 6): the last authenticated contact per
  // family and the admin's pins; PublishedAddresses() picks what is published.
  std::vector<DeviceAddress> addresses;
};

}  // namespace homeca::ca
