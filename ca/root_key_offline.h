// Taking the root key off the box. The root key only signs intermediates
// (ca/hierarchy.h); day-to-day issuing, renewal, pairing and CRLs use the
// intermediate key alone, so the root key can live on a USB stick in a
// drawer. The admin downloads it encrypted (PKCS#8 PBES2 with
// PBKDF2-HMAC-SHA256 and AES-256-CBC, RFC 8018; `openssl pkey -in FILE
// -passin ...` reads it), confirms the download, and then it is deleted here.
//
// State lives in the store's settings table (no schema change):
//   root_key.exported_at    when it was last exported (deletion needs one)
//   root_key.offline_since  when it was deleted from the box
// Whether the key is on the box is the presence of root-key.pem itself.
//
// Thread-safety: as Authority's store; callers serialize deletion themselves.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "ca/authority.h"
#include "ca/base/status.h"
#include "ca/x509/certificate.h"
#include "ca/x509/key.h"

namespace homeca::ca {

namespace settings {
inline constexpr const char* kRootKeyExportedAt = "root_key.exported_at";
inline constexpr const char* kRootKeyOfflineSince = "root_key.offline_since";
}  // namespace settings

struct RootKeyState {
  bool on_box = false;
  bool encrypted_on_box = false;   // made with homeca init --root-passphrase-file
  std::int64_t exported_at = 0;    // 0: never exported
  std::int64_t offline_since = 0;  // 0: never taken offline
};

Result<RootKeyState> GetRootKeyState(Authority& authority);

// "on this box" or "offline since 2026-12-07 09:30 UTC".
std::string DescribeRootKeyLocation(const RootKeyState& state);

// PKCS#8 "ENCRYPTED PRIVATE KEY" PEM: PBES2, PBKDF2-HMAC-SHA256 with
// kPassphraseKdfIterations and a 16-byte salt, AES-256-CBC.
Result<std::string> EncryptPrivateKeyPem(const PrivateKey& key, std::string_view passphrase);

// The root key from this box, encrypted with `passphrase` (checked with
// CheckNewPassphrase). `stored_passphrase` opens a root key that was
// encrypted at init. Records the export (setting and audit entry).
Result<std::string> ExportRootKey(Authority& authority, std::string_view passphrase,
                                  std::string_view stored_passphrase, const std::string& actor);

// Reads an exported (or any PEM) root key with `passphrase` and checks it is
// the key of `root`: a wrong passphrase or another CA's key is refused.
Result<PrivateKey> ReadRootKey(const Certificate& root, std::string_view pem,
                               std::string_view passphrase);

// Deletes root-key.pem and fsyncs the directory (on a journaling file system
// an unlinked file's blocks are not reachable by name again; overwriting
// first would not reliably reach the old blocks on flash anyway). Refused
// with FailedPrecondition unless the key is on this box and was exported.
Status DeleteRootKey(Authority& authority, const std::string& actor);

}  // namespace homeca::ca
