// The certificate store's schema and its ordered migrations.
//
// The schema version lives in PRAGMA user_version. Migration N takes a
// database from version N-1 to N; each runs in its own IMMEDIATE transaction,
// so a crash or a failure leaves the database at the last version that
// completed. A database whose version is newer than this build knows is
// refused rather than touched.
//
// Thread-safety: none of its own; callers serialize use of the connection.
// Several processes may migrate the same file: the write lock and a re-read
// of the version inside each transaction make that safe.
#pragma once

#include "ca/base/status.h"

namespace homeca::ca {

class SqliteDatabase;

// The schema version this build creates and understands.
int LatestSchemaVersion();

Result<int> ReadSchemaVersion(SqliteDatabase& db);

// OK for 0..LatestSchemaVersion() (0: nothing applied yet); a Store error
// naming both versions for a newer database, and for a negative one.
Status CheckSchemaSupported(int version);

// Brings `db` to LatestSchemaVersion(), applying each missing migration in
// order.
Status Migrate(SqliteDatabase& db);
// Applies the missing migrations up to `version` only: how the upgrade tests
// build a database as an older homeca left it.
Status MigrateTo(SqliteDatabase& db, int version);

}  // namespace homeca::ca
