#include "enroll/pairing_admin.h"

#include "ca/base/device_id.h"
#include "enroll/pake/spake2plus.h"

namespace homeca::enroll {
namespace {

// Another process (the CLI beside the daemon) may take the slot we picked
// between the pick and the insert; the insert then fails and we pick again.
constexpr int kSlotRetries = 3;

Status CheckTtl(std::int64_t ttl_seconds) {
  if (ttl_seconds < kMinPairingTtlSeconds || ttl_seconds > kMaxPairingTtlSeconds) {
    return Status::InvalidArgument("a pairing must be valid for 1 minute to 24 hours");
  }
  return Status::Ok();
}

// Derives the verifier record for `code` and stores the pairing. Only salt,
// KDF parameters, w0 and L leave this function; the prover secrets (w1) are
// wiped when they go out of scope.
Result<std::int64_t> StorePairing(ca::Authority& authority, const ca::PairingKey& key,
                                  const PairingCode& code, const std::vector<std::string>& names,
                                  std::int64_t now, std::int64_t ttl_seconds,
                                  const std::string& actor, const PasswordKdf& kdf,
                                  std::int64_t replaces = 0) {
  HOMECA_RETURN_IF_ERROR(CheckPasswordKdf(kdf));
  ca::NewPairing pairing;
  pairing.replaces = replaces;
  pairing.key = key;
  pairing.names = names;
  pairing.salt = RandomBytes(kPairingSaltSize);
  pairing.kdf = FormatPasswordKdf(kdf);
  // The iterations column (schema 2, 1000-100000) keeps a cost figure: the
  // PBKDF2 count, or scrypt's N (2^14-2^16 fits).
  pairing.iterations = kdf.kind == PasswordKdf::Kind::kPbkdf2Sha256
                           ? kdf.iterations
                           : static_cast<std::uint32_t>(kdf.n());
  Result<ProverSecrets> secrets =
      DeriveProverSecrets(code.digits(), PairingProverId(key.slot, key.device_id),
                          kPairingVerifierId, pairing.salt, kdf);
  if (!secrets.ok()) return secrets.status().WithContext("pairing");
  Result<VerifierRecord> record = MakeVerifierRecord(*secrets);
  if (!record.ok()) return record.status().WithContext("pairing");
  pairing.verifier = ca::PairingVerifier(record->w0.bytes(), record->l);
  pairing.created_at = now;
  pairing.expires_at = now + ttl_seconds;
  pairing.created_by = actor;
  return StorePairingForNames(authority, pairing);
}

}  // namespace

Result<std::vector<std::string>> CheckPairingNames(const ca::NamePolicy& policy,
                                                   const std::vector<std::string>& names) {
  if (names.empty()) return Status::InvalidArgument("a pairing needs at least one name");
  // What people type wrong most, said before the policy's own reasons; the
  // CLI and the web UI both come through here, so both say the same.
  for (const std::string& name : names) {
    if (name.find_first_not_of(" \t") == std::string::npos) {
      return Status::InvalidArgument("Enter a name for the device, like nas or living-room-tv.");
    }
    if (name.find_first_of(" \t") != std::string::npos) {
      // policy_violation, as the name policy answers every other bad name.
      return Status::PolicyViolation(
          "A device name cannot contain spaces; use hyphens instead, like living-room-tv.");
    }
  }
  const std::vector<std::string> expanded = ca::PairingNamesFor(names, policy);
  // The same check the signing path makes, so a pairing the CA would refuse
  // to complete (a name reserved for the CA itself, say) is refused now,
  // in the same words.
  Result<std::vector<ca::CheckedName>> checked = ca::CheckNames(policy, expanded);
  if (!checked.ok()) return checked.status();
  std::vector<std::string> out;
  for (const ca::CheckedName& name : *checked) out.push_back(name.text);
  return out;
}

Result<CodePairing> CreateCheckedCodePairing(ca::Authority& authority,
                                             const std::vector<std::string>& checked,
                                             std::int64_t ttl_seconds, const std::string& actor,
                                             std::int64_t replaces) {
  Status last = Status::Ok();
  for (int attempt = 0; attempt < kSlotRetries; ++attempt) {
    const std::int64_t now = authority.clock().Now();
    Result<int> slot = authority.pairings().PickFreePairingSlot(now);
    if (!slot.ok()) return slot.status();
    Result<PairingCode> code = PairingCode::Generate(*slot);
    if (!code.ok()) return code.status();
    Result<std::int64_t> id = StorePairing(authority, ca::PairingKey::Slot(*slot), *code, checked,
                                           now, ttl_seconds, actor, DefaultPairingKdf(), replaces);
    if (id.ok()) return CodePairing{*id, *code, checked, now + ttl_seconds};
    // AlreadyExists: the slot was taken since the pick (try another), or a
    // name was (no other slot helps).
    if (!id.status().IsAlreadyExists() || id.status().reason() == ca::kPairingNameHeld) {
      return id.status();
    }
    last = id.status();
  }
  return last.WithContext("no free pairing slot after " + std::to_string(kSlotRetries) + " tries");
}

Result<CodePairing> CreateCodePairing(ca::Authority& authority,
                                      const std::vector<std::string>& names,
                                      std::int64_t ttl_seconds, const std::string& actor,
                                      NameReuse reuse) {
  HOMECA_RETURN_IF_ERROR(CheckTtl(ttl_seconds));
  Result<std::vector<std::string>> checked = CheckPairingNames(authority.policy(), names);
  if (!checked.ok()) return checked.status();
  Result<std::int64_t> replaces = ClaimNames(authority, *checked, reuse, actor);
  if (!replaces.ok()) return replaces.status();
  return CreateCheckedCodePairing(authority, *checked, ttl_seconds, actor, *replaces);
}

Result<DevicePairing> ArmDevicePairing(ca::Authority& authority, std::string_view device_id,
                                       std::string_view code_text,
                                       const std::vector<std::string>& names,
                                       std::int64_t ttl_seconds, const std::string& actor,
                                       const PasswordKdf& kdf, NameReuse reuse) {
  if (!ca::IsValidDeviceId(device_id)) {
    return Status::InvalidArgument(
        "a device id is 1 to 64 characters from A-Z, a-z, 0-9, '.', '_' and '-'");
  }
  HOMECA_RETURN_IF_ERROR(CheckTtl(ttl_seconds));
  Result<PairingCode> code = PairingCode::Parse(code_text);
  if (!code.ok()) return code.status();
  Result<std::vector<std::string>> checked = CheckPairingNames(authority.policy(), names);
  if (!checked.ok()) return checked.status();
  Result<std::int64_t> replaces = ClaimNames(authority, *checked, reuse, actor);
  if (!replaces.ok()) return replaces.status();
  const std::int64_t now = authority.clock().Now();
  const std::string id_text(device_id);
  Result<std::int64_t> id = StorePairing(authority, ca::PairingKey::Device(id_text), *code,
                                         *checked, now, ttl_seconds, actor, kdf, *replaces);
  if (!id.ok()) return id.status();
  return DevicePairing{*id, id_text, *checked, now + ttl_seconds};
}

}  // namespace homeca::enroll
