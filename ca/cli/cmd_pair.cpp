// `homeca pair`: device pairings (docs/enrollment-protocol.md). `pair add` is
// the one place a pairing code is ever printed: on the admin's own terminal,
// once. `pair add --acme` prints an ACME client's EAB key id and HMAC key
// instead, once (docs/acme.md). `pair device` takes a device's code and never
// repeats it.
//
// This command is why the `homeca` executable links the enrollment core
// (enroll/pairing_admin.h); the homeca_ca library itself knows nothing of it.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>

#include <algorithm>
#include <iostream>
#include <limits>
#include <optional>
#include <sstream>

#include "ca/cli/commands.h"
#include "ca/cli/common.h"
#include "ca/plain_words.h"
#include "ca/x509/certificate.h"
#include "enroll/acme/acme_pairing.h"
#include "enroll/pairing_admin.h"

namespace homeca::cli {
namespace {

// What the printed device command suggests when the admin gave no --ca-url:
// homecad's default name and port (webui/daemon/daemon_config.h). By default the
// device finds the CA over mDNS and needs no address at all.
constexpr char kDefaultCaUrl[] = "https://ca.home.arpa";
constexpr int kMaxTtlMinutes = static_cast<int>(enroll::kMaxPairingTtlSeconds / 60);
const std::string kTtlHelp =
    "minutes the pairing stays valid (default 10, max " + std::to_string(kMaxTtlMinutes) + ")";

const CommandSpec kAddSpec{
    "pair add",
    "homeca pair add --name NAME [--name NAME...] [--ttl MINUTES] [--ca-url URL] [--acme] "
    "[--replace]",
    "Makes a pairing code for a device that will get these names (a bare name like\n"
    "'nas' means nas.home.arpa). The code is shown once, here, and works once.\n"
    "A name already paired or waiting is refused unless --replace confirms it.\n"
    "With --acme, for a device with an ACME client (certbot, lego, Proxmox...): an\n"
    "EAB key id and HMAC key instead of a code, shown once, here.",
    {{"name", "NAME", "a name for the device's certificate", true},
     {"ttl", "MINUTES", kTtlHelp + "; with --acme default 1440"},
     {"acme", "", "the device has an ACME client: make EAB credentials bound to the pairing"},
     {"replace", "",
      "a name is already a device's or waiting: replace it (a waiting code stops working; a "
      "paired device's certificates are revoked when the new one pairs)"},
     {"ca-url", "URL",
      "the CA's address as devices reach it, for the printed command (default: none, the "
      "device finds the CA over mDNS)"}}};

const CommandSpec kDeviceSpec{
    "pair device",
    "homeca pair device --id ID --code CODE --name NAME [--name NAME...] [--ttl MINUTES] "
    "[--kdf KDF]",
    "Arms a pairing for a device that has its own code (on its label or screen).\n"
    "'--code -' reads the code from standard input, keeping it out of the process list.",
    {{"id", "ID", "the device id it advertises (A-Z a-z 0-9 . _ -, at most 64)"},
     {"code", "CODE", "the device's 12-digit code"},
     {"name", "NAME", "a name for the device's certificate", true},
     {"ttl", "MINUTES", kTtlHelp},
     {"kdf", "KDF",
      "how the device stretches its code: 'scrypt' (default) or, only for a constrained "
      "device that asks for it (its mDNS record says kdf=pbkdf2-sha256), 'pbkdf2-sha256'"}}};

const CommandSpec kListSpec{"pair list",
                            "homeca pair list [--waiting] [--limit N] [--json]",
                            "Lists pairings, newest first: state, what each waits for, expiry,\n"
                            "attempts left and names; a wrong code, a failure or an expiry is\n"
                            "said in words under its row.",
                            {{"waiting", "", "only pairings still waiting for their device"},
                             {"limit", "N", "at most N pairings (default 50, max 1000)"},
                             {"json", "", "print JSON"}}};

const CommandSpec kNewCodeSpec{
    "pair new-code",
    "homeca pair new-code ID [--ttl MINUTES] [--ca-url URL]",
    "A fresh code for the same names, for a pairing that is waiting, failed or\n"
    "expired; its old code stops working. Shown once, here.",
    {{"ttl", "MINUTES", kTtlHelp},
     {"ca-url", "URL", "the CA's address as devices reach it, for the printed command"}},
    1,
    1};

const CommandSpec kCancelSpec{"pair cancel",
                              "homeca pair cancel ID",
                              "Cancels a waiting pairing; its code stops working at once.",
                              {},
                              1,
                              1};

Result<std::int64_t> TtlSeconds(const ParsedArgs& args) {
  auto text = args.Get("ttl");
  if (!text) return enroll::kDefaultPairingTtlSeconds;
  auto minutes = ParseInt("ttl", *text, 1, kMaxTtlMinutes);
  if (!minutes.ok()) return minutes.status();
  return std::int64_t{*minutes} * 60;
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

// `pair add --acme`: the key id and HMAC key, once, and how to use them.
Status AddAcme(const ParsedArgs& args) {
  std::int64_t ttl = enroll::acme::kDefaultAcmePairingTtlSeconds;
  if (args.Has("ttl")) {
    auto given = TtlSeconds(args);
    if (!given.ok()) return given.status();
    ttl = *given;
  }
  auto authority = OpenAuthority(args);
  if (!authority.ok()) return authority.status();
  auto pairing = enroll::acme::CreateAcmePairing(**authority, args.GetAll("name"), ttl, "cli");
  if (!pairing.ok()) return pairing.status();
  const std::string directory = args.Get("ca-url").value_or(kDefaultCaUrl) + "/acme/directory";
  std::cout << "ACME pairing " << pairing->id << " for " << Join(pairing->names) << ".\n\n"
            << "    ACME directory: " << directory << "\n"
            << "    EAB key id:     " << pairing->eab.key_id << "\n"
            << "    EAB HMAC key:   " << pairing->eab.hmac_key << "\n\n"
            << "The HMAC key is shown only now. The first ACME account registered with it\n"
            << "(until " << ca::FormatTime(pairing->expires_at)
            << ") is bound to this device; no other can use it.\n"
            << "The client must trust this CA's root (homeca export-root). With certbot:\n\n"
            << "    " << enroll::acme::CertbotRecipe(*pairing, directory) << "\n\n"
            << "No challenge is asked: the pairing is the authorization. Other clients: "
               "docs/acme.md.\n";
  return Status::Ok();
}

// The code, once, and the command the device runs.
void PrintCode(const ParsedArgs& args, const enroll::CodePairing& pairing, std::int64_t ttl) {
  const std::string code = pairing.code.Display();
  std::cout << "Pairing code for " << Join(pairing.names) << " (pairing " << pairing.id
            << "):\n\n        " << code << "\n\n"
            << "Valid until " << ca::FormatTime(pairing.expires_at) << " (" << ttl / 60
            << " min), for one device, once.\n"
            << "On the device, run:\n\n    homeca-enroll pair --code " << code;
  if (std::optional<std::string> url = args.Get("ca-url")) {
    std::cout << " --ca " << *url << "\n";
  } else {
    std::cout << "\n\nIt finds the CA over mDNS. Where mDNS does not reach (another subnet, "
                 "no avahi-daemon),\nadd --ca with the CA's IP address, e.g. --ca 192.168.1.10, "
                 "or --ca "
              << kDefaultCaUrl << " where your router resolves it\n";
  }
}

Status Add(const ParsedArgs& args) {
  if (!args.Has("name")) return Status::InvalidArgument("at least one --name is required");
  if (args.Has("acme")) return AddAcme(args);
  auto ttl = TtlSeconds(args);
  if (!ttl.ok()) return ttl.status();
  auto authority = OpenAuthority(args);
  if (!authority.ok()) return authority.status();
  auto pairing = enroll::CreateCodePairing(
      **authority, args.GetAll("name"), *ttl, "cli",
      args.Has("replace") ? enroll::NameReuse::kReplace : enroll::NameReuse::kRefuse);
  if (pairing.status().IsAlreadyExists() && !args.Has("replace")) {
    // The web UI's words, and how to confirm here.
    return Status::AlreadyExists(pairing.status().message() + " Add --replace to do so.");
  }
  if (!pairing.ok()) return pairing.status();
  PrintCode(args, *pairing, *ttl);
  Result<ca::PairingSummary> made =
      (*authority)->pairings().GetPairing(pairing->id, (*authority)->clock().Now());
  if (made.ok() && made->replaces > 0) {
    std::cout << "When it pairs, it replaces device " << made->replaces
              << ": the old certificates are revoked.\n";
  }
  return Status::Ok();
}

Status NewCode(const ParsedArgs& args) {
  auto id = ParseInt("ID", args.positional()[0], 1, std::numeric_limits<int>::max());
  if (!id.ok()) {
    return Status::InvalidArgument("the pairing ID is a number (see 'homeca pair list')");
  }
  auto ttl = TtlSeconds(args);
  if (!ttl.ok()) return ttl.status();
  auto authority = OpenAuthority(args);
  if (!authority.ok()) return authority.status();
  auto pairing = enroll::RenewPairingCode(**authority, *id, *ttl, "cli");
  if (!pairing.ok()) return pairing.status();
  PrintCode(args, *pairing, *ttl);
  return Status::Ok();
}

Status Device(const ParsedArgs& args) {
  auto id = args.Get("id");
  auto code = args.Get("code");
  if (!id || !code) return Status::InvalidArgument("--id and --code are required");
  if (!args.Has("name")) return Status::InvalidArgument("at least one --name is required");
  auto ttl = TtlSeconds(args);
  if (!ttl.ok()) return ttl.status();
  Result<enroll::PasswordKdf> kdf = enroll::ParsePasswordKdf(args.Get("kdf").value_or("scrypt"));
  if (!kdf.ok()) return kdf.status().WithContext("--kdf");
  std::string code_text = *code;
  if (code_text == "-") {
    std::getline(std::cin, code_text);
  }
  auto authority = OpenAuthority(args);
  if (!authority.ok()) return authority.status();
  auto pairing =
      enroll::ArmDevicePairing(**authority, *id, code_text, args.GetAll("name"), *ttl, "cli", *kdf);
  Cleanse(code_text);
  if (!pairing.ok()) return pairing.status();
  std::cout << "Pairing " << pairing->id << " armed for device " << pairing->device_id << ": "
            << Join(pairing->names) << ".\nThe device pairs on its next attempt, until "
            << ca::FormatTime(pairing->expires_at) << ".\n";
  return Status::Ok();
}

std::string AsJson(const std::vector<ca::PairingSummary>& pairings) {
  Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
  for (const ca::PairingSummary& p : pairings) {
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("id", p.id);
    if (p.key.slot)
      o->set("slot", *p.key.slot);
    else
      o->set("device_id", p.key.device_id);
    Poco::JSON::Array::Ptr names = new Poco::JSON::Array;
    for (const std::string& n : p.names) names->add(n);
    o->set("names", names);
    o->set("state", std::string(ca::ToString(p.state)));
    o->set("created_at", ca::FormatTimeIso(p.created_at));
    o->set("expires_at", ca::FormatTimeIso(p.expires_at));
    o->set("attempts", p.attempts);
    o->set("status", std::string(ca::PairingStateWord(p.state)));
    o->set("attempts_left", ca::DescribePairing(p).attempts_left);
    o->set("wrong_codes", p.failed_attempts);
    if (p.replaces > 0) o->set("replaces", p.replaces);
    if (!p.certificate_serial.empty()) o->set("certificate_serial", p.certificate_serial);
    o->set("created_by", p.created_by);
    list->add(o);
  }
  std::ostringstream out;
  Poco::JSON::Stringifier::stringify(list, out, 2);
  out << "\n";
  return out.str();
}

// What a pairing waits for, in words: its code, a device's own code, or an
// ACME client.
std::string WaitsFor(const ca::PairingSummary& p) {
  if (enroll::acme::IsAcmePairing(p.key)) return "ACME client";
  if (p.key.slot) return "its code";
  return "device " + p.key.device_id;
}

std::string AsTable(const std::vector<ca::PairingSummary>& pairings) {
  std::ostringstream out;
  auto pad = [](std::string s, std::size_t n) {
    s.resize(std::max(s.size(), n), ' ');
    return s;
  };
  out << "ID     STATE      FOR               EXPIRES (UTC)     ATTEMPTS LEFT  NAMES\n";
  for (const ca::PairingSummary& p : pairings) {
    const ca::PairingStanding standing = ca::DescribePairing(p);
    const bool waiting = p.state == ca::PairingState::kArmed;
    out << pad(std::to_string(p.id), 6) << " " << pad(standing.word, 10) << " "
        << pad(WaitsFor(p), 17) << " " << pad(ca::FormatTimeIso(p.expires_at).substr(0, 16), 17)
        << " "
        << pad(waiting ? std::to_string(standing.attempts_left) + " of " +
                             std::to_string(ca::kMaxPairingAttempts)
                       : "-",
               14)
        << " " << Join(p.names)
        << (p.certificate_serial.empty() ? "" : "  -> " + p.certificate_serial) << "\n";
    // Only what needs the admin: a wrong code, a failure, an expiry.
    if (standing.wrong_code || standing.can_make_new_code) {
      if (!waiting || standing.wrong_code) {
        out << "       " << standing.sentence
            << (p.key.slot ? " (homeca pair new-code " + std::to_string(p.id) + ")" : "") << "\n";
      }
    }
  }
  return out.str();
}

Status List(const ParsedArgs& args) {
  ca::PairingFilter filter;
  filter.waiting_only = args.Has("waiting");
  filter.limit = 50;
  if (auto limit = args.Get("limit")) {
    auto n = ParseInt("limit", *limit, 1, 1000);
    if (!n.ok()) return n.status();
    filter.limit = *n;
  }
  auto authority = OpenAuthority(args);
  if (!authority.ok()) return authority.status();
  filter.now = (*authority)->clock().Now();
  auto pairings = (*authority)->pairings().ListPairings(filter);
  if (!pairings.ok()) return pairings.status();
  std::cout << (args.Has("json") ? AsJson(*pairings) : AsTable(*pairings));
  return Status::Ok();
}

Status Cancel(const ParsedArgs& args) {
  auto id = ParseInt("ID", args.positional()[0], 1, std::numeric_limits<int>::max());
  if (!id.ok())
    return Status::InvalidArgument("the pairing ID is a number (see 'homeca pair list')");
  auto authority = OpenAuthority(args);
  if (!authority.ok()) return authority.status();
  HOMECA_RETURN_IF_ERROR(
      (*authority)->pairings().CancelPairing(*id, (*authority)->clock().Now(), "cli"));
  std::cout << "Pairing " << *id << " cancelled.\n";
  return Status::Ok();
}

int PairUsage(std::ostream& out, int status) {
  out << "usage: homeca pair <add|new-code|device|list|cancel> [options]   (each takes "
         "--help)\n\n"
         "  add       make a pairing code for a device\n"
         "  new-code  a fresh code for a waiting, failed or expired pairing\n"
         "  device    arm a pairing for a device's own code\n"
         "  list      list pairings\n"
         "  cancel    cancel a waiting pairing\n";
  return status;
}

}  // namespace

int RunPair(const Args& args) {
  if (args.empty()) return PairUsage(std::cerr, kExitUsage);
  const std::string& sub = args.front();
  if (sub == "--help" || sub == "-h" || sub == "help") return PairUsage(std::cout, kExitOk);
  const Args rest(args.begin() + 1, args.end());
  if (sub == "add") return RunCommand(kAddSpec, rest, Add);
  if (sub == "device") return RunCommand(kDeviceSpec, rest, Device);
  if (sub == "list") return RunCommand(kListSpec, rest, List);
  if (sub == "new-code") return RunCommand(kNewCodeSpec, rest, NewCode);
  if (sub == "cancel") return RunCommand(kCancelSpec, rest, Cancel);
  // Not echoed: a code typed in the wrong place must not land on screen again.
  std::cerr << "homeca pair: unknown subcommand\n";
  return PairUsage(std::cerr, kExitUsage);
}

}  // namespace homeca::cli
