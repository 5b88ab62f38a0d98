// The certificates the CA issued, behind two narrow interfaces:
// CertificateReader for whoever needs to look (the web UI, the enrollment
// service, the CLI), and CertificateStore, which adds the writes that are the
// CA's job (issue, revoke, CRL numbers) and is held only by the Authority.
// Anyone else issues and revokes through ca::Authority.
//
// Contract for every implementation (ca/store/README in docs/architecture.md):
// - Durability: a write that returns OK is on disk (the SQLite store: WAL,
//   synchronous=FULL) together with its audit entry, in one transaction; a
//   write that fails changed nothing.
// - Thread-safety: every method may be called from several threads at once,
//   and several processes may open the same store.
// - Errors: NotFound, AlreadyExists, PermissionDenied and FailedPrecondition
//   as each method says; InvalidArgument for a malformed record; Store when
//   the database itself fails. Messages never carry secrets.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ca/audit_entry.h"
#include "ca/base/status.h"
#include "ca/certificate_record.h"
#include "ca/lineage_record.h"

namespace homeca::ca {

// Status::reason() of an issue refused because its ACME order is no longer
// ready (CertificateStore::InsertIssued).
inline constexpr char kAcmeOrderNotReady[] = "acme-order-not-ready";

class CertificateReader {
 public:
  virtual ~CertificateReader() = default;

  // NotFound for an unknown serial (lower-case hex).
  virtual Result<CertificateRecord> FindBySerial(const std::string& serial_hex) = 0;
  virtual Result<std::vector<CertificateRecord>> List(const CertificateFilter& filter) = 0;
  // Ignores limit and offset.
  virtual Result<std::int64_t> Count(const CertificateFilter& filter) = 0;
  // Revoked certificates whose not_after is after `now` (what a CRL lists).
  virtual Result<std::vector<RevokedSerial>> ListRevokedUnexpired(std::int64_t now) = 0;
  // Where certificate `certificate_id` stands in its renewal lineage
  // (ca/lineage_record.h), counting the lineage's renewals issued after
  // `since`. NotFound for an unknown id.
  virtual Result<LineageStanding> GetLineageStanding(std::int64_t certificate_id,
                                                     std::int64_t since) = 0;
};

class CertificateStore : public CertificateReader {
 public:
  // Stores an issued certificate and its audit entry durably; returns the
  // new record id. AlreadyExists if the serial is already stored.
  //
  // Concurrent callers may share one commit (group commit), but each returns
  // only after its own row is durable, and a failure of one entry fails only
  // that entry.
  //
  // With `pairing_id`, the same transaction marks that pairing paired with
  // this certificate, or refuses the whole entry with NotFound when the
  // pairing is no longer armed or has expired (at record.issued_at): of two
  // concurrent finishes for one pairing, only one can store a certificate.
  //
  // Every certificate joins a lineage: without `renews` it starts its own;
  // with `renews` (the id of the certificate it renews) it becomes the head
  // of that one's lineage in the same transaction, or the entry is refused
  // with PermissionDenied (storing nothing) when `renews` is no longer the
  // head or the lineage has ended: of two concurrent renewals from one
  // certificate, only one is stored.
  //
  // With `acme_order`, the same transaction makes that ACME order valid with
  // this certificate (and audits acme-issue), or refuses the whole entry
  // with FailedPrecondition (reason kAcmeOrderNotReady, to tell it from the
  // Authority's own FailedPrecondition) when the order is not ready or has expired (at
  // record.issued_at): of two concurrent finalizes of one order, only one
  // stores a certificate, and no crash can leave a certificate without its
  // order or an order half finalized.
  virtual Result<std::int64_t> InsertIssued(
      const CertificateRecord& record, const AuditEntry& audit,
      std::optional<std::int64_t> pairing_id = std::nullopt,
      std::optional<std::int64_t> renews = std::nullopt,
      std::optional<std::int64_t> acme_order = std::nullopt) = 0;

  struct IssuedEntry {
    const CertificateRecord* record;
    const AuditEntry* audit;
    std::optional<std::int64_t> pairing_id = std::nullopt;  // as for InsertIssued
    std::optional<std::int64_t> renews = std::nullopt;      // as for InsertIssued
    std::optional<std::int64_t> acme_order = std::nullopt;  // as for InsertIssued
  };
  // Stores several issued certificates in one durable transaction (one
  // fsync), each with its own outcome, in the order given.
  virtual std::vector<Result<std::int64_t>> InsertIssuedBatch(
      const std::vector<IssuedEntry>& entries) = 0;

  // Marks a certificate revoked, with its audit entry, in one transaction.
  // NotFound for an unknown serial; AlreadyExists if it is already revoked;
  // InvalidArgument for a reason RFC 5280 has but we do not accept.
  virtual Status Revoke(const std::string& serial_hex, const Revocation& revocation,
                        const AuditEntry& audit) = 0;
  // Revokes every unrevoked certificate of paired pairing `pairing_id`'s
  // lineage and ends the lineage, with one audit entry, in one transaction;
  // returns how many certificates it revoked. The audit entry is `audit`
  // with the device and the count put before its detail. NotFound for an
  // unknown or unpaired pairing; AlreadyExists when the device is already
  // revoked.
  virtual Result<int> RevokeDevice(std::int64_t pairing_id, const Revocation& revocation,
                                   const AuditEntry& audit) = 0;

  // The next CRL number (1, 2, 3, ...), durably incremented.
  virtual Result<std::int64_t> NextCrlNumber() = 0;
};

}  // namespace homeca::ca
