// Passphrase encryption in a format stock tools open: CMS AuthEnvelopedData
// (RFC 5083) with one PasswordRecipientInfo (RFC 3211), written and read by
// OpenSSL's own CMS code. The passphrase goes through PBKDF2 to a
// key-encryption key (AES-256-CBC, the RFC 3211 key wrap) that wraps a
// random content key; the content is AES-256-GCM (RFC 5084), so an altered
// file is refused, not opened.
// `openssl cms -decrypt -pwri_password ... -inform DER` opens it.
//
// OpenSSL 3.0 derives PWRI keys with PBKDF2-HMAC-SHA1 and offers no way to
// name another PRF, so the iteration count follows OWASP's 2023 figure for
// HMAC-SHA1 (1,300,000) rather than SHA-256's (600,000): each guess costs an
// attacker about as much as with SHA-256 at its figure, and no key wrap or
// ASN.1 is written by hand. (PBKDF2 needs only a pseudorandom function;
// SHA-1's collision attacks do not touch HMAC-SHA1.)
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "ca/base/status.h"

namespace homeca::ca {

// PBKDF2-HMAC-SHA256 iterations for the exported root key (encrypted
// PKCS#8, whose PRF can be named): OWASP's 2023 figure for HMAC-SHA256.
inline constexpr int kPassphraseKdfIterations = 600000;

// PBKDF2-HMAC-SHA1 iterations for backups (see above): OWASP's 2023 figure
// for HMAC-SHA1, paid once per backup or restore (under a second here).
inline constexpr int kBackupKdfIterations = 1300000;

// Passphrases that protect files leaving the box: at least this long.
inline constexpr std::size_t kMinPassphraseLength = 12;

// InvalidArgument with a clear message when `passphrase` is too short to
// protect a file against offline guessing.
Status CheckNewPassphrase(std::string_view passphrase);

// DER ContentInfo(AuthEnvelopedData) holding `plaintext`.
Result<std::string> SealWithPassphrase(std::string_view plaintext, std::string_view passphrase,
                                       int iterations = kBackupKdfIterations);

// The content of a DER or PEM ("-----BEGIN CMS-----") AuthEnvelopedData, or
// EnvelopedData as `openssl cms -encrypt` writes by default, sealed with a
// passphrase. A wrong passphrase or an altered file is PermissionDenied;
// anything that is not such a file is InvalidArgument.
Result<std::string> OpenWithPassphrase(std::string_view sealed, std::string_view passphrase);

}  // namespace homeca::ca
