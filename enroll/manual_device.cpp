#include "enroll/manual_device.h"

#include <mutex>
#include <optional>

#include "ca/csr.h"
#include "enroll/pairing_admin.h"
#include "enroll/placeholder_verifier.h"

namespace homeca::enroll {
namespace {

// The pairing only has to live from its insert to the certificate's, a
// moment later; a crash between the two leaves it to expire unused.
constexpr std::int64_t kManualPairingTtlSeconds = 60;
constexpr std::size_t kManualIdRandomBytes = 8;

// The active (not revoked) device whose names hold `name`, if any.
Result<std::optional<ca::DeviceRecord>> ActiveHolder(ca::Authority& authority,
                                                     const std::string& name) {
  Result<std::vector<ca::DeviceRecord>> devices = authority.pairings().ListDevices();
  if (!devices.ok()) return devices.status();
  for (ca::DeviceRecord& d : *devices) {
    if (d.revoked_at) continue;
    for (const std::string& held : d.pairing.names) {
      if (held == name) return std::optional<ca::DeviceRecord>(std::move(d));
    }
  }
  return std::optional<ca::DeviceRecord>();
}

Result<std::int64_t> CreateManualPairing(ca::Authority& authority,
                                         const std::vector<std::string>& names,
                                         const std::string& actor) {
  Result<ca::NewPairing> pairing =
      PairingWithoutCode(ca::PairingKey::Device(std::string(kManualDeviceIdPrefix) +
                                                HexEncode(RandomBytes(kManualIdRandomBytes))),
                         names, authority.clock().Now(), kManualPairingTtlSeconds, actor);
  if (!pairing.ok()) return pairing.status();
  return StorePairingForNames(authority, *pairing);
}

}  // namespace

bool IsManualPairing(const ca::PairingKey& key) {
  return !key.slot && key.device_id.rfind(kManualDeviceIdPrefix, 0) == 0;
}

Result<ManualCertificate> IssueForCsr(ca::Authority& authority, std::string_view device_name,
                                      std::string_view csr_text, const std::string& actor) {
  if (device_name.find_first_not_of(" \t") == std::string_view::npos) {
    return Status::InvalidArgument("enter a name for the device, like nas or printer");
  }
  Result<std::vector<std::string>> names =
      CheckPairingNames(authority.policy(), {std::string(device_name)});
  if (!names.ok()) return names.status();
  Result<ca::CertificateRequest> csr = ca::CertificateRequest::Parse(csr_text);
  if (!csr.ok()) return csr.status();
  HOMECA_RETURN_IF_ERROR(ca::CheckCsrAsksOnlyFor(*csr, *names));

  // One decision at a time: two uploads for a known device would both
  // renew its head, and one would fail. Across processes (`homeca issue
  // --device` beside homecad) the store decides: a new name is refused while
  // another pairing holds it, and only one renewal of a head is stored.
  static std::mutex decide_mu;
  std::lock_guard<std::mutex> deciding(decide_mu);
  Result<std::optional<ca::DeviceRecord>> holder = ActiveHolder(authority, names->front());
  if (!holder.ok()) return holder.status();
  ca::IssueRequest request;
  request.names = *names;
  request.requester = actor;
  request.checked_csr = *csr;
  std::int64_t pairing_id = 0;
  bool renewed = false;
  if (*holder) {
    const ca::DeviceRecord& device = **holder;
    if (!IsManualPairing(device.pairing.key) || !device.current) {
      return Status::AlreadyExists(
          names->front() +
          " already belongs to a device that renews itself (paired with a code or ACME); "
          "revoke it on the Devices page first, or choose another name. Nothing was issued");
    }
    // A new CSR for a device renewed by hand: its next certificate.
    request.names = device.pairing.names;
    request.renews = device.current->id;
    pairing_id = device.pairing.id;
    renewed = true;
  } else {
    Result<std::int64_t> id = CreateManualPairing(authority, *names, actor);
    if (!id.ok()) return id.status();
    request.pairing_id = *id;
    pairing_id = *id;
  }
  Result<ca::IssuedCertificate> issued = authority.Issue(request);
  if (!issued.ok()) {
    // The new pairing would hold the name until it expires, and refuse the
    // admin's next try; the failure is what to report.
    if (!renewed) {
      (void)authority.pairings().CancelPairing(pairing_id, authority.clock().Now(), actor);
    }
    return issued.status();
  }
  return ManualCertificate{pairing_id, renewed, std::move(*issued)};
}

Result<CaMadeKey> IssueWithCaKey(ca::Authority& authority, std::string_view device_name,
                                 ca::DeviceKeyType key_type, const std::string& actor) {
  Result<ca::PrivateKey> key = ca::GenerateDeviceKey(key_type);
  if (!key.ok()) return key.status();
  Result<std::string> csr = ca::MakeCsrPem(*key);
  if (!csr.ok()) return csr.status();
  Result<ManualCertificate> certificate = IssueForCsr(authority, device_name, *csr, actor);
  if (!certificate.ok()) return certificate.status();
  // The certificate is already durable; a failure here is reported, and the
  // key is not handed out (the device can be revoked and made again).
  const ca::CertificateRecord& record = certificate->issued.record;
  HOMECA_RETURN_IF_ERROR(authority.audit_log().AppendAudit(
      ca::AuditEntry{0, authority.clock().Now(), actor, "device-key",
                     key->Description() + " key for serial " + record.serial_hex +
                         " made by the CA and handed out once; not kept"}));
  return CaMadeKey{std::move(*certificate), std::move(*key)};
}

}  // namespace homeca::enroll
