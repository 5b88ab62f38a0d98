#include <iostream>

#include "ca/cli/commands.h"
#include "ca/cli/common.h"
#include "ca/cli/passphrase.h"
#include "ca/csr.h"
#include "ca/key_bundle.h"
#include "ca/leaf_profile.h"
#include "enroll/manual_device.h"

namespace homeca::cli {
namespace {

const CommandSpec kSpec{
    "issue",
    "homeca issue --csr FILE --name NAME [--name NAME...] [options]\n"
    "       homeca issue --device NAME --csr FILE [--out FILE]\n"
    "       homeca issue --device NAME (--p12 FILE [--legacy] | --pem FILE) [--key-type TYPE]",
    "Issues a certificate for the key in a CSR (PEM or DER; '-' reads standard input).\n"
    "The names come from --name, never from the CSR; a bare name like 'nas' means\n"
    "nas.home.arpa. Prints the chain (certificate, then intermediate) as PEM.\n"
    "\n"
    "With --device, for a device without a shell (a NAS, a printer): the certificate\n"
    "is for the device's names (nas.home.arpa, and nas.local where permitted), the\n"
    "device is listed with `homeca device list`, and a CSR asking for any other name\n"
    "is refused. Nothing renews it by itself: run the same command with a new CSR\n"
    "before it expires. Without --csr, homeca makes the key (it leaves the box: prefer\n"
    "the device's own CSR) and writes it with the chain to --p12 (password-protected;\n"
    "the password is asked for, or read with --passphrase-file/--passphrase-fd) or\n"
    "--pem (unencrypted). The key is not kept.",
    {
        {"csr", "FILE", "the certificate signing request"},
        {"name", "NAME", "a DNS name (or permitted IP address) for the certificate", true},
        {"device", "NAME", "issue for a device renewed by hand (see above)"},
        {"days", "N",
         "lifetime in days (default: the CA's, max " + std::to_string(ca::kMaxLeafDays) + ")"},
        {"out", "FILE", "write the chain here instead of standard output"},
        {"requester", "WHO", "who the certificate is for, recorded in the store"},
        {"p12", "FILE", "--device without --csr: write key and chain as PKCS#12 (AES-256)"},
        {"legacy", "", "with --p12: 3DES and SHA-1, for importers that cannot read AES"},
        {"pem", "FILE", "--device without --csr: write key and chain as PEM (unencrypted)"},
        {"key-type", "TYPE", "the key homeca makes: p256 (default) or rsa2048"},
        PassphraseFileOption("", "the PKCS#12 password (at least " +
                                     std::to_string(ca::kMinPkcs12PasswordLength) + " characters)"),
        PassphraseFdOption("", "the PKCS#12 password"),
    },
};

void PrintIssued(const ca::CertificateRecord& record) {
  std::cerr << "issued serial " << record.serial_hex << " until "
            << ca::FormatTime(record.not_after) << "\n";
}

Status IssueWithCaKey(const ParsedArgs& args, ca::Authority& authority) {
  const auto p12_path = args.Get("p12");
  const auto pem_path = args.Get("pem");
  if (p12_path.has_value() == pem_path.has_value()) {
    return Status::InvalidArgument("give --csr, or one of --p12 FILE and --pem FILE");
  }
  Result<ca::DeviceKeyType> type = ca::ParseDeviceKeyType(args.Get("key-type").value_or("p256"));
  if (!type.ok()) return type.status();
  std::string password;
  if (p12_path) {
    Result<std::string> read = ReadPassphrase(args, "", "Password for the PKCS#12 file", true);
    if (!read.ok()) return read.status();
    password = std::move(*read);
    Status checked = ca::CheckPkcs12Password(password, password);
    if (!checked.ok()) {
      Cleanse(password);
      return checked;
    }
  }
  Result<enroll::CaMadeKey> made =
      enroll::IssueWithCaKey(authority, *args.Get("device"), *type, "cli");
  if (!made.ok()) {
    Cleanse(password);
    return made.status();
  }
  const ca::IssuedCertificate& issued = made->certificate.issued;
  Status written = Status::Ok();
  if (p12_path) {
    Result<Bytes> p12 = ca::BuildPkcs12(
        made->key, issued.chain, password,
        args.Has("legacy") ? ca::Pkcs12Protection::kLegacy3Des : ca::Pkcs12Protection::kAes256,
        issued.record.names.front());
    Cleanse(password);
    if (!p12.ok()) return p12.status();
    written = WriteOutput(*p12_path, std::string(p12->begin(), p12->end()), 0600);
  } else {
    Result<std::string> bundle = ca::PemKeyBundle(made->key, issued.chain);
    if (!bundle.ok()) return bundle.status();
    written = WriteOutput(*pem_path, *bundle, 0600);
    Cleanse(*bundle);
  }
  if (!written.ok()) return written.WithContext("the certificate was issued, but the key is lost");
  PrintIssued(issued.record);
  return Status::Ok();
}

Status IssueForDevice(const ParsedArgs& args) {
  if (args.Has("name") || args.Has("days") || args.Has("requester")) {
    return Status::InvalidArgument(
        "--device decides the names and lifetime itself; leave out --name, --days and "
        "--requester");
  }
  auto authority = OpenAuthority(args);
  if (!authority.ok()) return authority.status();
  if (!args.Has("csr")) return IssueWithCaKey(args, **authority);
  if (args.Has("p12") || args.Has("pem")) {
    return Status::InvalidArgument("with --csr the device keeps its key: leave out --p12/--pem");
  }
  auto csr = ReadInput(*args.Get("csr"), ca::kMaxCsrBytes);
  if (!csr.ok()) return csr.status();
  Result<enroll::ManualCertificate> issued =
      enroll::IssueForCsr(**authority, *args.Get("device"), *csr, "cli");
  if (!issued.ok()) return issued.status();
  HOMECA_RETURN_IF_ERROR(
      WriteOutput(args.Get("out").value_or(""), ca::ChainPem(issued->issued.chain)));
  PrintIssued(issued->issued.record);
  std::cerr << (issued->renewed ? "renewed" : "added") << " device " << issued->pairing_id
            << "; it is renewed by hand: run this again with a new CSR before it expires\n";
  return Status::Ok();
}

Status Issue(const ParsedArgs& args) {
  if (args.Has("device")) return IssueForDevice(args);
  if (args.Has("p12") || args.Has("pem") || args.Has("key-type") || args.Has("legacy")) {
    return Status::InvalidArgument("--p12, --pem, --key-type and --legacy need --device NAME");
  }
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
  PrintIssued(issued->record);
  return Status::Ok();
}

}  // namespace

int RunIssue(const Args& args) { return RunCommand(kSpec, args, Issue); }

}  // namespace homeca::cli
