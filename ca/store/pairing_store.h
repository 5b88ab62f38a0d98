// Pairings and the devices they became: arming a pairing, counting its key
// exchanges, cancelling and expiring it, listing devices, and where each
// device is on the LAN (ca/pairing_record.h, ca/device_record.h,
// ca/device_address.h). The certificate that completes a pairing is stored
// through the Authority (CertificateStore::InsertIssued with its pairing id).
//
// Contract for every implementation: each write is one transaction with its
// audit entry, durable when it returns OK, and changes nothing when it fails.
// The pairing's secrets (w0 and L) leave the store only through
// FindArmedPairing, and are erased from a pairing once it is no longer armed.
// Thread-safe; several processes may open the same store. Errors:
// NotFound, AlreadyExists, FailedPrecondition and PermissionDenied as each
// method says; Store when the database itself fails.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ca/audit_entry.h"
#include "ca/base/status.h"
#include "ca/device_address.h"
#include "ca/device_record.h"
#include "ca/pairing_record.h"

namespace homeca::ca {

// What RecordDeviceContact found.
struct DeviceContact {
  std::int64_t pairing_id = 0;
  std::string device;    // the device's first name, e.g. "nas.home.arpa"
  bool changed = false;  // the device's published addresses changed
};

// The reason (Status::reason) of CreatePairing's refusal of a name that
// another pairing holds.
inline constexpr char kPairingNameHeld[] = "pairing-name-held";

class PairingStore {
 public:
  virtual ~PairingStore() = default;

  // Stores an armed pairing; returns its id. AlreadyExists when an armed,
  // unexpired pairing holds the same slot or device id, and AlreadyExists
  // with reason kPairingNameHeld when one of its names is held by another
  // pairing: one waiting to pair, or a device not revoked other than the one
  // `pairing.replaces`. The check and the insert are one transaction, so of
  // two processes pairing one name at the same moment only one succeeds.
  // Armed pairings that have expired are marked expired first, in the same
  // transaction.
  virtual Result<std::int64_t> CreatePairing(const NewPairing& pairing) = 0;
  // A uniformly random slot that no armed, unexpired pairing holds;
  // FailedPrecondition when all 100 are taken.
  virtual Result<int> PickFreePairingSlot(std::int64_t now) = 0;
  // The armed, unexpired pairing for `key`, or NotFound.
  virtual Result<PairingRecord> FindArmedPairing(const PairingKey& key, std::int64_t now) = 0;
  // Counts one key exchange against pairing `id`: kCounted while attempts
  // stay within `max_attempts`, kBurned (and the pairing burned) for the one
  // after, kNotArmed when the pairing is not armed or has expired (an
  // expired one is marked so). NotFound for an unknown id. Durable on return
  // (group-committed with concurrent issuances).
  virtual Result<PairingAttempt> RecordPairingAttempt(std::int64_t id, int max_attempts,
                                                      std::int64_t now,
                                                      const std::string& actor) = 0;
  // Records that an attempt on pairing `id` used a wrong code (key
  // confirmation failed at the CA, or the device reported that the CA's did
  // not match): failed_attempts goes up, never past `attempts`, with an audit
  // entry saying `what` (never the code). NotFound for an unknown id;
  // FailedPrecondition when no counted attempt is left to call failed.
  virtual Status RecordPairingFailure(std::int64_t id, std::int64_t now, const std::string& actor,
                                      const std::string& what) = 0;
  // Cancels an armed pairing. NotFound for an unknown id; FailedPrecondition
  // when it is no longer armed.
  virtual Status CancelPairing(std::int64_t id, std::int64_t now, const std::string& actor) = 0;
  // Marks every armed pairing past its expiry as expired; returns how many.
  virtual Result<int> ExpirePairings(std::int64_t now, const std::string& actor) = 0;

  // Newest first; never carries w0, L or the salt.
  virtual Result<std::vector<PairingSummary>> ListPairings(const PairingFilter& filter) = 0;
  // One pairing by id, without secrets; armed past its expiry reads expired.
  // NotFound for an unknown id.
  virtual Result<PairingSummary> GetPairing(std::int64_t id, std::int64_t now) = 0;
  virtual Result<std::int64_t> CountPairings(PairingState state) = 0;

  // Paired pairings, newest first, each with the head of its lineage.
  virtual Result<std::vector<DeviceRecord>> ListDevices(int limit = 1000) = 0;

  // Records that the device holding certificate `certificate_id` made
  // authenticated contact from `address` (pairing, renewal or check-in;
  // `address.seen_at` is when). When that changes what is published for the
  // device, an audit entry says so. NotFound when the certificate belongs to
  // no paired device; PermissionDenied when the device was revoked (nothing
  // is recorded for it).
  virtual Result<DeviceContact> RecordDeviceContact(std::int64_t certificate_id,
                                                    const DeviceAddress& address) = 0;
  // The admin pins `address` for its family (replacing an earlier pin of
  // that family), or with nullopt removes every pin of the device; one
  // transaction with `audit` (its detail gets the device and address put
  // before it). NotFound for an unknown or unpaired pairing.
  virtual Status PinDeviceAddress(std::int64_t pairing_id,
                                  const std::optional<DeviceAddress>& address,
                                  const AuditEntry& audit) = 0;
};

}  // namespace homeca::ca
