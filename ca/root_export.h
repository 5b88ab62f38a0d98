// Exporting the root certificate in the form each platform wants to import:
// PEM (Linux, Firefox), DER (.crt for Android, .cer for Windows) and an Apple
// configuration profile (.mobileconfig for iOS, iPadOS and macOS).
#pragma once

#include <string>
#include <string_view>

#include "ca/base/status.h"
#include "ca/x509/certificate.h"

namespace homeca::ca {

enum class RootFormat { kPem, kDer, kMobileconfig };

struct RootExportFormatInfo {
  const char* file_extension;  // ".pem", ".crt", ".mobileconfig"
  const char* mime_type;       // what a web server should send it as
};

Result<RootFormat> ParseRootFormat(std::string_view text);
RootExportFormatInfo InfoFor(RootFormat format);

// The bytes of the export (binary for kDer).
std::string ExportRoot(const Certificate& root, RootFormat format);

// An Apple configuration profile with one com.apple.security.root payload.
// Identifiers and UUIDs are derived from the root's fingerprint, so the same
// CA always yields the same profile (re-importing replaces, never duplicates)
// and two CAs never collide.
std::string AppleConfigurationProfile(const Certificate& root);

// SHA-256 fingerprint in the colon-separated upper-case form browsers show.
std::string RootFingerprint(const Certificate& root);

}  // namespace homeca::ca
