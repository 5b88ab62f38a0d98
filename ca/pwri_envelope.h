// Passphrase encryption in a format stock tools open: CMS EnvelopedData
// (RFC 5652) with one PasswordRecipientInfo (RFC 3211). The passphrase goes
// through PBKDF2-HMAC-SHA256 (RFC 8018) to a key-encryption key that wraps a
// random AES-256 content key (RFC 3211 section 2.3 key wrap); the content is
// AES-256-CBC. `openssl cms -decrypt -pwri_password ... -inform DER` opens it.
//
// Why sealing is written here rather than with CMS_add0_recipient_password:
// OpenSSL 3.0's PWRI always derives with PBKDF2-HMAC-SHA1 (the PRF is not
// settable), and SHA-1 is the cheaper function for a guessing rig. Opening
// goes through OpenSSL's own CMS_decrypt, so every sealed file is checked by
// the stock parser on the way back in.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "ca/status.h"

namespace homeca::ca {

// PBKDF2-HMAC-SHA256 iterations for passphrase-protected files (backups and
// the exported root key): OWASP's 2023 figure for PBKDF2-HMAC-SHA256, about
// 0.2 s on a desktop core and a second or two on a Raspberry Pi, paid once per
// backup or restore, while each guess costs an attacker the same 600,000
// HMAC-SHA256 pairs.
inline constexpr int kPassphraseKdfIterations = 600000;

// Passphrases that protect files leaving the box: at least this long.
inline constexpr std::size_t kMinPassphraseLength = 12;

// InvalidArgument with a clear message when `passphrase` is too short to
// protect a file against offline guessing.
Status CheckNewPassphrase(std::string_view passphrase);

// DER ContentInfo(EnvelopedData) holding `plaintext`.
Result<std::string> SealWithPassphrase(std::string_view plaintext, std::string_view passphrase,
                                       int iterations = kPassphraseKdfIterations);

// The content of a DER or PEM ("-----BEGIN CMS-----") EnvelopedData sealed
// with a passphrase. A wrong passphrase is PermissionDenied; anything that is
// not such a file is InvalidArgument.
Result<std::string> OpenWithPassphrase(std::string_view sealed, std::string_view passphrase);

}  // namespace homeca::ca
