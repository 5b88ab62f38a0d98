#include <iostream>

#include "ca/cli/commands.h"
#include "ca/cli/common.h"
#include "ca/csr.h"
#include "ca/leaf_profile.h"

namespace homeca::cli {
namespace {

const CommandSpec kSpec{
    "issue",
    "homeca issue --csr FILE --name NAME [--name NAME...] [options]",
    "Issues a certificate for the key in a CSR (PEM or DER; '-' reads standard input).\n"
    "The names come from --name, never from the CSR; a bare name like 'nas' means\n"
    "nas.home.arpa. Prints the chain (certificate, then intermediate) as PEM.",
    {
        {"csr", "FILE", "the certificate signing request"},
        {"name", "NAME", "a DNS name (or permitted IP address) for the certificate", true},
        {"days", "N",
         "lifetime in days (default: the CA's, max " + std::to_string(ca::kMaxLeafDays) + ")"},
        {"out", "FILE", "write the chain here instead of standard output"},
        {"requester", "WHO", "who the certificate is for, recorded in the store"},
    },
};

Status Issue(const ParsedArgs& args) {
  auto csr_path = args.Get("csr");
  if (!csr_path) return Status::InvalidArgument("--csr is required");
  if (!args.Has("name")) return Status::InvalidArgument("at least one --name is required");
  auto csr = ReadInput(*csr_path, ca::kMaxCsrBytes);
  if (!csr.ok()) return csr.status();
  ca::IssueRequest request{*csr, args.GetAll("name"), 0, args.Get("requester").value_or("cli")};
  if (auto days = args.Get("days")) {
    auto value = ParseInt("days", *days, 1, ca::kMaxLeafDays);
    if (!value.ok()) return value.status();
    request.lifetime_days = *value;
  }
  auto authority = OpenAuthority(args);
  if (!authority.ok()) return authority.status();
  auto issued = (*authority)->Issue(request);
  if (!issued.ok()) return issued.status();
  HOMECA_RETURN_IF_ERROR(WriteOutput(args.Get("out").value_or(""), ca::ChainPem(issued->chain)));
  std::cerr << "issued serial " << issued->record.serial_hex << " until "
            << ca::FormatTime(issued->record.not_after) << "\n";
  return Status::Ok();
}

}  // namespace

int RunIssue(const Args& args) { return RunCommand(kSpec, args, Issue); }

}  // namespace homeca::cli
