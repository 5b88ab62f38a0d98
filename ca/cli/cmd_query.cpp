// Read-only commands: info, list, show, audit.
#include <iostream>

#include "ca/cert_builder.h"
#include "ca/cli/commands.h"
#include "ca/cli/common.h"
#include "ca/cli/record_output.h"
#include "ca/cli/renewal_report.h"
#include "ca/root_export.h"

namespace homeca::cli {
namespace {

const CommandSpec kInfoSpec{
    "info",
    "homeca info",
    "Shows the CA: root, intermediate, policy and counts, and whether renewal\n"
    "happens: the last device renewal, devices overdue, and whether homecad keeps\n"
    "the CRL fresh.",
    {}};

const CommandSpec kListSpec{
    "list",
    "homeca list [--status valid|revoked|expired] [--name TEXT] [--json]",
    "Lists issued certificates, newest first.",
    {
        {"status", "STATE", "only valid, revoked or expired certificates"},
        {"name", "TEXT", "only certificates with a name containing TEXT"},
        {"limit", "N", "at most N certificates (default 100, max 1000)"},
        {"offset", "N", "skip the first N"},
        {"json", "", "print JSON instead of a table"},
    },
};

const CommandSpec kShowSpec{
    "show",
    "homeca show SERIAL [--pem | --json]",
    "Shows one certificate by serial number.",
    {{"pem", "", "print the certificate as PEM"}, {"json", "", "print JSON"}},
    1,
    1};

const CommandSpec kAuditSpec{"audit",
                             "homeca audit [--limit N] [--offset N] [--json]",
                             "Shows the audit log, newest first.",
                             {{"limit", "N", "at most N entries (default 50)"},
                              {"offset", "N", "skip the newest N"},
                              {"json", "", "print JSON"}}};

Status Info(const ParsedArgs& args) {
  auto authority = OpenAuthority(args);
  if (!authority.ok()) return authority.status();
  ca::Authority& a = **authority;
  const std::int64_t now = a.clock().Now();
  auto count = [&](ca::CertificateState state) {
    ca::CertificateFilter f;
    f.state = state;
    f.now = now;
    auto n = a.certificates().Count(f);
    return n.ok() ? *n : -1;
  };
  std::cout << "data directory: " << a.data_dir().root().string() << "\n"
            << "root:           " << a.root().SubjectCommonName() << " ("
            << a.root().KeyDescription() << ")\n"
            << "  valid until:  " << ca::FormatTime(a.root().NotAfter()) << "\n"
            << "  SHA-256:      " << ca::RootFingerprint(a.root()) << "\n"
            << "intermediate:   " << a.intermediate().SubjectCommonName() << "\n"
            << "  valid until:  " << ca::FormatTime(a.intermediate().NotAfter()) << "\n"
            << "permitted:      ";
  for (const std::string& d : a.policy().permitted_domains) std::cout << d << " ";
  for (const ca::IpRange& r : a.policy().permitted_ip_ranges) std::cout << r.ToString() << " ";
  std::cout << (a.policy().permitted_ip_ranges.empty() ? "(all IP addresses excluded)" : "") << "\n"
            << "default life:   " << a.default_leaf_days() << " days\n"
            << "certificates:   " << count(ca::CertificateState::kValid) << " valid, "
            << count(ca::CertificateState::kRevoked) << " revoked, "
            << count(ca::CertificateState::kExpired) << " expired\n";
  PrintRenewalReport(a, now, std::cout);
  return Status::Ok();
}

Status List(const ParsedArgs& args) {
  auto authority = OpenAuthority(args);
  if (!authority.ok()) return authority.status();
  ca::CertificateFilter filter;
  filter.now = (*authority)->clock().Now();
  if (auto status = args.Get("status")) {
    if (*status == "valid")
      filter.state = ca::CertificateState::kValid;
    else if (*status == "revoked")
      filter.state = ca::CertificateState::kRevoked;
    else if (*status == "expired")
      filter.state = ca::CertificateState::kExpired;
    else
      return Status::InvalidArgument("--status must be valid, revoked or expired");
  }
  filter.name_contains = args.Get("name").value_or("");
  if (auto limit = args.Get("limit")) {
    auto n = ParseInt("limit", *limit, 1, 1000);
    if (!n.ok()) return n.status();
    filter.limit = *n;
  }
  if (auto offset = args.Get("offset")) {
    auto n = ParseInt("offset", *offset, 0, 1 << 30);
    if (!n.ok()) return n.status();
    filter.offset = *n;
  }
  auto records = (*authority)->certificates().List(filter);
  if (!records.ok()) return records.status();
  std::cout << (args.Has("json") ? RecordsAsJson(*records, filter.now)
                                 : RecordsAsTable(*records, filter.now));
  return Status::Ok();
}

Status Show(const ParsedArgs& args) {
  auto serial = ca::NormalizeSerial(args.positional()[0]);
  if (!serial.ok()) return serial.status();
  auto authority = OpenAuthority(args);
  if (!authority.ok()) return authority.status();
  auto record = (*authority)->certificates().FindBySerial(*serial);
  if (!record.ok()) return record.status();
  const std::int64_t now = (*authority)->clock().Now();
  if (args.Has("pem")) {
    auto cert = ca::Certificate::FromDer(record->der);
    if (!cert.ok()) return cert.status();
    std::cout << cert->Pem();
  } else {
    std::cout << (args.Has("json") ? RecordAsJson(*record, now) : RecordAsText(*record, now));
  }
  return Status::Ok();
}

Status Audit(const ParsedArgs& args) {
  int limit = 50;
  int offset = 0;
  if (auto text = args.Get("limit")) {
    auto n = ParseInt("limit", *text, 1, 1000);
    if (!n.ok()) return n.status();
    limit = *n;
  }
  if (auto text = args.Get("offset")) {
    auto n = ParseInt("offset", *text, 0, 1 << 30);
    if (!n.ok()) return n.status();
    offset = *n;
  }
  auto authority = OpenAuthority(args);
  if (!authority.ok()) return authority.status();
  auto entries = (*authority)->audit_log().ListAudit(limit, offset);
  if (!entries.ok()) return entries.status();
  std::cout << (args.Has("json") ? AuditAsJson(*entries) : AuditAsText(*entries));
  return Status::Ok();
}

}  // namespace

int RunInfo(const Args& args) { return RunCommand(kInfoSpec, args, Info); }
int RunList(const Args& args) { return RunCommand(kListSpec, args, List); }
int RunShow(const Args& args) { return RunCommand(kShowSpec, args, Show); }
int RunAudit(const Args& args) { return RunCommand(kAuditSpec, args, Audit); }

}  // namespace homeca::cli
