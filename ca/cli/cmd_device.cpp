// `homeca device`: paired devices as renewal lineages (ca/lineage_record.h).
// `device list` shows each device's current certificate (the head of its
// lineage), its renewals and whether it was revoked; `device revoke` revokes
// every certificate the device ever had and ends its lineage, so no copy of
// any of them renews again (docs/enrollment-protocol.md, "Renewal").
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>

#include <algorithm>
#include <iostream>
#include <limits>
#include <sstream>

#include "ca/cli/commands.h"
#include "ca/cli/common.h"
#include "ca/device_record.h"
#include "enroll/manual_device.h"

namespace homeca::cli {
namespace {

const CommandSpec kListSpec{"device list",
                            "homeca device list [--json]",
                            "Lists paired devices, newest first: state, name, current\n"
                            "certificate, renewals.",
                            {{"json", "", "print JSON"}}};

const CommandSpec kRevokeSpec{
    "device revoke",
    "homeca device revoke ID [--reason REASON]",
    "Revokes every certificate of device ID (see 'homeca device list') and ends its\n"
    "renewal: none of them renews again. Publishes a new CRL. To use the device\n"
    "again, pair it anew.",
    {{"reason", "REASON",
      "unspecified (default), keyCompromise, affiliationChanged, superseded, "
      "cessationOfOperation"}},
    1,
    1};

std::string StateOf(const ca::DeviceRecord& d, std::int64_t now) {
  if (d.revoked_at.has_value()) return "revoked";
  if (!d.current.has_value()) return "unknown";
  switch (ca::StateAt(*d.current, now)) {
    case ca::CertificateState::kValid:
      return "active";
    case ca::CertificateState::kRevoked:
      return "revoked";
    case ca::CertificateState::kExpired:
      return "expired";
  }
  return "unknown";
}

Status List(const ParsedArgs& args) {
  auto authority = OpenAuthority(args);
  if (!authority.ok()) return authority.status();
  const std::int64_t now = (*authority)->clock().Now();
  auto devices = (*authority)->pairings().ListDevices();
  if (!devices.ok()) return devices.status();
  if (args.Has("json")) {
    Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
    for (const ca::DeviceRecord& d : *devices) {
      Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
      o->set("id", d.pairing.id);
      o->set("name", d.pairing.names.empty() ? std::string() : d.pairing.names.front());
      o->set("state", StateOf(d, now));
      if (d.current) o->set("current_serial", d.current->serial_hex);
      o->set("renewals", d.renewals);
      if (enroll::IsManualPairing(d.pairing.key)) o->set("renewed_by_hand", true);
      if (d.revoked_at) o->set("revoked_at", ca::FormatTimeIso(*d.revoked_at));
      list->add(o);
    }
    std::ostringstream out;
    Poco::JSON::Stringifier::stringify(list, out, 2);
    std::cout << out.str() << "\n";
    return Status::Ok();
  }
  auto pad = [](std::string s, std::size_t n) {
    s.resize(std::max(s.size(), n), ' ');
    return s;
  };
  std::cout << "ID     STATE    RENEWALS  NAME                            CURRENT SERIAL\n";
  for (const ca::DeviceRecord& d : *devices) {
    std::cout << pad(std::to_string(d.pairing.id), 6) << " " << pad(StateOf(d, now), 8) << " "
              << pad(std::to_string(d.renewals), 9) << " "
              << pad(d.pairing.names.empty() ? "" : d.pairing.names.front(), 31) << " "
              << (d.current ? d.current->serial_hex : "-")
              << (enroll::IsManualPairing(d.pairing.key) ? "  (renewed by hand: issue --device)"
                                                         : "")
              << "\n";
  }
  return Status::Ok();
}

Status Revoke(const ParsedArgs& args) {
  auto id = ParseInt("ID", args.positional()[0], 1, std::numeric_limits<int>::max());
  if (!id.ok())
    return Status::InvalidArgument("the device ID is a number (see 'homeca device list')");
  auto reason = ca::ParseRevocationReason(args.Get("reason").value_or("unspecified"));
  if (!reason.ok()) return reason.status();
  auto authority = OpenAuthority(args);
  if (!authority.ok()) return authority.status();
  auto revoked = (*authority)->RevokeDevice(*id, *reason, "cli");
  if (!revoked.ok()) return revoked.status();
  std::cout << "Device " << *id << " revoked: " << *revoked
            << " certificate(s) revoked, none of its certificates renews again; CRL updated.\n";
  return Status::Ok();
}

int DeviceUsage(std::ostream& out, int status) {
  out << "usage: homeca device <list|revoke> [options]   (each takes --help)\n\n"
         "  list      list paired devices\n"
         "  revoke    revoke a device: all its certificates, and its renewal\n";
  return status;
}

}  // namespace

int RunDevice(const Args& args) {
  if (args.empty()) return DeviceUsage(std::cerr, kExitUsage);
  const std::string& sub = args.front();
  if (sub == "--help" || sub == "-h" || sub == "help") return DeviceUsage(std::cout, kExitOk);
  const Args rest(args.begin() + 1, args.end());
  if (sub == "list") return RunCommand(kListSpec, rest, List);
  if (sub == "revoke") return RunCommand(kRevokeSpec, rest, Revoke);
  std::cerr << "homeca device: unknown subcommand '" << sub.substr(0, 40) << "'\n";
  return DeviceUsage(std::cerr, kExitUsage);
}

}  // namespace homeca::cli
