// AcmeRecords on SQLite (schema 7, ca/store/sqlite/store_migrations.cpp). Reads take the
// store's mutex; writes also take an IMMEDIATE transaction, so a check and
// the change it guards see the same rows.
#include "ca/store/sqlite/sqlite_acme_records.h"

#include <string>
#include <string_view>

#include "ca/store/sqlite/pairing_sql.h"
#include "ca/store/sqlite/sqlite.h"

namespace homeca::ca {
namespace {

using Row = SqliteStatement::StepResult;

constexpr char kSelectAccount[] =
    "SELECT id, thumbprint, jwk, status, key_id, pairing_id, contact, created_at "
    "FROM acme_accounts";
constexpr char kSelectOrder[] =
    "SELECT id, account_id, status, created_at, expires_at, certificate_serial FROM acme_orders";

std::string JoinLines(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : "\n") + item;
  return out;
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

AcmeAccount ReadAccount(const SqliteStatement& row) {
  AcmeAccount a;
  a.id = row.ColumnInt64(0);
  a.thumbprint = row.ColumnText(1);
  a.jwk = row.ColumnText(2);
  a.status =
      row.ColumnText(3) == "valid" ? AcmeAccountStatus::kValid : AcmeAccountStatus::kDeactivated;
  a.key_id = row.ColumnText(4);
  a.pairing_id = row.ColumnInt64(5);
  a.contact = SplitLines(row.ColumnText(6));
  a.created_at = row.ColumnInt64(7);
  return a;
}

AcmeOrderStatus ParseOrderStatus(const std::string& text) {
  if (text == "ready") return AcmeOrderStatus::kReady;
  if (text == "processing") return AcmeOrderStatus::kProcessing;
  if (text == "valid") return AcmeOrderStatus::kValid;
  return AcmeOrderStatus::kInvalid;
}

Status ValidateContact(const std::vector<std::string>& contact) {
  for (const std::string& c : contact) {
    if (c.empty() || c.find('\n') != std::string::npos) {
      return Status::InvalidArgument("a contact is one non-empty line");
    }
  }
  return Status::Ok();
}

class SqliteAcmeRecords : public AcmeRecords {
 public:
  SqliteAcmeRecords(SqliteDatabase& db, std::mutex& mu) : db_(db), mu_(mu) {}

  Status CreateEab(const std::string& key_id, std::int64_t pairing_id, const Bytes& hmac_key,
                   std::int64_t now, const std::string& actor) override {
    if (hmac_key.size() != 32) return Status::InvalidArgument("an EAB HMAC key is 32 bytes");
    std::lock_guard<std::mutex> lock(mu_);
    SqliteTransaction txn(db_);
    HOMECA_RETURN_IF_ERROR(txn.Begin());
    Result<SqliteStatement> existing = SqliteStatement::PrepareBound(
        db_, "SELECT 1 FROM acme_eab WHERE key_id = ?1 OR pairing_id = ?2", key_id, pairing_id);
    if (!existing.ok()) return existing.status();
    Result<Row> found = existing->Step();
    if (!found.ok()) return found.status();
    if (*found == Row::kRow) {
      return Status::AlreadyExists(
          "this key id or pairing already has an external account binding");
    }
    existing->Reset();
    HOMECA_RETURN_IF_ERROR(db_.Execute(
        "INSERT INTO acme_eab (key_id, pairing_id, hmac_key, created_at) VALUES (?1, ?2, ?3, ?4)",
        key_id, pairing_id, hmac_key, now));
    HOMECA_RETURN_IF_ERROR(pairing_sql::InsertAudit(
        db_, actor, now, "acme-eab",
        "ACME key id " + key_id + " for pairing " + std::to_string(pairing_id)));
    return txn.Commit();
  }

  Result<AcmeEab> FindEab(const std::string& key_id) override {
    std::lock_guard<std::mutex> lock(mu_);
    return ReadEab("key_id = ?1", key_id);
  }

  Result<AcmeEab> FindEabForPairing(std::int64_t pairing_id) override {
    std::lock_guard<std::mutex> lock(mu_);
    return ReadEab("pairing_id = ?1", pairing_id);
  }

  Result<AcmeAccount> BindAccount(const NewAcmeAccount& account, const std::string& key_id,
                                  std::int64_t pairing_expires_at) override {
    HOMECA_RETURN_IF_ERROR(ValidateContact(account.contact));
    std::lock_guard<std::mutex> lock(mu_);
    SqliteTransaction txn(db_);
    HOMECA_RETURN_IF_ERROR(txn.Begin());
    Result<AcmeEab> eab = ReadEab("key_id = ?1", key_id);
    if (!eab.ok()) return eab.status();
    if (!eab->hmac_key) {
      return Status::PermissionDenied("this external account binding was already used");
    }
    Result<AcmeAccount> same = ReadAccountWhere(" WHERE thumbprint = ?1", account.thumbprint);
    if (same.ok()) return Status::AlreadyExists("an account has this key");
    if (!same.status().IsNotFound()) return same.status();
    HOMECA_RETURN_IF_ERROR(db_.Execute(
        "INSERT INTO acme_accounts (thumbprint, jwk, key_id, pairing_id, contact, created_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        account.thumbprint, account.jwk, key_id, eab->pairing_id, JoinLines(account.contact),
        account.created_at));
    const std::int64_t id = db_.LastInsertRowId();
    HOMECA_RETURN_IF_ERROR(
        db_.Execute("UPDATE acme_eab SET hmac_key = NULL, used_at = ?2 WHERE key_id = ?1", key_id,
                    account.created_at));
    HOMECA_RETURN_IF_ERROR(db_.Execute(
        "UPDATE pairings SET expires_at = max(expires_at, ?2) WHERE id = ?1 AND state = 'armed' "
        "AND expires_at > ?3",
        eab->pairing_id, pairing_expires_at, account.created_at));
    HOMECA_RETURN_IF_ERROR(pairing_sql::InsertAudit(
        db_, "acme:" + key_id, account.created_at, "acme-account",
        "ACME account " + std::to_string(id) + " (key " + account.thumbprint +
            ") bound to pairing " + std::to_string(eab->pairing_id) + "; the HMAC key is wiped"));
    HOMECA_RETURN_IF_ERROR(txn.Commit());
    return ReadAccountWhere(" WHERE id = ?1", id);
  }

  Result<AcmeAccount> FindAccount(std::int64_t id) override {
    std::lock_guard<std::mutex> lock(mu_);
    return ReadAccountWhere(" WHERE id = ?1", id);
  }

  Result<AcmeAccount> FindAccountByThumbprint(const std::string& thumbprint) override {
    std::lock_guard<std::mutex> lock(mu_);
    return ReadAccountWhere(" WHERE thumbprint = ?1", thumbprint);
  }

  Status SetAccountContact(std::int64_t id, const std::vector<std::string>& contact) override {
    HOMECA_RETURN_IF_ERROR(ValidateContact(contact));
    std::lock_guard<std::mutex> lock(mu_);
    SqliteTransaction txn(db_);
    HOMECA_RETURN_IF_ERROR(txn.Begin());
    HOMECA_RETURN_IF_ERROR(ReadAccountWhere(" WHERE id = ?1", id).status());
    HOMECA_RETURN_IF_ERROR(
        db_.Execute("UPDATE acme_accounts SET contact = ?2 WHERE id = ?1", id, JoinLines(contact)));
    return txn.Commit();
  }

  Status DeactivateAccount(std::int64_t id, std::int64_t now, const std::string& actor) override {
    std::lock_guard<std::mutex> lock(mu_);
    SqliteTransaction txn(db_);
    HOMECA_RETURN_IF_ERROR(txn.Begin());
    Result<AcmeAccount> account = ReadAccountWhere(" WHERE id = ?1", id);
    if (!account.ok()) return account.status();
    if (account->status != AcmeAccountStatus::kValid) {
      return Status::PermissionDenied("this account is deactivated");
    }
    HOMECA_RETURN_IF_ERROR(
        db_.Execute("UPDATE acme_accounts SET status = 'deactivated' WHERE id = ?1", id));
    HOMECA_RETURN_IF_ERROR(pairing_sql::InsertAudit(
        db_, actor, now, "acme-account-deactivated",
        "ACME account " + std::to_string(id) + " of pairing " +
            std::to_string(account->pairing_id) + " deactivated by its key"));
    return txn.Commit();
  }

  Status ChangeAccountKey(std::int64_t id, const std::string& old_thumbprint,
                          const std::string& new_thumbprint, const std::string& new_jwk,
                          std::int64_t now, const std::string& actor) override {
    std::lock_guard<std::mutex> lock(mu_);
    SqliteTransaction txn(db_);
    HOMECA_RETURN_IF_ERROR(txn.Begin());
    Result<AcmeAccount> account = ReadAccountWhere(" WHERE id = ?1", id);
    if (!account.ok()) return account.status();
    if (account->thumbprint != old_thumbprint || account->status != AcmeAccountStatus::kValid) {
      return Status::PermissionDenied("the account's key changed meanwhile");
    }
    Result<AcmeAccount> taken = ReadAccountWhere(" WHERE thumbprint = ?1", new_thumbprint);
    if (taken.ok()) return Status::AlreadyExists("another account has the new key");
    if (!taken.status().IsNotFound()) return taken.status();
    HOMECA_RETURN_IF_ERROR(
        db_.Execute("UPDATE acme_accounts SET thumbprint = ?2, jwk = ?3 WHERE id = ?1", id,
                    new_thumbprint, new_jwk));
    HOMECA_RETURN_IF_ERROR(pairing_sql::InsertAudit(db_, actor, now, "acme-key-change",
                                                    "ACME account " + std::to_string(id) +
                                                        " changed its key from " + old_thumbprint +
                                                        " to " + new_thumbprint));
    return txn.Commit();
  }

  Result<AcmeOrder> CreateOrder(std::int64_t account_id, const std::vector<std::string>& names,
                                std::int64_t now, std::int64_t expires_at,
                                const AuditEntry& audit) override {
    if (names.empty()) return Status::InvalidArgument("an order needs at least one identifier");
    std::lock_guard<std::mutex> lock(mu_);
    SqliteTransaction txn(db_, SqliteTransaction::Mode::kImmediate,
                          SqliteTransaction::Durability::kWithNextSync);
    HOMECA_RETURN_IF_ERROR(txn.Begin());
    HOMECA_RETURN_IF_ERROR(db_.Execute(
        "INSERT INTO acme_orders (account_id, created_at, expires_at) VALUES (?1, ?2, ?3)",
        account_id, now, expires_at));
    AcmeOrder order;
    order.id = db_.LastInsertRowId();
    order.account_id = account_id;
    order.created_at = now;
    order.expires_at = expires_at;
    for (std::size_t i = 0; i < names.size(); ++i) {
      HOMECA_RETURN_IF_ERROR(db_.Execute(
          "INSERT INTO acme_authorizations (order_id, position, name) VALUES (?1, ?2, ?3)",
          order.id, static_cast<std::int64_t>(i), names[i]));
      order.authorizations.push_back({names[i], false});
    }
    HOMECA_RETURN_IF_ERROR(
        pairing_sql::InsertAudit(db_, audit.actor, audit.at, audit.action,
                                 "ACME order " + std::to_string(order.id) + " " + audit.detail));
    HOMECA_RETURN_IF_ERROR(txn.Commit());
    return order;
  }

  Result<AcmeOrder> FindOrder(std::int64_t id) override {
    std::lock_guard<std::mutex> lock(mu_);
    return ReadOrderWhere(" WHERE id = ?1", id);
  }

  Result<AcmeOrder> FindOrderByCertificate(const std::string& serial_hex) override {
    std::lock_guard<std::mutex> lock(mu_);
    return ReadOrderWhere(" WHERE certificate_serial = ?1", serial_hex);
  }

  Result<std::vector<std::int64_t>> ListOrderIds(std::int64_t account_id, int limit) override {
    std::lock_guard<std::mutex> lock(mu_);
    Result<SqliteStatement> stmt = SqliteStatement::PrepareBound(
        db_, "SELECT id FROM acme_orders WHERE account_id = ?1 ORDER BY id DESC LIMIT ?2",
        account_id, static_cast<std::int64_t>(limit));
    if (!stmt.ok()) return stmt.status();
    std::vector<std::int64_t> out;
    for (;;) {
      Result<Row> step = stmt->Step();
      if (!step.ok()) return step.status();
      if (*step != Row::kRow) break;
      out.push_back(stmt->ColumnInt64(0));
    }
    return out;
  }

  Status DeactivateAuthorization(std::int64_t order_id, int position, std::int64_t now,
                                 const std::string& actor) override {
    std::lock_guard<std::mutex> lock(mu_);
    SqliteTransaction txn(db_);
    HOMECA_RETURN_IF_ERROR(txn.Begin());
    Result<SqliteStatement> stmt = SqliteStatement::PrepareBound(
        db_, "SELECT name FROM acme_authorizations WHERE order_id = ?1 AND position = ?2", order_id,
        static_cast<std::int64_t>(position));
    if (!stmt.ok()) return stmt.status();
    Result<Row> found = stmt->Step();
    if (!found.ok()) return found.status();
    if (*found != Row::kRow) return Status::NotFound("no such authorization");
    const std::string name = stmt->ColumnText(0);
    stmt->Reset();
    HOMECA_RETURN_IF_ERROR(
        db_.Execute("UPDATE acme_authorizations SET status = 'deactivated' WHERE order_id = ?1 AND "
                    "position = ?2",
                    order_id, static_cast<std::int64_t>(position)));
    HOMECA_RETURN_IF_ERROR(db_.Execute(
        "UPDATE acme_orders SET status = 'invalid' WHERE id = ?1 AND status IN ('ready', "
        "'processing')",
        order_id));
    HOMECA_RETURN_IF_ERROR(pairing_sql::InsertAudit(
        db_, actor, now, "acme-authz-deactivated",
        "authorization for " + name + " of ACME order " + std::to_string(order_id)));
    return txn.Commit();
  }

  Result<AcmeReadyOrders> CountReadyOrders(std::int64_t account_id, std::int64_t now) override {
    std::lock_guard<std::mutex> lock(mu_);
    Result<SqliteStatement> stmt = SqliteStatement::PrepareBound(
        db_,
        "SELECT count(*), coalesce(min(expires_at), 0) FROM acme_orders "
        "WHERE account_id = ?1 AND status = 'ready' AND expires_at > ?2",
        account_id, now);
    if (!stmt.ok()) return stmt.status();
    Result<Row> step = stmt->Step();
    if (!step.ok()) return step.status();
    return AcmeReadyOrders{static_cast<int>(stmt->ColumnInt64(0)), stmt->ColumnInt64(1)};
  }

 private:
  template <typename Arg>
  Result<AcmeEab> ReadEab(const std::string& condition, const Arg& arg) {
    Result<SqliteStatement> stmt = SqliteStatement::PrepareBound(
        db_,
        "SELECT key_id, pairing_id, hmac_key, created_at, used_at FROM acme_eab WHERE " + condition,
        arg);
    if (!stmt.ok()) return stmt.status();
    Result<Row> found = stmt->Step();
    if (!found.ok()) return found.status();
    if (*found != Row::kRow) return Status::NotFound("no such ACME key id");
    AcmeEab eab;
    eab.key_id = stmt->ColumnText(0);
    eab.pairing_id = stmt->ColumnInt64(1);
    if (!stmt->ColumnIsNull(2)) eab.hmac_key = stmt->ColumnBlob(2);
    eab.created_at = stmt->ColumnInt64(3);
    if (!stmt->ColumnIsNull(4)) eab.used_at = stmt->ColumnInt64(4);
    return eab;
  }

  template <typename Arg>
  Result<AcmeAccount> ReadAccountWhere(const char* condition, const Arg& arg) {
    Result<SqliteStatement> stmt =
        SqliteStatement::PrepareBound(db_, std::string(kSelectAccount) + condition, arg);
    if (!stmt.ok()) return stmt.status();
    Result<Row> found = stmt->Step();
    if (!found.ok()) return found.status();
    if (*found != Row::kRow) return Status::NotFound("no such ACME account");
    return ReadAccount(*stmt);
  }

  template <typename Arg>
  Result<AcmeOrder> ReadOrderWhere(const char* condition, const Arg& arg) {
    Result<SqliteStatement> stmt =
        SqliteStatement::PrepareBound(db_, std::string(kSelectOrder) + condition, arg);
    if (!stmt.ok()) return stmt.status();
    Result<Row> found = stmt->Step();
    if (!found.ok()) return found.status();
    if (*found != Row::kRow) return Status::NotFound("no such ACME order");
    AcmeOrder order;
    order.id = stmt->ColumnInt64(0);
    order.account_id = stmt->ColumnInt64(1);
    order.status = ParseOrderStatus(stmt->ColumnText(2));
    order.created_at = stmt->ColumnInt64(3);
    order.expires_at = stmt->ColumnInt64(4);
    order.certificate_serial = stmt->ColumnText(5);
    stmt->Reset();
    Result<SqliteStatement> authz = SqliteStatement::PrepareBound(
        db_, "SELECT name, status FROM acme_authorizations WHERE order_id = ?1 ORDER BY position",
        order.id);
    if (!authz.ok()) return authz.status();
    for (;;) {
      Result<Row> step = authz->Step();
      if (!step.ok()) return step.status();
      if (*step != Row::kRow) break;
      order.authorizations.push_back({authz->ColumnText(0), authz->ColumnText(1) != "valid"});
    }
    return order;
  }

  SqliteDatabase& db_;
  std::mutex& mu_;
};

}  // namespace

const char* ToString(AcmeAccountStatus status) {
  return status == AcmeAccountStatus::kValid ? "valid" : "deactivated";
}

const char* ToString(AcmeOrderStatus status) {
  switch (status) {
    case AcmeOrderStatus::kReady:
      return "ready";
    case AcmeOrderStatus::kProcessing:
      return "processing";
    case AcmeOrderStatus::kValid:
      return "valid";
    case AcmeOrderStatus::kInvalid:
      return "invalid";
  }
  return "invalid";
}

std::unique_ptr<AcmeRecords> MakeSqliteAcmeRecords(SqliteDatabase& db, std::mutex& mu) {
  return std::make_unique<SqliteAcmeRecords>(db, mu);
}

}  // namespace homeca::ca
