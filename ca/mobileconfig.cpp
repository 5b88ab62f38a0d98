// Apple configuration profile export (one file per export format, as mkcert
// keeps one file per trust store). Format: Apple's "Configuration Profile
// Reference", top-level Configuration payload holding a
// com.apple.security.root payload whose PayloadContent is the DER root.
#include <openssl/sha.h>

#include <string>

#include "ca/root_export.h"

namespace homeca::ca {
namespace {

std::string XmlEscape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

// A UUID (RFC 9562 version 8, "custom") from SHA-256(label || root DER): stable
// for one CA and purpose, distinct across CAs.
std::string StableUuid(const Certificate& root, std::string_view label) {
  Bytes input = ToBytes(label);
  input.insert(input.end(), root.der().begin(), root.der().end());
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(input.data(), input.size(), digest);
  digest[6] = static_cast<unsigned char>((digest[6] & 0x0f) | 0x80);  // version 8
  digest[8] = static_cast<unsigned char>((digest[8] & 0x3f) | 0x80);  // RFC variant
  std::string hex = HexEncode(digest, 16);
  for (char& c : hex) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20, 12);
}

std::string Base64Lines(const Bytes& der) {
  std::string b64 = Base64Encode(der);
  std::string out;
  for (std::size_t i = 0; i < b64.size(); i += 64) out += "\t\t\t" + b64.substr(i, 64) + "\n";
  return out;
}

}  // namespace

std::string AppleConfigurationProfile(const Certificate& root) {
  const std::string name = XmlEscape(root.SubjectCommonName());
  const std::string id_suffix = HexEncode(root.FingerprintSha256()).substr(0, 16);
  const std::string profile_id = "arpa.home.homeca." + id_suffix;
  std::string p;
  p += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  p += "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" "
       "\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n";
  p += "<plist version=\"1.0\">\n<dict>\n";
  p += "\t<key>PayloadContent</key>\n\t<array>\n\t\t<dict>\n";
  p += "\t\t\t<key>PayloadCertificateFileName</key>\n\t\t\t<string>homeca-root.cer</string>\n";
  p += "\t\t\t<key>PayloadContent</key>\n\t\t\t<data>\n" + Base64Lines(root.der()) +
       "\t\t\t</data>\n";
  p += "\t\t\t<key>PayloadDescription</key>\n\t\t\t<string>Adds the root certificate of " + name +
       "</string>\n";
  p += "\t\t\t<key>PayloadDisplayName</key>\n\t\t\t<string>" + name + "</string>\n";
  p += "\t\t\t<key>PayloadIdentifier</key>\n\t\t\t<string>" + profile_id + ".root</string>\n";
  p += "\t\t\t<key>PayloadType</key>\n\t\t\t<string>com.apple.security.root</string>\n";
  p += "\t\t\t<key>PayloadUUID</key>\n\t\t\t<string>" + StableUuid(root, "root-payload") +
       "</string>\n";
  p += "\t\t\t<key>PayloadVersion</key>\n\t\t\t<integer>1</integer>\n";
  p += "\t\t</dict>\n\t</array>\n";
  p += "\t<key>PayloadDescription</key>\n\t<string>Trust the home network's certificate "
       "authority. Its name constraints limit it to the home network's own names.</string>\n";
  p += "\t<key>PayloadDisplayName</key>\n\t<string>" + name + "</string>\n";
  p += "\t<key>PayloadIdentifier</key>\n\t<string>" + profile_id + "</string>\n";
  p += "\t<key>PayloadOrganization</key>\n\t<string>homeca</string>\n";
  p += "\t<key>PayloadRemovalDisallowed</key>\n\t<false/>\n";
  p += "\t<key>PayloadType</key>\n\t<string>Configuration</string>\n";
  p += "\t<key>PayloadUUID</key>\n\t<string>" + StableUuid(root, "profile") + "</string>\n";
  p += "\t<key>PayloadVersion</key>\n\t<integer>1</integer>\n";
  p += "</dict>\n</plist>\n";
  return p;
}

}  // namespace homeca::ca
