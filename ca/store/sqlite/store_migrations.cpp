#include "ca/store/sqlite/store_migrations.h"

#include <iterator>
#include <string>

#include "ca/store/sqlite/sqlite.h"

namespace homeca::ca {
namespace {

// Schema 1. Times are unix seconds. `status` duplicates the presence of a
// revocations row so that list filters can use an index on it; both change
// together in one transaction.
constexpr char kSchemaV1[] = R"sql(
CREATE TABLE certificates (
  id INTEGER PRIMARY KEY,
  serial_hex TEXT NOT NULL UNIQUE,
  subject_cn TEXT NOT NULL,
  not_before INTEGER NOT NULL,
  not_after INTEGER NOT NULL,
  requester TEXT NOT NULL,
  key_type TEXT NOT NULL,
  fingerprint_sha256 TEXT NOT NULL UNIQUE,
  der BLOB NOT NULL,
  issued_at INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'valid' CHECK (status IN ('valid', 'revoked'))
);
-- Expiry views and the CRL (status, not_after); the default listing order.
CREATE INDEX certificates_not_after ON certificates (not_after);
CREATE INDEX certificates_status_not_after ON certificates (status, not_after);
CREATE INDEX certificates_issued_at ON certificates (issued_at DESC, id DESC);

CREATE TABLE certificate_names (
  certificate_id INTEGER NOT NULL REFERENCES certificates (id) ON DELETE RESTRICT,
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  PRIMARY KEY (certificate_id, position)
) WITHOUT ROWID;
CREATE INDEX certificate_names_name ON certificate_names (name);

-- Reasons are RFC 5280 section 5.3.1 CRLReason values (7 is unused).
CREATE TABLE revocations (
  certificate_id INTEGER PRIMARY KEY REFERENCES certificates (id) ON DELETE RESTRICT,
  reason INTEGER NOT NULL CHECK (reason BETWEEN 0 AND 10 AND reason <> 7),
  revoked_at INTEGER NOT NULL
);

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE counters (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;

-- AUTOINCREMENT: ids are never reused, so an entry's id also orders it.
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  detail TEXT NOT NULL
);
-- Guards against mistakes, not against someone who can drop the triggers.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit log is append-only');
END;
)sql";

// Schema 2: device pairings (docs/enrollment-protocol.md). A row keeps the
// SPAKE2+ verifier record of its code (salt, iterations, w0, L), never the
// code; w0 and L are erased once the pairing is no longer armed, because for
// a code printed on a device they would outlive the pairing and invite an
// offline search. `slot` is set for codes the CA made, `device_id` for codes
// a device brought. Expiry is stored as a time; the state becomes 'expired'
// when someone notices (a sweep or a new pairing for the same slot).
constexpr char kSchemaV2[] = R"sql(
CREATE TABLE pairings (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  slot INTEGER CHECK (slot BETWEEN 0 AND 99),
  device_id TEXT CHECK (length(device_id) BETWEEN 1 AND 64),
  salt BLOB NOT NULL,
  iterations INTEGER NOT NULL CHECK (iterations BETWEEN 1000 AND 100000),
  w0 BLOB,
  l BLOB,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  state TEXT NOT NULL DEFAULT 'armed'
    CHECK (state IN ('armed', 'paired', 'burned', 'cancelled', 'expired')),
  certificate_serial TEXT REFERENCES certificates (serial_hex) ON DELETE RESTRICT,
  created_by TEXT NOT NULL,
  CHECK ((slot IS NULL) <> (device_id IS NULL)),
  CHECK (state <> 'armed' OR (w0 IS NOT NULL AND l IS NOT NULL)),
  CHECK ((state = 'paired') = (certificate_serial IS NOT NULL))
);
-- At most one armed pairing per slot and per device id.
CREATE UNIQUE INDEX pairings_armed_slot ON pairings (slot)
  WHERE state = 'armed' AND slot IS NOT NULL;
CREATE UNIQUE INDEX pairings_armed_device ON pairings (device_id)
  WHERE state = 'armed' AND device_id IS NOT NULL;
-- The expiry sweep.
CREATE INDEX pairings_armed_expiry ON pairings (expires_at) WHERE state = 'armed';

CREATE TABLE pairing_names (
  pairing_id INTEGER NOT NULL REFERENCES pairings (id) ON DELETE RESTRICT,
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  PRIMARY KEY (pairing_id, position)
) WITHOUT ROWID;
)sql";

// Schema 3: the web UI. API tokens keep only a SHA-256 of the token (tokens
// are 256 random bits, so a plain hash cannot be searched offline); a token
// is revoked by setting revoked_at and never deleted, so the audit log's
// references stay meaningful. The requester index lets the device list
// follow a device's renewals ("renewal:<serial>") without a table scan.
// The admin password's scrypt record lives in `settings` (admin.password).
constexpr char kSchemaV3[] = R"sql(
CREATE TABLE api_tokens (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  label TEXT NOT NULL CHECK (length(label) BETWEEN 1 AND 100),
  token_sha256 BLOB NOT NULL UNIQUE CHECK (length(token_sha256) = 32),
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  revoked_at INTEGER
);
CREATE INDEX certificates_requester ON certificates (requester);
)sql";

// Schema 4: the certificate list's filters at tens of thousands of rows.
// A name search ("contains", so no index can seek) scans the narrow
// subject_cn index and the names table instead of every wide certificates row
// (the DER is inline); a status filter reads its rows in issue order from an
// index instead of sorting them.
constexpr char kSchemaV4[] = R"sql(
CREATE INDEX certificates_subject_cn ON certificates (subject_cn);
CREATE INDEX certificates_status_issued_at ON certificates (status, issued_at DESC, id DESC);
)sql";

// Schema 5: renewal lineage (docs/enrollment-protocol.md, "Renewal"). Every
// certificate belongs to one lineage, named by the id of its first
// certificate (a pairing's, or one the CLI issued); a renewal's row points at
// the certificate it renewed. `lineages.head_id` is the one certificate of a
// lineage that may renew: a renewal moves it forward in the transaction that
// stores the new certificate, only if it still names the predecessor, so two
// concurrent renewals from one certificate cannot both be stored (the unique
// index on predecessor_id is the last line of defence). `ended_at` is set
// when the admin revokes the device: nothing in the lineage renews again.
//
// Backfill from the requester column ("renewal:<serial>"): a certificate that
// was renewed more than once under the old rules keeps as its successor the
// newest renewal, the branch the Devices page followed before, so the device
// the admin saw keeps working; the other branches stay in the lineage (listed,
// counted, revoked with the device) but are not its head, so they never renew.
constexpr char kSchemaV5[] = R"sql(
CREATE TABLE lineages (
  id INTEGER PRIMARY KEY REFERENCES certificates (id) ON DELETE RESTRICT,
  head_id INTEGER NOT NULL UNIQUE REFERENCES certificates (id) ON DELETE RESTRICT,
  ended_at INTEGER
);
ALTER TABLE certificates ADD COLUMN predecessor_id INTEGER
  REFERENCES certificates (id) ON DELETE RESTRICT;
ALTER TABLE certificates ADD COLUMN lineage_id INTEGER
  REFERENCES certificates (id) ON DELETE RESTRICT;

UPDATE certificates SET predecessor_id =
    (SELECT p.id FROM certificates AS p WHERE p.serial_hex = substr(certificates.requester, 9))
  WHERE substr(requester, 1, 8) = 'renewal:'
    AND id = (SELECT n.id FROM certificates AS n WHERE n.requester = certificates.requester
              ORDER BY n.issued_at DESC, n.id DESC LIMIT 1);
CREATE UNIQUE INDEX certificates_predecessor ON certificates (predecessor_id)
  WHERE predecessor_id IS NOT NULL;

CREATE TEMP TABLE lineage_backfill (id INTEGER PRIMARY KEY, root INTEGER NOT NULL);
WITH RECURSIVE tree (id, root) AS (
  SELECT c.id, c.id FROM certificates AS c
    WHERE substr(c.requester, 1, 8) <> 'renewal:'
       OR NOT EXISTS (SELECT 1 FROM certificates AS p
                      WHERE p.serial_hex = substr(c.requester, 9))
  UNION ALL
  SELECT c.id, tree.root FROM tree
    JOIN certificates AS p ON p.id = tree.id
    JOIN certificates AS c ON c.requester = 'renewal:' || p.serial_hex
)
INSERT INTO lineage_backfill (id, root) SELECT id, root FROM tree;
UPDATE certificates SET lineage_id =
  (SELECT b.root FROM lineage_backfill AS b WHERE b.id = certificates.id);
DROP TABLE temp.lineage_backfill;

WITH RECURSIVE walk (id, root) AS (
  SELECT id, id FROM certificates WHERE lineage_id = id
  UNION ALL
  SELECT c.id, walk.root FROM walk JOIN certificates AS c ON c.predecessor_id = walk.id
)
INSERT INTO lineages (id, head_id)
  SELECT root, id FROM walk
  WHERE NOT EXISTS (SELECT 1 FROM certificates AS s WHERE s.predecessor_id = walk.id);

-- Revoking a device, counting its renewals, the rate limit: one lineage's
-- rows in issue order.
CREATE INDEX certificates_lineage ON certificates (lineage_id, issued_at);

-- The pairing's password KDF, as announced to the device in `start`
-- (enroll/password_kdf.h, e.g. 'scrypt$15$8$1'); NULL on rows from before
-- schema 5: PBKDF2-HMAC-SHA256 with the iterations column.
ALTER TABLE pairings ADD COLUMN kdf TEXT
  CHECK (kdf IS NULL OR (length(kdf) BETWEEN 1 AND 64 AND kdf NOT GLOB '*[^ -~]*'));
)sql";

// Schema 6: where each paired device is (ca/device_address.h), for name
// publishing. Per device and address family one row for its last
// authenticated contact (pinned = 0) and one for the admin's pin (pinned = 1).
// Only authenticated contact writes here; mDNS sightings never do.
constexpr char kSchemaV6[] = R"sql(
CREATE TABLE device_addresses (
  pairing_id INTEGER NOT NULL REFERENCES pairings (id) ON DELETE CASCADE,
  family INTEGER NOT NULL CHECK (family IN (4, 6)),
  pinned INTEGER NOT NULL CHECK (pinned IN (0, 1)),
  address TEXT NOT NULL CHECK (length(address) BETWEEN 2 AND 45 AND address NOT GLOB '*[^0-9a-f.:]*'),
  source TEXT NOT NULL CHECK (source IN ('pairing', 'renewal', 'checkin', 'pinned')),
  seen_at INTEGER NOT NULL,
  PRIMARY KEY (pairing_id, family, pinned)
) WITHOUT ROWID;
-- The contact's certificate -> its device: pairings by their first certificate.
CREATE INDEX IF NOT EXISTS pairings_certificate_serial ON pairings (certificate_serial);
)sql";

// Schema 7: ACME (docs/acme.md). An ACME pairing is an armed pairing whose
// device id ("acme:<key id>") the enrollment protocol cannot name; its
// external account binding keeps the HMAC key until the first account binds
// (then NULL, so a stolen database holds no usable credential). An account is
// bound to that pairing for good; its orders' authorizations are the
// pairing's names, valid from the start, one row per identifier.
constexpr char kSchemaV7[] = R"sql(
CREATE TABLE acme_eab (
  key_id TEXT PRIMARY KEY CHECK (length(key_id) BETWEEN 16 AND 64 AND key_id NOT GLOB '*[^A-Za-z0-9_-]*'),
  pairing_id INTEGER NOT NULL UNIQUE REFERENCES pairings (id) ON DELETE RESTRICT,
  hmac_key BLOB CHECK (hmac_key IS NULL OR length(hmac_key) = 32),
  created_at INTEGER NOT NULL,
  used_at INTEGER,
  CHECK ((hmac_key IS NULL) = (used_at IS NOT NULL))
) WITHOUT ROWID;
CREATE TABLE acme_accounts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  thumbprint TEXT NOT NULL UNIQUE,
  jwk TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'valid' CHECK (status IN ('valid', 'deactivated')),
  key_id TEXT NOT NULL REFERENCES acme_eab (key_id) ON DELETE RESTRICT,
  pairing_id INTEGER NOT NULL REFERENCES pairings (id) ON DELETE RESTRICT,
  contact TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL
);
CREATE INDEX acme_accounts_pairing ON acme_accounts (pairing_id);
CREATE TABLE acme_orders (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id INTEGER NOT NULL REFERENCES acme_accounts (id) ON DELETE RESTRICT,
  status TEXT NOT NULL DEFAULT 'ready'
    CHECK (status IN ('ready', 'processing', 'valid', 'invalid')),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  certificate_serial TEXT REFERENCES certificates (serial_hex) ON DELETE RESTRICT,
  CHECK ((status = 'valid') = (certificate_serial IS NOT NULL))
);
CREATE INDEX acme_orders_account ON acme_orders (account_id, id DESC);
CREATE INDEX acme_orders_certificate ON acme_orders (certificate_serial)
  WHERE certificate_serial IS NOT NULL;
CREATE TABLE acme_authorizations (
  order_id INTEGER NOT NULL REFERENCES acme_orders (id) ON DELETE RESTRICT,
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'valid' CHECK (status IN ('valid', 'deactivated')),
  PRIMARY KEY (order_id, position)
) WITHOUT ROWID;
)sql";

// Schema 8: what the admin is told about a pairing. failed_attempts counts
// the attempts known to have used a wrong code (never the code itself);
// replaces names the paired device a new pairing supersedes.
constexpr char kSchemaV8[] = R"sql(
ALTER TABLE pairings ADD COLUMN failed_attempts INTEGER NOT NULL DEFAULT 0
  CHECK (failed_attempts >= 0);
ALTER TABLE pairings ADD COLUMN replaces INTEGER REFERENCES pairings (id) ON DELETE RESTRICT;
)sql";

struct Migration {
  int version;
  const char* sql;
};

// Append only; never edit a migration that has shipped.
constexpr Migration kMigrations[] = {
    {1, kSchemaV1}, {2, kSchemaV2}, {3, kSchemaV3}, {4, kSchemaV4},
    {5, kSchemaV5}, {6, kSchemaV6}, {7, kSchemaV7}, {8, kSchemaV8},
};

Status ApplyIfMissing(SqliteDatabase& db, const Migration& migration) {
  SqliteTransaction txn(db, SqliteTransaction::Mode::kImmediate);
  HOMECA_RETURN_IF_ERROR(txn.Begin());
  // Another process may have migrated while we waited for the write lock.
  Result<int> current = ReadSchemaVersion(db);
  if (!current.ok()) return current.status();
  HOMECA_RETURN_IF_ERROR(CheckSchemaSupported(*current));
  if (*current >= migration.version) return Status::Ok();

  Status applied = db.Exec(migration.sql);
  if (!applied.ok()) {
    return applied.WithContext("cannot upgrade the database to schema " +
                               std::to_string(migration.version));
  }
  // user_version takes no bound parameters; the value is a constant of ours.
  const std::string set_version = "PRAGMA user_version = " + std::to_string(migration.version);
  HOMECA_RETURN_IF_ERROR(db.Exec(set_version.c_str()));
  return txn.Commit();
}

}  // namespace

int LatestSchemaVersion() { return std::prev(std::end(kMigrations))->version; }

Result<int> ReadSchemaVersion(SqliteDatabase& db) {
  Result<std::int64_t> version = db.QueryInt64("PRAGMA user_version");
  if (!version.ok()) return version.status().WithContext("cannot read the schema version");
  return static_cast<int>(*version);
}

Status CheckSchemaSupported(int version) {
  if (version < 0) {
    return Status::Store("database schema " + std::to_string(version) + " is not a homeca schema");
  }
  if (version <= LatestSchemaVersion()) return Status::Ok();
  return Status::Store("database schema " + std::to_string(version) +
                       " is newer than this homeca supports (" +
                       std::to_string(LatestSchemaVersion()) + ")");
}

Status Migrate(SqliteDatabase& db) { return MigrateTo(db, LatestSchemaVersion()); }

Status MigrateTo(SqliteDatabase& db, int version) {
  Result<int> current = ReadSchemaVersion(db);
  if (!current.ok()) return current.status();
  HOMECA_RETURN_IF_ERROR(CheckSchemaSupported(*current));
  for (const Migration& migration : kMigrations) {
    if (migration.version <= *current || migration.version > version) continue;
    HOMECA_RETURN_IF_ERROR(ApplyIfMissing(db, migration));
  }
  return Status::Ok();
}

}  // namespace homeca::ca
