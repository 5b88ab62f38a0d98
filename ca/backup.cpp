#include "ca/backup.h"

#include <fcntl.h>
#include <openssl/err.h>
#include <unistd.h>

#include <cerrno>
#include <map>

#include "ca/backup_archive.h"
#include "ca/base/encoding.h"
#include "ca/base/file_util.h"
#include "ca/base/openssl_handles.h"
#include "ca/pwri_envelope.h"

namespace homeca::ca {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxDatabaseBytes = std::size_t{1} << 30;
constexpr std::size_t kMaxSmallFileBytes = 1 << 20;
// The sealed file: the database plus a few small files, plus the envelope.
constexpr std::size_t kMaxBackupBytes = kMaxDatabaseBytes + 16 * kMaxSmallFileBytes;

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

Status CheckKeysAndChain(const BackupFiles& files) {
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
  // A root key may be passphrase-encrypted (homeca init --root-passphrase-file)
  // and so unreadable here; an unencrypted one must be the root's.
  auto root_key = files.find("root-key.pem");
  if (root_key != files.end() && root_key->second.find("ENCRYPTED") == std::string::npos) {
    auto parsed = PrivateKey::FromPem(root_key->second);
    if (!parsed.ok() || X509_check_private_key(root->native(), parsed->native()) != 1) {
      ERR_clear_error();
      return Status::InvalidArgument("backup's root key does not match its root certificate");
    }
  }
  return Status::Ok();
}

bool KeyMatchesRoot(const fs::path& key_file, const std::string& root_pem) {
  auto key_pem = ReadFile(key_file, kMaxSmallFileBytes);
  if (!key_pem.ok()) return false;
  auto key = PrivateKey::FromPem(*key_pem);
  Cleanse(*key_pem);
  auto root = Certificate::FromPem(root_pem);
  const bool match =
      key.ok() && root.ok() && X509_check_private_key(root->native(), key->native()) == 1;
  ERR_clear_error();
  return match;
}

}  // namespace

Result<SealedBackup> SealBackup(Authority& authority, std::string_view passphrase) {
  HOMECA_RETURN_IF_ERROR(CheckNewPassphrase(passphrase));
  const DataDir& dir = authority.data_dir();
  // A name of its own per call: the web UI and the CLI may back up at once.
  const fs::path db_copy = dir.root() / (".backup-ca.db." + HexEncode(RandomBytes(8)));
  std::error_code ec;
  HOMECA_RETURN_IF_ERROR(authority.maintenance().BackupTo(db_copy));
  BackupFiles files;
  auto db = ReadFile(db_copy, kMaxDatabaseBytes);
  fs::remove(db_copy, ec);
  if (!db.ok()) return db.status();
  files.emplace("ca.db", std::move(*db));
  SealedBackup sealed;
  for (const auto& [name, path] : Members(dir)) {
    auto data = ReadFile(path, kMaxSmallFileBytes);
    if (data.status().IsNotFound()) continue;  // e.g. a root key taken offline
    if (!data.ok()) return data.status();
    sealed.root_key_included |= name == "root-key.pem";
    files.emplace(name, std::move(*data));
  }
  auto archive = BuildBackupArchive(files, authority.clock().Now());
  for (auto& [name, data] : files) Cleanse(data);
  if (!archive.ok()) return archive.status();
  auto envelope = SealWithPassphrase(*archive, passphrase);
  Cleanse(*archive);
  if (!envelope.ok()) return envelope.status();
  sealed.bytes = std::move(*envelope);
  return sealed;
}

Status AuditBackup(Authority& authority, const SealedBackup& backup, const std::string& where,
                   const std::string& actor) {
  return authority.audit_log().AppendAudit(
      AuditEntry{0, authority.clock().Now(), actor, "backup",
                 "encrypted backup " + where +
                     (backup.root_key_included ? " (with the root key)"
                                               : " (without the root key: it is offline)")});
}

Status WriteBackup(Authority& authority, const fs::path& archive_path, std::string_view passphrase,
                   const std::string& actor) {
  HOMECA_RETURN_IF_ERROR(CheckNewPassphrase(passphrase));
  std::error_code ec;
  if (fs::exists(archive_path, ec)) {
    return Status::AlreadyExists(archive_path.string() + " already exists");
  }
  auto sealed = SealBackup(authority, passphrase);
  if (!sealed.ok()) return sealed.status();

  const fs::path tmp = archive_path.string() + ".partial";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Status::Io("cannot create " + tmp.string());
  Status status;
  const std::string& bytes = sealed->bytes;
  for (std::size_t done = 0; done < bytes.size();) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      status = Status::Io("cannot write " + tmp.string());
      break;
    }
    done += static_cast<std::size_t>(n);
  }
  if (status.ok() && ::fsync(fd) != 0) status = Status::Io("cannot sync " + tmp.string());
  ::close(fd);
  if (status.ok() && ::rename(tmp.c_str(), archive_path.c_str()) != 0) {
    status = Status::Io("cannot move the backup into place at " + archive_path.string());
  }
  if (!status.ok()) {
    fs::remove(tmp, ec);
    return status;
  }
  return AuditBackup(authority, *sealed, "written to " + archive_path.string(), actor);
}

Status RestoreBackup(const fs::path& archive, const fs::path& path, std::string_view passphrase,
                     bool force, const std::string& actor) {
  auto sealed = ReadFile(archive, kMaxBackupBytes);
  if (!sealed.ok()) return sealed.status();
  auto plain = OpenWithPassphrase(*sealed, passphrase);
  if (!plain.ok()) return plain.status().WithContext(archive.string());
  auto parsed = ParseBackupArchive(*plain);
  Cleanse(*plain);
  if (!parsed.ok()) return parsed.status().WithContext(archive.string());
  BackupFiles& files = *parsed;
  HOMECA_RETURN_IF_ERROR(CheckKeysAndChain(files));
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
  HOMECA_RETURN_IF_ERROR(WriteFileAtomic(db_copy, files["ca.db"], 0600));
  Status restored = [&]() -> Status {
    auto store = OpenStore(dir.database());
    if (!store.ok()) return store.status();
    HOMECA_RETURN_IF_ERROR((*store)->RestoreFrom(db_copy));
    return (*store)->AppendAudit(AuditEntry{0, static_cast<std::int64_t>(std::time(nullptr)), actor,
                                            "restore", "restored from " + archive.string()});
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
    if (files.count(name) == 0) {
      // A backup made while the root key was offline, restored over the
      // same CA: the key still on this box stays. Any other file belonged
      // to the CA being replaced.
      if (name == "root-key.pem" && KeyMatchesRoot(target, files["root.pem"])) continue;
      fs::remove(target, ec);
      continue;
    }
    const bool secret = name.find("key") != std::string::npos;
    HOMECA_RETURN_IF_ERROR(WriteFileAtomic(target, files[name], secret ? 0600 : 0644));
  }
  HOMECA_RETURN_IF_ERROR(WriteFileAtomic(dir.root_cert(), files["root.pem"], 0644));
  for (auto& [name, data] : files) Cleanse(data);
  return Status::Ok();
}

}  // namespace homeca::ca
