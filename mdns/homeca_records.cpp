#include "mdns/homeca_records.h"

#include <algorithm>
#include <cctype>

#include "ca/base/device_id.h"
#include "mdns/untrusted_text.h"

namespace homeca::mdns {
namespace {

bool IsLowerHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

bool IsPathChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '-' || c == '_' ||
         c == '.' || c == '~';
}

}  // namespace

Announcement MakeCaAnnouncement(const std::string& name, std::uint16_t port,
                                std::string_view root_sha256_hex, std::string_view path) {
  std::string fp(root_sha256_hex.substr(0, kFingerprintPrefixHexDigits));
  std::transform(fp.begin(), fp.end(), fp.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return Announcement{name,
                      kCaServiceType,
                      port,
                      {{"v", std::to_string(kCaRecordVersion), true},
                       {"fp", fp, true},
                       {"path", std::string(path), true}}};
}

Announcement MakePairAnnouncement(const std::string& name, const std::string& device_id,
                                  const std::string& model, const std::string& kdf) {
  // Port 0: the record announces a device, not a service to connect to.
  Announcement a{name, kPairServiceType, 0, {{"id", device_id, true}, {"model", model, true}}};
  if (!kdf.empty()) a.txt.push_back({"kdf", kdf, true});
  return a;
}

Result<CaRecord> ParseCaRecord(const ResolvedService& service) {
  CaRecord record;
  const std::optional<std::string> v = FindTxt(service.txt, "v");
  if (!v) return Status::InvalidArgument("no protocol version (TXT v)");
  if (*v != std::to_string(kCaRecordVersion)) {
    return Status::InvalidArgument("unsupported protocol version v=" + SanitizeText(*v, 8));
  }
  record.version = kCaRecordVersion;
  std::string fp = FindTxt(service.txt, "fp").value_or("");
  std::transform(fp.begin(), fp.end(), fp.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (fp.size() < kFingerprintPrefixHexDigits || fp.size() > 64 ||
      !std::all_of(fp.begin(), fp.end(), IsLowerHex)) {
    return Status::InvalidArgument(
        "no valid root fingerprint prefix (TXT fp: 16 to 64 hex digits)");
  }
  record.fingerprint_prefix = std::move(fp);
  record.path = FindTxt(service.txt, "path").value_or("/enroll/v1/");
  if (record.path.empty() || record.path.size() > kMaxEnrollPathBytes || record.path[0] != '/' ||
      !std::all_of(record.path.begin(), record.path.end(), IsPathChar) ||
      record.path.find("..") != std::string::npos) {
    return Status::InvalidArgument("invalid enrollment path (TXT path)");
  }
  return record;
}

Result<PairRecord> ParsePairRecord(const ResolvedService& service) {
  PairRecord record;
  record.device_id = FindTxt(service.txt, "id").value_or("");
  if (!ca::IsValidDeviceId(record.device_id)) {
    return Status::InvalidArgument("no valid device id (TXT id: 1 to 64 of A-Z a-z 0-9 . _ -)");
  }
  record.model = SanitizeText(FindTxt(service.txt, "model").value_or(""), kMaxModelBytes);
  // Only the one value that changes anything is kept: the CA never arms with
  // a parameter string taken from the LAN.
  if (FindTxt(service.txt, "kdf").value_or("") == kPairKdfPbkdf2) record.kdf = kPairKdfPbkdf2;
  return record;
}

std::string DefaultCaInstanceName(std::string_view host) {
  const std::size_t dot = host.find('.');
  return SanitizeText("homeca on " + std::string(host.substr(0, dot)), kMaxInstanceNameBytes);
}

}  // namespace homeca::mdns
