#include "ca/root_export.h"

namespace homeca::ca {

Result<RootFormat> ParseRootFormat(std::string_view text) {
  if (text == "pem") return RootFormat::kPem;
  if (text == "der" || text == "crt" || text == "cer") return RootFormat::kDer;
  if (text == "mobileconfig") return RootFormat::kMobileconfig;
  return Status::InvalidArgument("unknown format '" + std::string(text) +
                                 "' (choose pem, der or mobileconfig)");
}

RootExportFormatInfo InfoFor(RootFormat format) {
  switch (format) {
    case RootFormat::kPem:
      return {".pem", "application/x-pem-file"};
    case RootFormat::kDer:
      return {".crt", "application/x-x509-ca-cert"};
    case RootFormat::kMobileconfig:
      return {".mobileconfig", "application/x-apple-aspen-config"};
  }
  return {"", "application/octet-stream"};
}

std::string ExportRoot(const Certificate& root, RootFormat format) {
  switch (format) {
    case RootFormat::kPem:
      return root.Pem();
    case RootFormat::kDer:
      return homeca::ToString(root.der());
    case RootFormat::kMobileconfig:
      return AppleConfigurationProfile(root);
  }
  return {};
}

std::string RootFingerprint(const Certificate& root) { return ColonHex(root.FingerprintSha256()); }

}  // namespace homeca::ca
