// Devices without a shell (a NAS, a printer, a camera with only a web UI),
// enrolled by the admin's hand instead of homeca-enroll or ACME
// (docs/operations.md, "Devices without a shell"). Two ways:
// - IssueForCsr: the device made its key and a CSR (DSM's, TrueNAS's or a
//   printer's "create CSR" screen); homeca checks that the CSR asks for no
//   name but the device's (ca::CheckCsrAsksOnlyFor) and issues.
// - IssueWithCaKey: the CA makes the key (ca/key_bundle.h) and hands it out
//   once; it is never stored or logged.
//
// Either way the device is a pairing like any other, so it shows in Devices,
// can be revoked, and keeps a renewal lineage: it is stored armed under the
// device id "manual:<random>" (which the enrollment protocol can never name)
// with a verifier no code matches, and the certificate completes it at once
// (Authority::Issue with its pairing id: durable before it returns, audited
// as issued by `actor` for the device's names). Nothing renews such a device
// by itself: when the admin gives the same name again while its device is
// active, the new certificate renews that device's lineage instead of making
// a second device. A name held by a device paired another way is refused.
//
// Thread-safety: may be called from any thread; one call at a time per
// process decides whether a name is a new device or renews one (two
// processes at once, homecad and `homeca issue --device`, could still both
// make a device). Ownership: borrows the Authority.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "ca/authority.h"
#include "ca/base/status.h"
#include "ca/key_bundle.h"
#include "ca/pairing_record.h"
#include "ca/x509/key.h"

namespace homeca::enroll {

inline constexpr std::string_view kManualDeviceIdPrefix = "manual:";

// True for a pairing made here: a device renewed by hand.
bool IsManualPairing(const ca::PairingKey& key);

struct ManualCertificate {
  std::int64_t pairing_id = 0;  // the device's handle (Devices page, API)
  bool renewed = false;         // it renewed an active manual device
  ca::IssuedCertificate issued;
};

// `device_name` as the admin types it ("nas" means nas.home.arpa, with
// nas.local beside it where .local is permitted). Errors, nothing issued:
// InvalidArgument / PolicyViolation for a bad name or CSR (the CSR's own
// checks, then CheckCsrAsksOnlyFor), AlreadyExists when a device paired
// another way holds the name.
Result<ManualCertificate> IssueForCsr(ca::Authority& authority, std::string_view device_name,
                                      std::string_view csr, const std::string& actor);

struct CaMadeKey {
  ManualCertificate certificate;
  ca::PrivateKey key;  // a secret: hand it out once, never store or log it
};

// As IssueForCsr, with a key the CA makes for the device; the audit log
// says the CA made it (never the key itself).
Result<CaMadeKey> IssueWithCaKey(ca::Authority& authority, std::string_view device_name,
                                 ca::DeviceKeyType key_type, const std::string& actor);

}  // namespace homeca::enroll
