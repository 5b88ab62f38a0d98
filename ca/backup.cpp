#include "ca/backup.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <unistd.h>

#include <map>
#include <memory>

#include "ca/file_util.h"
#include "ca/openssl_handles.h"

namespace homeca::ca {
namespace {

namespace fs = std::filesystem;

constexpr const char* kMarkerName = "HOMECA-BACKUP";
constexpr const char* kMarkerVersion = "homeca backup 1\n";
constexpr la_int64_t kMaxDatabaseBytes = 1LL << 30;
constexpr la_int64_t kMaxSmallFileBytes = 1 << 20;

struct ArchiveFree {
  void operator()(struct archive* a) const { archive_free(a); }
};
using ArchivePtr = std::unique_ptr<struct archive, ArchiveFree>;
struct EntryFree {
  void operator()(struct archive_entry* e) const { archive_entry_free(e); }
};
using EntryPtr = std::unique_ptr<struct archive_entry, EntryFree>;

// Archive member name -> file in the data directory (the database is handled
// separately, through SQLite's backup API).
std::map<std::string, fs::path> Members(const DataDir& dir) {
  return {{"root.pem", dir.root_cert()},
          {"root-key.pem", dir.root_key()},
          {"intermediate.pem", dir.intermediate_cert()},
          {"intermediate-key.pem", dir.intermediate_key()},
          {"crl.pem", dir.crl_pem()},
          {"crl.der", dir.crl_der()}};
}

Status ArchiveError(struct archive* a, const std::string& what) {
  const char* why = archive_error_string(a);
  return Status::Io(what + (why != nullptr ? std::string(": ") + why : ""));
}

Status AddMember(struct archive* a, const std::string& name, const std::string& data,
                 std::int64_t mtime) {
  EntryPtr entry(archive_entry_new());
  archive_entry_set_pathname(entry.get(), name.c_str());
  archive_entry_set_size(entry.get(), static_cast<la_int64_t>(data.size()));
  archive_entry_set_filetype(entry.get(), AE_IFREG);
  archive_entry_set_perm(entry.get(), 0600);
  archive_entry_set_mtime(entry.get(), static_cast<time_t>(mtime), 0);
  if (archive_write_header(a, entry.get()) != ARCHIVE_OK ||
      archive_write_data(a, data.data(), data.size()) != static_cast<la_ssize_t>(data.size())) {
    return ArchiveError(a, "cannot write " + name + " into the backup");
  }
  return Status::Ok();
}

// Reads every member into memory, refusing anything unexpected.
Result<std::map<std::string, std::string>> ReadArchive(const fs::path& path) {
  // The database is the largest member; gzip never grows it by more than a
  // few bytes per 16 KiB block, and the other members are small.
  constexpr std::size_t kMaxArchiveBytes = static_cast<std::size_t>(kMaxDatabaseBytes) + (16 << 20);
  Result<std::string> bytes = ReadFile(path, kMaxArchiveBytes);
  if (!bytes.ok()) return bytes.status().WithContext("cannot open backup " + path.string());
  Result<std::map<std::string, std::string>> files = ParseBackupArchive(*bytes);
  Cleanse(*bytes);
  if (!files.ok()) return files.status().WithContext(path.string());
  return files;
}

Status CheckKeysAndChain(const std::map<std::string, std::string>& files) {
  auto root = Certificate::FromPem(files.at("root.pem"));
  auto intermediate = Certificate::FromPem(files.at("intermediate.pem"));
  if (!root.ok() || !intermediate.ok()) {
    return Status::InvalidArgument("backup holds an unreadable certificate");
  }
  auto key = PrivateKey::FromPem(files.at("intermediate-key.pem"));
  if (!key.ok()) return key.status().WithContext("backup");
  if (X509_check_private_key(intermediate->native(), key->native()) != 1 ||
      X509_verify(intermediate->native(), X509_get0_pubkey(root->native())) != 1) {
    return Status::InvalidArgument("backup's intermediate does not match its key or root");
  }
  return Status::Ok();
}

}  // namespace

Result<std::map<std::string, std::string>> ParseBackupArchive(std::string_view archive_bytes) {
  ArchivePtr a(archive_read_new());
  archive_read_support_filter_gzip(a.get());
  archive_read_support_format_tar(a.get());
  if (archive_read_open_memory(a.get(), archive_bytes.data(), archive_bytes.size()) != ARCHIVE_OK) {
    return ArchiveError(a.get(), "cannot open the backup");
  }
  std::map<std::string, std::string> files;
  struct archive_entry* entry = nullptr;
  int rc;
  while ((rc = archive_read_next_header(a.get(), &entry)) == ARCHIVE_OK) {
    const char* raw_name = archive_entry_pathname(entry);
    std::string name = raw_name != nullptr ? raw_name : "";
    bool known = name == kMarkerName || name == "ca.db" || Members(DataDir("")).count(name) != 0;
    if (!known || archive_entry_filetype(entry) != AE_IFREG || files.count(name) != 0) {
      return Status::InvalidArgument("backup contains an unexpected entry; refusing it");
    }
    la_int64_t limit = name == "ca.db" ? kMaxDatabaseBytes : kMaxSmallFileBytes;
    if (archive_entry_size(entry) > limit) {
      return Status::InvalidArgument("backup entry " + name + " is too large");
    }
    std::string data(static_cast<std::size_t>(archive_entry_size(entry)), '\0');
    if (archive_read_data(a.get(), data.data(), data.size()) != static_cast<la_ssize_t>(data.size())) {
      return ArchiveError(a.get(), "cannot read " + name + " from the backup");
    }
    files.emplace(name, std::move(data));
  }
  if (rc != ARCHIVE_EOF) return ArchiveError(a.get(), "backup is damaged");
  if (files[kMarkerName] != kMarkerVersion) {
    return Status::InvalidArgument("not a homeca backup (or a newer format)");
  }
  for (const char* required : {"ca.db", "root.pem", "root-key.pem", "intermediate.pem",
                               "intermediate-key.pem"}) {
    if (files.count(required) == 0) {
      return Status::InvalidArgument(std::string("backup is missing ") + required);
    }
  }
  return files;
}

Status WriteBackup(Authority& authority, const fs::path& archive_path, const std::string& actor) {
  const DataDir& dir = authority.data_dir();
  std::error_code ec;
  if (fs::exists(archive_path, ec)) {
    return Status::AlreadyExists(archive_path.string() + " already exists");
  }
  const fs::path db_copy = dir.root() / ".backup-ca.db";
  fs::remove(db_copy, ec);
  HOMECA_RETURN_IF_ERROR(authority.store().BackupTo(db_copy));
  auto db = ReadFile(db_copy, static_cast<std::size_t>(kMaxDatabaseBytes));
  fs::remove(db_copy, ec);
  if (!db.ok()) return db.status();

  const fs::path tmp = archive_path.string() + ".partial";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Status::Io("cannot create " + tmp.string());
  const std::int64_t now = authority.clock().Now();
  Status status = [&]() -> Status {
    ArchivePtr a(archive_write_new());
    if (archive_write_add_filter_gzip(a.get()) != ARCHIVE_OK ||
        archive_write_set_format_pax_restricted(a.get()) != ARCHIVE_OK ||
        archive_write_open_fd(a.get(), fd) != ARCHIVE_OK) {
      return ArchiveError(a.get(), "cannot start the backup archive");
    }
    HOMECA_RETURN_IF_ERROR(AddMember(a.get(), kMarkerName, kMarkerVersion, now));
    HOMECA_RETURN_IF_ERROR(AddMember(a.get(), "ca.db", *db, now));
    for (const auto& [name, path] : Members(dir)) {
      auto data = ReadFile(path, kMaxSmallFileBytes);
      if (data.status().IsNotFound()) continue;  // e.g. a root key moved offline
      if (!data.ok()) return data.status();
      Status added = AddMember(a.get(), name, *data, now);
      Cleanse(*data);
      HOMECA_RETURN_IF_ERROR(added);
    }
    if (archive_write_close(a.get()) != ARCHIVE_OK) return ArchiveError(a.get(), "cannot finish");
    return Status::Ok();
  }();
  Cleanse(*db);
  if (status.ok() && ::fsync(fd) != 0) status = Status::Io("cannot sync " + tmp.string());
  ::close(fd);
  if (status.ok() && ::rename(tmp.c_str(), archive_path.c_str()) != 0) {
    status = Status::Io("cannot move the backup into place at " + archive_path.string());
  }
  if (!status.ok()) {
    fs::remove(tmp, ec);
    return status;
  }
  return authority.store().AppendAudit(
      AuditEntry{0, now, actor, "backup", "backup written to " + archive_path.string()});
}

Status RestoreBackup(const fs::path& archive, const fs::path& path, bool force,
                     const std::string& actor) {
  auto files = ReadArchive(archive);
  if (!files.ok()) return files.status();
  HOMECA_RETURN_IF_ERROR(CheckKeysAndChain(*files));
  DataDir dir(path);
  const bool had_ca = dir.HasCa();
  if (had_ca && !force) {
    return Status::AlreadyExists("a CA already exists in " + path.string() +
                                 "; pass --force to replace it with the backup");
  }
  HOMECA_RETURN_IF_ERROR(EnsureDirectory(dir.root(), 0700));
  const fs::path db_copy = dir.root() / ".restore-ca.db";
  std::error_code ec;
  fs::remove(db_copy, ec);
  HOMECA_RETURN_IF_ERROR(WriteFileAtomic(db_copy, (*files)["ca.db"], 0600));
  Status restored = [&]() -> Status {
    auto store = CertificateStore::Open(dir.database());
    if (!store.ok()) return store.status();
    HOMECA_RETURN_IF_ERROR((*store)->RestoreFrom(db_copy));
    return (*store)->AppendAudit(AuditEntry{0, static_cast<std::int64_t>(std::time(nullptr)),
                                            actor, "restore",
                                            "restored from " + archive.string()});
  }();
  fs::remove(db_copy, ec);
  if (!restored.ok()) {
    if (!had_ca) {
      for (const char* suffix : {"", "-wal", "-shm"}) {
        fs::remove(dir.database().string() + suffix, ec);
      }
    }
    return restored;
  }
  // Keys and certificates after the database; root.pem last, as at init.
  for (const auto& [name, target] : Members(dir)) {
    if (name == "root.pem") continue;
    if (files->count(name) == 0) {
      fs::remove(target, ec);  // belonged to the CA being replaced
      continue;
    }
    const bool secret = name.find("key") != std::string::npos;
    HOMECA_RETURN_IF_ERROR(WriteFileAtomic(target, (*files)[name], secret ? 0600 : 0644));
  }
  HOMECA_RETURN_IF_ERROR(WriteFileAtomic(dir.root_cert(), (*files)["root.pem"], 0644));
  for (auto& [name, data] : *files) Cleanse(data);
  return Status::Ok();
}

}  // namespace homeca::ca
