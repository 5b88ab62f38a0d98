#include "enroll/acme/acme_pairing.h"

#include "ca/store/acme_records.h"
#include "enroll/pairing_admin.h"
#include "enroll/placeholder_verifier.h"

namespace homeca::enroll::acme {

bool IsAcmePairing(const ca::PairingKey& key) {
  return !key.slot && key.device_id.rfind(kAcmeDeviceIdPrefix, 0) == 0;
}

Result<AcmePairing> CreateAcmePairing(ca::Authority& authority,
                                      const std::vector<std::string>& names,
                                      std::int64_t ttl_seconds, const std::string& actor,
                                      NameReuse reuse) {
  if (ttl_seconds < kMinPairingTtlSeconds || ttl_seconds > kMaxPairingTtlSeconds) {
    return Status::InvalidArgument("a pairing must be valid for 1 minute to 24 hours");
  }
  Result<std::vector<std::string>> checked = CheckPairingNames(authority.policy(), names);
  if (!checked.ok()) return checked.status();
  Result<std::int64_t> replaces = ClaimNames(authority, *checked, reuse, actor);
  if (!replaces.ok()) return replaces.status();
  AcmePairing out;
  out.eab = GenerateEabCredentials();
  std::optional<Bytes> hmac_key = DecodeEabHmacKey(out.eab.hmac_key);
  if (!hmac_key) return Status::Internal("a generated EAB HMAC key does not decode");
  const std::int64_t now = authority.clock().Now();
  Result<ca::NewPairing> pairing =
      PairingWithoutCode(ca::PairingKey::Device(std::string(kAcmeDeviceIdPrefix) + out.eab.key_id),
                         *checked, now, ttl_seconds, actor);
  if (!pairing.ok()) return pairing.status();
  pairing->replaces = *replaces;
  Result<std::int64_t> id = StorePairingForNames(authority, *pairing);
  if (!id.ok()) return id.status();
  // A crash between the two leaves an armed pairing without a binding,
  // which nothing can use and which expires like any other.
  HOMECA_RETURN_IF_ERROR(authority.acme().CreateEab(out.eab.key_id, *id, *hmac_key, now, actor));
  Cleanse(*hmac_key);
  out.id = *id;
  out.names = *checked;
  out.expires_at = pairing->expires_at;
  return out;
}

std::string CertbotRecipe(const AcmePairing& pairing, std::string_view directory_url) {
  std::string domains;
  for (const std::string& name : pairing.names) domains += " -d " + name;
  return "certbot certonly --standalone --server " + std::string(directory_url) +
         " \\\n    --eab-kid " + pairing.eab.key_id + " --eab-hmac-key " + pairing.eab.hmac_key +
         " \\\n   " + domains + " --agree-tos --register-unsafely-without-email";
}

}  // namespace homeca::enroll::acme
