// Store: the CA's durable memory as the Authority holds it, every narrow
// interface in one object, the way step-ca's database implements each of
// its *DB interfaces. Only the Authority (and a restore, ca/backup.cpp)
// holds a Store; everyone else gets the one interface they need from
// Authority: certificates() (read only; issuing and revoking go through the
// Authority), pairings(), admin(), audit_log(), maintenance().
//
// A backend implements Store (today ca/store/sqlite/sqlite_store.h); a new
// table set is a new narrow interface added here and to each backend, and no
// caller of the others changes. The ACME server's records (ca/store/
// acme_records.h) are one, handed out by acme() as an object of their own.
//
// Thread-safety: as each interface says (all are thread-safe).
#pragma once

#include <filesystem>
#include <memory>

#include "ca/store/acme_records.h"
#include "ca/store/admin_store.h"
#include "ca/store/audit_log.h"
#include "ca/store/certificate_store.h"
#include "ca/store/pairing_store.h"
#include "ca/store/store_maintenance.h"

namespace homeca::ca {

class Store : public CertificateStore,
              public PairingStore,
              public AdminStore,
              public AuditLog,
              public StoreMaintenance {
 public:
  ~Store() override = default;
  // The ACME server's accounts, bindings and orders (schema 7).
  virtual AcmeRecords& acme() = 0;
};

// Opens (creating if missing, mode 0600, and migrating) the store of the CA
// whose database is `database`: the one place that picks the backend
// (today always SqliteStore, ca/store/sqlite/sqlite_store.cpp).
Result<std::unique_ptr<Store>> OpenStore(const std::filesystem::path& database);

}  // namespace homeca::ca
