// SqliteStore: the Store (ca/store/store.h) on one SQLite file, the only
// backend today. Certificates, revocations, settings, the CRL number,
// pairings, device addresses, API tokens and the audit log live in one
// database, so a write that touches several of them (an issuance that
// completes a pairing and extends a lineage) is one transaction.
//
// Durability: WAL with synchronous=FULL; every write is one transaction that
// is on disk when the call returns OK, so an issuance is durable before the
// certificate is handed to anyone. Issuances and pairing attempts are group
// committed: while one transaction is being made durable, later callers
// queue, and the next commit takes them all with a single fsync; each caller
// still returns only after its own row is durable, and a failure of one
// entry (a savepoint of its own) fails only that entry.
//
// Thread-safety: one SqliteStore may be used from several threads; calls are
// serialized on an internal mutex. Several processes may open the same file
// (SQLite locking and a busy timeout arbitrate). Only this backend includes
// <sqlite3.h> (through ca/store/sqlite/sqlite.h).
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

#include "ca/store/store.h"

namespace homeca::ca {

class SqliteDatabase;  // ca/store/sqlite/sqlite.h

class SqliteStore final : public Store {
 public:
  // Opens (creating if missing, mode 0600) and migrates the database at `path`.
  static Result<std::unique_ptr<SqliteStore>> Open(const std::filesystem::path& path);
  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  // CertificateReader (sqlite_store_queries.cpp, sqlite_store_lineage.cpp).
  Result<CertificateRecord> FindBySerial(const std::string& serial_hex) override;
  Result<std::vector<CertificateRecord>> List(const CertificateFilter& filter) override;
  Result<std::int64_t> Count(const CertificateFilter& filter) override;
  Result<std::vector<RevokedSerial>> ListRevokedUnexpired(std::int64_t now) override;
  Result<LineageStanding> GetLineageStanding(std::int64_t certificate_id,
                                             std::int64_t since) override;

  // SqliteStore (sqlite_store.cpp, sqlite_store_lineage.cpp).
  Result<std::int64_t> InsertIssued(const CertificateRecord& record, const AuditEntry& audit,
                                    std::optional<std::int64_t> pairing_id = std::nullopt,
                                    std::optional<std::int64_t> renews = std::nullopt,
                                    std::optional<std::int64_t> acme_order = std::nullopt) override;
  std::vector<Result<std::int64_t>> InsertIssuedBatch(
      const std::vector<IssuedEntry>& entries) override;
  Status Revoke(const std::string& serial_hex, const Revocation& revocation,
                const AuditEntry& audit) override;
  Result<int> RevokeDevice(std::int64_t pairing_id, const Revocation& revocation,
                           const AuditEntry& audit) override;
  Result<std::int64_t> NextCrlNumber() override;

  // PairingStore (sqlite_store_pairing*.cpp, sqlite_store_devices.cpp,
  // sqlite_store_addresses.cpp).
  Result<std::int64_t> CreatePairing(const NewPairing& pairing) override;
  Result<int> PickFreePairingSlot(std::int64_t now) override;
  Result<PairingRecord> FindArmedPairing(const PairingKey& key, std::int64_t now) override;
  Status RecordPairingFailure(std::int64_t id, std::int64_t now, const std::string& actor,
                              const std::string& what) override;
  Result<PairingAttempt> RecordPairingAttempt(std::int64_t id, int max_attempts, std::int64_t now,
                                              const std::string& actor) override;
  Status CancelPairing(std::int64_t id, std::int64_t now, const std::string& actor) override;
  Result<int> ExpirePairings(std::int64_t now, const std::string& actor) override;
  Result<std::vector<PairingSummary>> ListPairings(const PairingFilter& filter) override;
  Result<PairingSummary> GetPairing(std::int64_t id, std::int64_t now) override;
  Result<std::int64_t> CountPairings(PairingState state) override;
  Result<std::vector<DeviceRecord>> ListDevices(int limit = 1000) override;
  Result<DeviceContact> RecordDeviceContact(std::int64_t certificate_id,
                                            const DeviceAddress& address) override;
  Status PinDeviceAddress(std::int64_t pairing_id, const std::optional<DeviceAddress>& address,
                          const AuditEntry& audit) override;

  // AdminStore (sqlite_store.cpp, sqlite_store_admin.cpp).
  Result<std::optional<std::string>> GetSetting(const std::string& key) override;
  Status SetSetting(const std::string& key, const std::string& value) override;
  Status SetSettingAudited(const std::string& key, const std::string& value,
                           const AuditEntry& audit) override;
  Result<std::int64_t> CreateApiToken(const NewApiToken& token) override;
  Result<std::vector<ApiTokenRecord>> ListApiTokens() override;
  Result<ApiTokenRecord> FindActiveApiToken(const Bytes& token_sha256) override;
  Status RevokeApiToken(std::int64_t id, std::int64_t now, const std::string& actor) override;

  // AuditLog (sqlite_store.cpp, sqlite_store_queries.cpp).
  Status AppendAudit(const AuditEntry& entry) override;
  Result<std::vector<AuditEntry>> ListAudit(int limit, int offset) override;

  // StoreMaintenance (sqlite_store_backup.cpp): PRAGMA integrity_check, and
  // copies through SQLite's online backup API.
  Status IntegrityCheck() override;
  Status BackupTo(const std::filesystem::path& destination) override;
  Status RestoreFrom(const std::filesystem::path& source) override;
  int SchemaVersion() override;

  // AcmeRecords (sqlite_acme_records.cpp), on this database and mutex.
  AcmeRecords& acme() override { return *acme_; }

 private:
  explicit SqliteStore(std::unique_ptr<SqliteDatabase> db);

  // Group commit (sqlite_store_group_commit.cpp). A grouped write runs with
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
  // Runs `write` in a savepoint, undone when it fails; sets `poisoned` when
  // even the undo fails, and then nothing of the group may commit.
  Status RunInSavepointLocked(const GroupedWrite& write, Status* poisoned);

  // One issued certificate, its names and audit entry, and its pairing.
  Status InsertEntryLocked(const IssuedEntry& entry, std::int64_t* id);
  // Inside InsertEntryLocked: the new row `id` starts or extends a lineage.
  Status LinkLineageLocked(const IssuedEntry& entry, std::int64_t id);
  // Inside InsertEntryLocked: armed -> paired for `entry`.
  Status MarkPairingPairedLocked(const IssuedEntry& entry);
  // Inside InsertEntryLocked: the ACME order ready -> valid for `entry`.
  Status CompleteAcmeOrderLocked(const IssuedEntry& entry);
  // RevokeDevice's work inside the caller's transaction (also used when a
  // replacing pairing completes).
  Result<int> RevokeDeviceLocked(std::int64_t pairing_id, const Revocation& revocation,
                                 const AuditEntry& audit);
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
