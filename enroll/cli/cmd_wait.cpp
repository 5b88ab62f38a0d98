// `homeca-enroll wait`: the device has its own code (on a label). It
// announces itself on the LAN as waiting to pair (_homeca-pair._tcp, TXT id
// and model), so it shows up in the CA's web UI under "Waiting to pair", and
// asks the CA until the admin arms a pairing for its id with its code; then
// it pairs, installs, and withdraws the announcement. See pair_waiter.h for
// how it waits without spending the pairing's attempts.
#include <iostream>
#include <random>

#include "ca/base/device_id.h"
#include "ca/base/encoding.h"
#include "ca/base/termination_signals.h"
#include "enroll/cli/commands.h"
#include "enroll/cli/discover.h"
#include "enroll/discovery/pair_waiter.h"
#include "mdns/homeca_records.h"
#include "mdns/untrusted_text.h"

namespace homeca::enroll_cli {
namespace {

CommandSpec WaitSpec() {
  CommandSpec spec{"wait",
                   "homeca-enroll wait --id ID --code CODE [--model TEXT] [--ca URL] [options]",
                   "For a device with its own pairing code: announce this device on the LAN as\n"
                   "waiting to pair, wait until the admin pairs it in the CA's web UI (with this\n"
                   "code and a name), then install its key, certificate, chain and the CA's root.\n"
                   "Without --ca, finds the CA over mDNS.\n"
                   "Each failed key confirmation (a wrong code armed, or a CA guessing this\n"
                   "code) is counted in the state directory: the device pauses 30 s, 60 s,\n"
                   "120 s, 240 s after them and stops after 5 until --reset-lockout.",
                   {}};
  spec.options = {
      {"id", "ID", "this device's id (1-64 of A-Z a-z 0-9 . _ -), as the admin will see it"},
      {"code", "CODE", "this device's own pairing code ('-' reads it from stdin)"},
      {"model", "TEXT", "what the device is, shown to the admin (at most 64 bytes)"},
      {"ca", "URL", "the CA (see 'pair --help'); default: found over mDNS"},
      {"max-wait", "SECONDS", "give up after this long (default: wait until paired or stopped)"},
      {"name-hint", "NAME", "a name for the certificate request's subject"},
      {"kdf", "KDF",
       "only for a device too constrained for scrypt's 32 MiB: 'pbkdf2-sha256' asks the CA "
       "(in the mDNS record) to arm this device with PBKDF2"},
      {"reset-lockout", "",
       "forget the failed key confirmations counted so far (after checking the code the "
       "admin types), then wait as usual"},
  };
  for (OptionSpec& o : DiscoveryOptions()) spec.options.push_back(std::move(o));
  for (OptionSpec& o : CommonOptions(true)) spec.options.push_back(std::move(o));
  return spec;
}

}  // namespace

int RunWait(const Args& args) {
  const CommandSpec spec = WaitSpec();
  ParsedArgs parsed;
  int exit_code = 0;
  if (!ParseOrExit(spec, args, parsed, exit_code)) return exit_code;
  std::optional<std::string> id = parsed.Get("id");
  std::optional<std::string> code = parsed.Get("code");
  if (!id || !code)
    return Error("wait needs --id and --code (see 'homeca-enroll wait --help')", kExitUsage);
  if (!ca::IsValidDeviceId(*id)) {
    return Error("--id: use 1 to 64 characters from A-Z a-z 0-9 . _ -", kExitUsage);
  }
  const std::string model = parsed.Get("model").value_or("");
  bool model_changed = false;
  mdns::SanitizeText(model, mdns::kMaxModelBytes, &model_changed);
  if (model_changed)
    return Error("--model: at most 64 bytes of text without control characters", kExitUsage);
  const std::string kdf = parsed.Get("kdf").value_or("scrypt");
  if (kdf != "scrypt" && kdf != mdns::kPairKdfPbkdf2) {
    return Error("--kdf: 'scrypt' (the default) or 'pbkdf2-sha256'", kExitUsage);
  }
  std::chrono::milliseconds max_wait{0};
  if (auto text = parsed.Get("max-wait")) {
    Result<int> seconds = cli::ParseInt("max-wait", *text, 1, 7 * 86400, "seconds");
    if (!seconds.ok()) return Error(seconds.status().message(), kExitUsage);
    max_wait = std::chrono::seconds(*seconds);
  }
  if (Status ok = CheckDiscoveryArgs(parsed); !ok.ok()) return Error(ok.message(), kExitUsage);
  Result<enroll::EnrollerConfig> config = ConfigFrom(parsed);
  if (!config.ok()) return Error(config.status().message(), kExitUsage);
  config->device_id = *id;
  if (!ReadPairingCode(*code, exit_code)) return exit_code;
  if (parsed.Has("reset-lockout")) {
    Status reset = enroll::ResetLockout(enroll::LockoutFile(config->paths));
    if (!reset.ok()) {
      Cleanse(*code);
      return Error(reset.message());
    }
    Log("pairing lockout reset: failed key confirmations forgotten");
  }

  // Before Avahi starts its thread, so every thread inherits the mask and the
  // waits below take the signals: a stopped wait withdraws its announcement
  // instead of leaving it on the LAN.
  BlockTerminationSignals();

  Result<std::unique_ptr<mdns::Mdns>> started = StartMdns();
  if (!started.ok()) return Error(started.status().message());
  std::unique_ptr<mdns::Mdns> mdns = std::move(started).value();
  const std::string instance = mdns::SanitizeText(*id, mdns::kMaxInstanceNameBytes);
  std::unique_ptr<mdns::Publication> announced =
      mdns->Publish(mdns::MakePairAnnouncement(instance, *id, model, kdf == "scrypt" ? "" : kdf));
  if (mdns->Status().state == mdns::MdnsState::kUnavailable) {
    Log("mDNS is unavailable (" + mdns->Status().detail +
        "): this device will not be listed as waiting to pair; the admin can still pair id " + *id);
  }

  std::optional<enroll::Endpoint> endpoint;
  if (auto url = parsed.Get("ca")) {
    Result<enroll::Endpoint> parsed_url = enroll::ParseCaUrl(*url);
    if (!parsed_url.ok()) return Error(parsed_url.status().message(), kExitUsage);
    endpoint = *parsed_url;
  } else {
    Result<enroll::FoundCa> ca = DiscoverCa(parsed, *mdns);
    if (!ca.ok()) {
      Cleanse(*code);
      return Error(ca.status().message(),
                   ca.status().IsInvalidArgument() ? kExitUsage : kExitFailed);
    }
    config->root_fingerprint_prefix = ca->fingerprint_prefix;
    endpoint = ca->endpoint;
  }

  std::random_device entropy;
  enroll::WaitHooks hooks;
  hooks.attempt = [&](const enroll::EnrollerConfig& c) {
    return enroll::PairAndInstallAt(c, *endpoint, *code);
  };
  // The hook's "true: slept the whole pause" is TerminationRequested's "no".
  hooks.sleep = [](std::chrono::milliseconds pause) { return !TerminationRequested(pause); };
  hooks.log = [](const std::string& line) { Log(line); };
  hooks.random = [&] { return static_cast<std::uint32_t>(entropy()); };
  Result<enroll::Enrollment> paired = enroll::WaitAndPair(*config, hooks, max_wait);
  Cleanse(*code);
  announced.reset();  // withdrawn: paired, given up or stopped
  mdns.reset();
  if (!paired.ok()) {
    return Error(paired.status().message() + " [" +
                 std::string(enroll::ErrorWord(enroll::ErrorOf(paired))) + "]");
  }
  return ReportPaired(*config, *paired);
}

}  // namespace homeca::enroll_cli
