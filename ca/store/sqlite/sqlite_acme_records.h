// AcmeRecords on the store's SQLite database (schema 7): SqliteStore
// constructs one over its connection and its mutex, and hands it out through
// Store::acme().
//
// Thread-safety: every call holds the store's mutex, as the store's own do.
// Ownership: borrows the database and the mutex, which outlive it.
#pragma once

#include <memory>
#include <mutex>

#include "ca/store/acme_records.h"

namespace homeca::ca {

class SqliteDatabase;

std::unique_ptr<AcmeRecords> MakeSqliteAcmeRecords(SqliteDatabase& db, std::mutex& mu);

}  // namespace homeca::ca
