// CertificateStore: the CA's durable memory, on one SQLite file.
//
// Holds every issued certificate (DER, serial, names, validity, requester,
// status), revocations with reason and time, CA settings, the CRL number,
// device pairings (ca/pairing_record.h), and an append-only audit log. Every
// write is one transaction that is durable (WAL, synchronous=FULL) when the
// call returns OK: an issuance is on disk before the certificate is handed to
// anyone.
//
// Thread-safety: one CertificateStore may be used from several threads; calls
// are serialized on an internal mutex. Several processes may open the same
// file (SQLite locking and a busy timeout arbitrate).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "ca/admin_records.h"
#include "ca/base/encoding.h"
#include "ca/base/status.h"
#include "ca/device_address.h"
#include "ca/lineage_record.h"
#include "ca/pairing_record.h"

namespace homeca::ca {

class SqliteDatabase;  // ca/sqlite.h; only the store includes <sqlite3.h>
class AcmeRecords;     // ca/acme_records.h
struct DeviceRecord;   // ca/device_record.h

// RFC 5280 section 5.3.1 CRLReason values we accept.
enum class RevocationReason : int {
  kUnspecified = 0,
  kKeyCompromise = 1,
  kAffiliationChanged = 3,
  kSuperseded = 4,
  kCessationOfOperation = 5,
};

struct Revocation {
  RevocationReason reason = RevocationReason::kUnspecified;
  std::int64_t revoked_at = 0;  // unix seconds
};

struct CertificateRecord {
  std::int64_t id = 0;     // assigned by the store
  std::string serial_hex;  // lower-case hex of the serial, no leading zeros stripped
  std::string subject_cn;
  std::vector<std::string> names;  // SAN entries as issued (DNS names and IP addresses)
  std::int64_t not_before = 0;     // unix seconds
  std::int64_t not_after = 0;      // unix seconds
  std::string requester;           // who asked: "cli:root", "device:<id>", ...
  std::string key_type;            // "EC P-256", "RSA 2048", ...
  std::string fingerprint_sha256;  // lower-case hex of SHA-256(DER)
  Bytes der;
  std::int64_t issued_at = 0;            // unix seconds
  std::optional<Revocation> revocation;  // set when revoked
};

// Status as a user sees it; "expired" is derived from not_after and `now`.
enum class CertificateState { kValid, kRevoked, kExpired };
CertificateState StateAt(const CertificateRecord& record, std::int64_t now);
const char* ToString(CertificateState state);

struct CertificateFilter {
  std::optional<CertificateState> state;  // evaluated at `now`
  std::string name_contains;              // substring of any SAN entry or the CN; "" = all
  std::int64_t now = 0;
  int limit = 100;  // 1..1000
  int offset = 0;
};

struct AuditEntry {
  std::int64_t id = 0;  // assigned by the store
  std::int64_t at = 0;  // unix seconds
  std::string actor;    // "cli", "admin", "device:<id>", "homecad"
  std::string action;   // "init", "issue", "revoke", "crl", "backup", "restore", ...
  std::string detail;   // human-readable; never a secret
};

struct RevokedSerial {
  std::string serial_hex;
  Revocation revocation;
};

class CertificateStore {
 public:
  // Opens (creating if missing, mode 0600) and migrates the database at `path`.
  static Result<std::unique_ptr<CertificateStore>> Open(const std::filesystem::path& path);
  ~CertificateStore();
  CertificateStore(const CertificateStore&) = delete;
  CertificateStore& operator=(const CertificateStore&) = delete;

  // Stores an issued certificate and its audit entry durably. Fails with
  // AlreadyExists if the serial is already stored. Returns the new record id.
  //
  // Concurrent callers share commits (group commit): while one transaction
  // is being made durable, later callers queue, and the next commit takes
  // them all with a single fsync. Each caller still returns only after its
  // own row is durable, and a failure of one entry fails only that entry.
  //
  // With `pairing_id`, the same transaction marks that pairing paired with
  // this certificate, or refuses the whole entry with NotFound when the
  // pairing is no longer armed or has expired (at record.issued_at): of two
  // concurrent finishes for one pairing, only one can store a certificate.
  //
  // Every certificate joins a lineage (ca/lineage_record.h): without
  // `renews`, it starts its own; with `renews` (the id of the certificate it
  // renews), it joins that one's lineage as its new head, in the same
  // transaction, or the entry is refused with PermissionDenied (storing
  // nothing) when `renews` is no longer the head or the lineage has ended:
  // of two concurrent renewals from one certificate, only one is stored.
  Result<std::int64_t> InsertIssued(const CertificateRecord& record, const AuditEntry& audit,
                                    std::optional<std::int64_t> pairing_id = std::nullopt,
                                    std::optional<std::int64_t> renews = std::nullopt);

  struct IssuedEntry {
    const CertificateRecord* record;
    const AuditEntry* audit;
    std::optional<std::int64_t> pairing_id = std::nullopt;  // as for InsertIssued
    std::optional<std::int64_t> renews = std::nullopt;      // as for InsertIssued
  };
  // Stores several issued certificates in one durable transaction (one
  // fsync), each with its own outcome, in the order given.
  std::vector<Result<std::int64_t>> InsertIssuedBatch(const std::vector<IssuedEntry>& entries);

  Result<CertificateRecord> FindBySerial(const std::string& serial_hex);
  Result<std::vector<CertificateRecord>> List(const CertificateFilter& filter);
  Result<std::int64_t> Count(const CertificateFilter& filter);  // ignores limit/offset

  // Marks a certificate revoked, with its audit entry, in one transaction.
  // NotFound for an unknown serial; AlreadyExists if it is already revoked.
  Status Revoke(const std::string& serial_hex, const Revocation& revocation,
                const AuditEntry& audit);
  // Revoked certificates whose not_after is after `now` (what a CRL lists).
  Result<std::vector<RevokedSerial>> ListRevokedUnexpired(std::int64_t now);

  // Returns the next CRL number (1, 2, 3, ...), durably incremented.
  Result<std::int64_t> NextCrlNumber();

  Result<std::optional<std::string>> GetSetting(const std::string& key);
  Status SetSetting(const std::string& key, const std::string& value);
  // Sets a setting and appends its audit entry in one transaction.
  Status SetSettingAudited(const std::string& key, const std::string& value,
                           const AuditEntry& audit);

  // API tokens for the web UI's JSON API (cert_store_admin.cpp). Each write
  // is one transaction with its audit entry.
  Result<std::int64_t> CreateApiToken(const NewApiToken& token);
  // Newest first, revoked ones included.
  Result<std::vector<ApiTokenRecord>> ListApiTokens();
  // The unrevoked token whose SHA-256 is `token_sha256`, or NotFound.
  Result<ApiTokenRecord> FindActiveApiToken(const Bytes& token_sha256);
  // NotFound for an unknown id; PolicyViolation when it is already revoked.
  Status RevokeApiToken(std::int64_t id, std::int64_t now, const std::string& actor);

  // Devices and single pairings for the web UI (cert_store_devices.cpp).
  // One pairing by id, without secrets; armed past its expiry reads expired.
  Result<PairingSummary> GetPairing(std::int64_t id, std::int64_t now);
  Result<std::int64_t> CountPairings(PairingState state);
  // Paired pairings, newest first, each with the head of its lineage.
  Result<std::vector<DeviceRecord>> ListDevices(int limit = 1000);

  // Renewal lineage (cert_store_lineage.cpp).
  // Where certificate `certificate_id` stands in its lineage, counting the
  // lineage's renewals issued after `since`. NotFound for an unknown id.
  Result<LineageStanding> GetLineageStanding(std::int64_t certificate_id, std::int64_t since);
  // Revokes every unrevoked certificate of paired pairing `pairing_id`'s
  // lineage and ends the lineage, with one audit entry, in one transaction;
  // returns how many certificates it revoked. The audit entry is `audit`
  // with the device and the count put before its detail. NotFound for an
  // unknown or unpaired pairing; AlreadyExists when the device is already
  // revoked.
  Result<int> RevokeDevice(std::int64_t pairing_id, const Revocation& revocation,
                           const AuditEntry& audit);

  // Where devices are (schema 6, cert_store_addresses.cpp; ca/device_address.h).
  struct DeviceContact {
    std::int64_t pairing_id = 0;
    std::string device;    // the device's first name, e.g. "nas.home.arpa"
    bool changed = false;  // the device's published addresses changed
  };
  // Records that the device holding certificate `certificate_id` made
  // authenticated contact from `address` (source pairing, renewal or
  // check-in; `address.seen_at` is when). When that changes what is
  // published for the device, an audit entry says so. NotFound when the
  // certificate belongs to no paired device; PermissionDenied when the
  // device was revoked (nothing is recorded for it).
  Result<DeviceContact> RecordDeviceContact(std::int64_t certificate_id,
                                            const DeviceAddress& address);
  // The admin pins `address` for its family (replacing an earlier pin of that
  // family), or with nullopt removes every pin of the device; one transaction
  // with `audit` (its detail gets the device and address put before it).
  // NotFound for an unknown or unpaired pairing.
  Status PinDeviceAddress(std::int64_t pairing_id, const std::optional<DeviceAddress>& address,
                          const AuditEntry& audit);

  // Pairings (cert_store_pairing*.cpp). Each write below is one transaction
  // with its audit entry. w0 and L leave the store only through
  // FindArmedPairing, and are erased from a row once it is no longer armed.

  // Stores an armed pairing; returns its id. AlreadyExists when an armed,
  // unexpired pairing holds the same slot or device id. Armed pairings that
  // have expired are marked expired first, in the same transaction.
  Result<std::int64_t> CreatePairing(const NewPairing& pairing);
  // A uniformly random slot that no armed, unexpired pairing holds;
  // PolicyViolation when all 100 are taken.
  Result<int> PickFreePairingSlot(std::int64_t now);
  // The armed, unexpired pairing for `key`, or NotFound.
  Result<PairingRecord> FindArmedPairing(const PairingKey& key, std::int64_t now);
  // Counts one key exchange against pairing `id`: kCounted while attempts
  // stay within `max_attempts`, kBurned (and the pairing burned) for the one
  // after, kNotArmed when the pairing is not armed or has expired (an expired
  // one is marked so). NotFound for an unknown id. Durable on return, and
  // group-committed like InsertIssued.
  Result<PairingAttempt> RecordPairingAttempt(std::int64_t id, int max_attempts, std::int64_t now,
                                              const std::string& actor);
  // Cancels an armed pairing. NotFound for an unknown id; PolicyViolation
  // when it is no longer armed.
  Status CancelPairing(std::int64_t id, std::int64_t now, const std::string& actor);
  // Marks every armed pairing past its expiry as expired; returns how many.
  Result<int> ExpirePairings(std::int64_t now, const std::string& actor);
  // Newest first; never carries w0, L or the salt.
  Result<std::vector<PairingSummary>> ListPairings(const PairingFilter& filter);

  Status AppendAudit(const AuditEntry& entry);
  // Newest first.
  Result<std::vector<AuditEntry>> ListAudit(int limit, int offset);

  // "ok" from PRAGMA integrity_check, or a Store error with what it found.
  Status IntegrityCheck();
  // A consistent copy through SQLite's online backup API, written 0600.
  Status BackupTo(const std::filesystem::path& destination);
  // Replaces this database's content with the database at `source` through
  // the online backup API (after checking the source's integrity and schema).
  Status RestoreFrom(const std::filesystem::path& source);

  int SchemaVersion();

  // The ACME server's records (schema 7, ca/acme_records.h), on this
  // database and under this store's mutex.
  AcmeRecords& acme() { return *acme_; }

 private:
  explicit CertificateStore(std::unique_ptr<SqliteDatabase> db);

  // Group commit (cert_store_group_commit.cpp). A grouped write runs with
  // mu_ held, inside a transaction and a savepoint of its own: when it fails,
  // only its own changes are undone.
  using GroupedWrite = std::function<Status()>;
  struct PendingWrite;
  // Runs `write` in the next transaction to commit, shared with the writes
  // queued at the same moment, and returns once that transaction is durable:
  // the write's own status, or the commit's failure.
  Status GroupWrite(const GroupedWrite& write);
  // One transaction, one savepoint per write, one commit.
  std::vector<Status> RunGroupLocked(const std::vector<const GroupedWrite*>& writes);
  Status RunInSavepointLocked(const GroupedWrite& write);

  // One issued certificate, its names and audit entry, and its pairing.
  Status InsertEntryLocked(const IssuedEntry& entry, std::int64_t* id);
  // Inside InsertEntryLocked: the new row `id` starts or extends a lineage.
  Status LinkLineageLocked(const IssuedEntry& entry, std::int64_t id);
  // Inside InsertEntryLocked: armed -> paired for `entry`.
  Status MarkPairingPairedLocked(const IssuedEntry& entry);
  Status CountAttemptLocked(std::int64_t id, int max_attempts, std::int64_t now,
                            const std::string& actor, PairingAttempt* attempt);

  std::mutex mu_;  // guards db_
  std::unique_ptr<SqliteDatabase> db_;
  std::unique_ptr<AcmeRecords> acme_;  // borrows db_ and mu_

  // Group commit: writes waiting for the next commit, and whether a leader
  // is committing now.
  std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::vector<PendingWrite*> queue_;
  bool committing_ = false;
};

}  // namespace homeca::ca
