// Fuzz target: reading a backup archive (ca/backup_archive.h
// ParseBackupArchive: what RestoreBackup reads once the passphrase has opened
// the file's envelope: gzip, tar, entry names,
// types, sizes, the marker, the required members), then the PEM members the
// restore goes on to parse (Certificate::FromPem, PrivateKey::FromPem).
//
// Input: a selector byte, then
//   0 (even): the archive's bytes, as `homeca backup` writes them (.tar.gz);
//   1 (odd):  members as NUL-separated name, content, name, content ... that
//             the target packs into a tar (gzipped when bit 1 is set) with
//             libarchive first. Byte-level mutations of a .tar.gz rarely get
//             past the deflate stream and the tar header checksums; this
//             mode lets the fuzzer vary the entries themselves.
#include <archive.h>
#include <archive_entry.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "ca/backup_archive.h"
#include "ca/x509/certificate.h"
#include "ca/x509/key.h"
#include "tests/fuzz/fuzz_input.h"

namespace {

std::string PackTar(std::string_view members, bool gzip) {
  std::vector<std::string_view> parts = homeca::fuzz::Split(members, '\0', 32);
  struct archive* a = archive_write_new();
  if (gzip) archive_write_add_filter_gzip(a);
  archive_write_set_format_pax_restricted(a);
  std::string out(parts.size() * 2048 + members.size() * 2 + 65536, '\0');
  std::size_t used = 0;
  archive_write_open_memory(a, out.data(), out.size(), &used);
  for (std::size_t i = 0; i + 1 < parts.size(); i += 2) {
    struct archive_entry* entry = archive_entry_new();
    archive_entry_set_pathname(entry, std::string(parts[i]).c_str());
    archive_entry_set_size(entry, static_cast<la_int64_t>(parts[i + 1].size()));
    archive_entry_set_filetype(entry, AE_IFREG);
    archive_entry_set_perm(entry, 0600);
    if (archive_write_header(a, entry) == ARCHIVE_OK) {
      archive_write_data(a, parts[i + 1].data(), parts[i + 1].size());
    }
    archive_entry_free(entry);
  }
  archive_write_close(a);
  archive_write_free(a);
  out.resize(used);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input = homeca::fuzz::AsText(data, size);
  const std::uint8_t selector = homeca::fuzz::TakeSelector(input);
  const std::string packed = selector & 1 ? PackTar(input, (selector & 2) != 0) : std::string();
  auto files = homeca::ca::ParseBackupArchive(selector & 1 ? packed : input);
  if (!files.ok()) return 0;
  for (const char* name : {"root.pem", "intermediate.pem"}) {
    (void)homeca::ca::Certificate::FromPem(files->at(name));
  }
  (void)homeca::ca::PrivateKey::FromPem(files->at("intermediate-key.pem"));
  return 0;
}
