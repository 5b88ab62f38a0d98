// Key bundles for devices that cannot make their own key (a printer or a NAS
// import screen, docs/operations.md "Devices without a shell"): a key the CA
// makes, a CSR for it, and the two forms import screens take: PKCS#12
// (password-protected) or a PEM bundle (key, then the chain). The key is a
// secret that leaves the box: callers hand it out once and never store or
// log it; the strings returned here are the caller's to wipe (Cleanse).
//
// Thread-safety: pure functions. Ownership: values in, values out.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ca/base/encoding.h"
#include "ca/base/status.h"
#include "ca/x509/certificate.h"
#include "ca/x509/key.h"

namespace homeca::ca {

// What the CA may make for a device: P-256 unless an old device needs RSA.
enum class DeviceKeyType { kEcP256, kRsa2048 };

// "p256" / "rsa2048" (also "P-256", "RSA-2048"), as the CLI and the form say it.
Result<DeviceKeyType> ParseDeviceKeyType(std::string_view text);
Result<PrivateKey> GenerateDeviceKey(DeviceKeyType type);

// PEM PKCS#10 for `key`, signed with SHA-256, with an empty subject and no
// extensions: it proves possession and nothing else (the CA decides names).
Result<std::string> MakeCsrPem(const PrivateKey& key);

// How a PKCS#12 is protected.
enum class Pkcs12Protection {
  // PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC) for key and certificates, and an
  // HMAC-SHA256 MAC: what OpenSSL 3, current Windows, macOS and DSM 7 read.
  kAes256,
  // PBE-SHA1-3DES for key and certificates and an HMAC-SHA1 MAC: for older
  // importers (Windows before 10 1709, some NAS and printer firmware) that
  // cannot read AES. Weaker against guessing: use a long password.
  kLegacy3Des,
};

// Passwords typed for a PKCS#12: at least this long.
inline constexpr std::size_t kMinPkcs12PasswordLength = 8;
// InvalidArgument in plain words when `password` is too short or differs
// from `again` (the form's and the prompt's confirmation).
Status CheckPkcs12Password(std::string_view password, std::string_view again);

// DER PKCS#12 holding `key` with `chain` (leaf first; the leaf gets
// `friendly_name`, the rest are its CA certificates). The password is
// checked with CheckPkcs12Password(password, password).
Result<Bytes> BuildPkcs12(const PrivateKey& key, const std::vector<Certificate>& chain,
                          std::string_view password, Pkcs12Protection protection,
                          std::string_view friendly_name);

// The key as unencrypted PKCS#8 PEM, then the chain as PEM (leaf first).
Result<std::string> PemKeyBundle(const PrivateKey& key, const std::vector<Certificate>& chain);

}  // namespace homeca::ca
