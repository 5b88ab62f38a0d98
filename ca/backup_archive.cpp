#include "ca/backup_archive.h"

#include <archive.h>
#include <archive_entry.h>

#include <memory>

namespace homeca::ca {
namespace {

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

Status ArchiveError(struct archive* a, const std::string& what) {
  const char* why = archive_error_string(a);
  return Status::Io(what + (why != nullptr ? std::string(": ") + why : ""));
}

la_ssize_t AppendToString(struct archive*, void* client, const void* buffer, size_t length) {
  static_cast<std::string*>(client)->append(static_cast<const char*>(buffer), length);
  return static_cast<la_ssize_t>(length);
}

}  // namespace

bool IsBackupMemberName(std::string_view name) {
  for (const char* known : {kBackupMarkerName, "ca.db", "root.pem", "root-key.pem",
                            "intermediate.pem", "intermediate-key.pem", "crl.pem", "crl.der"}) {
    if (name == known) return true;
  }
  return false;
}

Result<std::string> BuildBackupArchive(const BackupFiles& files, std::int64_t mtime) {
  std::string out;
  ArchivePtr a(archive_write_new());
  // No block padding: the archive goes into memory, then into the envelope.
  if (archive_write_add_filter_gzip(a.get()) != ARCHIVE_OK ||
      archive_write_set_format_pax_restricted(a.get()) != ARCHIVE_OK ||
      archive_write_set_bytes_in_last_block(a.get(), 1) != ARCHIVE_OK ||
      archive_write_open(a.get(), &out, nullptr, AppendToString, nullptr) != ARCHIVE_OK) {
    return ArchiveError(a.get(), "cannot start the backup archive");
  }
  // The marker first, so a reader knows early what it is holding.
  auto add = [&](const std::string& name, const std::string& data) -> Status {
    EntryPtr entry(archive_entry_new());
    archive_entry_set_pathname(entry.get(), name.c_str());
    archive_entry_set_size(entry.get(), static_cast<la_int64_t>(data.size()));
    archive_entry_set_filetype(entry.get(), AE_IFREG);
    archive_entry_set_perm(entry.get(), 0600);
    archive_entry_set_mtime(entry.get(), static_cast<time_t>(mtime), 0);
    if (archive_write_header(a.get(), entry.get()) != ARCHIVE_OK ||
        archive_write_data(a.get(), data.data(), data.size()) !=
            static_cast<la_ssize_t>(data.size())) {
      return ArchiveError(a.get(), "cannot write " + name + " into the backup");
    }
    return Status::Ok();
  };
  HOMECA_RETURN_IF_ERROR(add(kBackupMarkerName, kBackupMarkerVersion));
  for (const auto& [name, data] : files) {
    if (name == kBackupMarkerName) continue;
    HOMECA_RETURN_IF_ERROR(add(name, data));
  }
  if (archive_write_close(a.get()) != ARCHIVE_OK) return ArchiveError(a.get(), "cannot finish");
  return out;
}

Result<BackupFiles> ParseBackupArchive(std::string_view tar_gz) {
  ArchivePtr a(archive_read_new());
  archive_read_support_filter_gzip(a.get());
  archive_read_support_format_tar(a.get());
  if (archive_read_open_memory(a.get(), tar_gz.data(), tar_gz.size()) != ARCHIVE_OK) {
    return ArchiveError(a.get(), "cannot read the backup archive");
  }
  BackupFiles files;
  struct archive_entry* entry = nullptr;
  int rc;
  while ((rc = archive_read_next_header(a.get(), &entry)) == ARCHIVE_OK) {
    const char* raw_name = archive_entry_pathname(entry);
    std::string name = raw_name != nullptr ? raw_name : "";
    if (!IsBackupMemberName(name) || archive_entry_filetype(entry) != AE_IFREG ||
        files.count(name) != 0) {
      return Status::InvalidArgument("backup contains an unexpected entry; refusing it");
    }
    const la_int64_t limit = name == "ca.db" ? kMaxDatabaseBytes : kMaxSmallFileBytes;
    const la_int64_t size = archive_entry_size(entry);
    if (size < 0 || size > limit) {
      return Status::InvalidArgument("backup entry " + name + " is too large");
    }
    // Grown as bytes arrive, never sized from the header up front: a tiny
    // archive that declares a 1 GiB member must not get 1 GiB allocated.
    std::string data;
    char chunk[64 * 1024];
    for (;;) {
      const la_ssize_t n = archive_read_data(a.get(), chunk, sizeof chunk);
      if (n < 0) return ArchiveError(a.get(), "cannot read " + name + " from the backup");
      if (n == 0) break;
      if (static_cast<la_int64_t>(data.size()) + n > size) {
        return Status::InvalidArgument("backup entry " + name + " is longer than it says");
      }
      data.append(chunk, static_cast<std::size_t>(n));
    }
    if (static_cast<la_int64_t>(data.size()) != size) {
      return Status::InvalidArgument("backup entry " + name + " is shorter than it says");
    }
    files.emplace(std::move(name), std::move(data));
  }
  if (rc != ARCHIVE_EOF) return ArchiveError(a.get(), "backup is damaged");
  auto marker = files.find(kBackupMarkerName);
  if (marker == files.end() || marker->second != kBackupMarkerVersion) {
    return Status::InvalidArgument("not a homeca backup (or a newer format)");
  }
  for (const char* required : {"ca.db", "root.pem", "intermediate.pem", "intermediate-key.pem"}) {
    if (files.count(required) == 0) {
      return Status::InvalidArgument(std::string("backup is missing ") + required);
    }
  }
  return files;
}

}  // namespace homeca::ca
