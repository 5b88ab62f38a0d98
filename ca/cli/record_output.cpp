#include "ca/cli/record_output.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>

#include <sstream>

#include "ca/authority.h"
#include "ca/x509/certificate.h"

namespace homeca::cli {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

std::string Join(const std::vector<std::string>& items, const char* sep) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : sep) + s;
  return out;
}

Object::Ptr ToJson(const ca::CertificateRecord& r, std::int64_t now) {
  Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("serial", r.serial_hex);
  o->set("common_name", r.subject_cn);
  Array::Ptr names = new Array;
  for (const std::string& n : r.names) names->add(n);
  o->set("names", names);
  o->set("status", std::string(ca::ToString(ca::StateAt(r, now))));
  o->set("not_before", ca::FormatTimeIso(r.not_before));
  o->set("not_after", ca::FormatTimeIso(r.not_after));
  o->set("issued_at", ca::FormatTimeIso(r.issued_at));
  o->set("requester", r.requester);
  o->set("key_type", r.key_type);
  o->set("fingerprint_sha256", r.fingerprint_sha256);
  if (r.revocation) {
    o->set("revoked_at", ca::FormatTimeIso(r.revocation->revoked_at));
    o->set("revocation_reason", std::string(ca::ToString(r.revocation->reason)));
  }
  return o;
}

std::string Stringify(const Poco::Dynamic::Var& value) {
  std::ostringstream out;
  Poco::JSON::Stringifier::stringify(value, out, 2);
  out << "\n";
  return out.str();
}

// Terminal output must not let a hostile CSR subject move the cursor or
// rewrite the screen: control characters are shown as '?'.
std::string Printable(std::string s) {
  for (char& c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  }
  return s;
}

}  // namespace

std::string RecordsAsJson(const std::vector<ca::CertificateRecord>& records, std::int64_t now) {
  Array::Ptr list = new Array;
  for (const auto& r : records) list->add(ToJson(r, now));
  return Stringify(list);
}

std::string RecordAsJson(const ca::CertificateRecord& record, std::int64_t now) {
  return Stringify(ToJson(record, now));
}

std::string RecordsAsTable(const std::vector<ca::CertificateRecord>& records, std::int64_t now) {
  std::ostringstream out;
  out << "SERIAL                            STATUS   EXPIRES     NAMES\n";
  for (const auto& r : records) {
    std::string serial = r.serial_hex;
    serial.resize(std::max<std::size_t>(serial.size(), 33), ' ');
    std::string status = ca::ToString(ca::StateAt(r, now));
    status.resize(8, ' ');
    out << serial << " " << status << " " << ca::FormatTimeIso(r.not_after).substr(0, 10) << "  "
        << Printable(Join(r.names, ", ")) << "\n";
  }
  return out.str();
}

std::string RecordAsText(const ca::CertificateRecord& r, std::int64_t now) {
  std::ostringstream out;
  out << "serial:       " << r.serial_hex << "\n"
      << "status:       " << ca::ToString(ca::StateAt(r, now)) << "\n"
      << "names:        " << Printable(Join(r.names, ", ")) << "\n"
      << "not before:   " << ca::FormatTime(r.not_before) << "\n"
      << "not after:    " << ca::FormatTime(r.not_after) << "\n"
      << "issued:       " << ca::FormatTime(r.issued_at) << " to " << Printable(r.requester) << "\n"
      << "key:          " << r.key_type << "\n"
      << "SHA-256:      " << r.fingerprint_sha256 << "\n";
  if (r.revocation) {
    out << "revoked:      " << ca::FormatTime(r.revocation->revoked_at) << " ("
        << ca::ToString(r.revocation->reason) << ")\n";
  }
  return out.str();
}

std::string AuditAsText(const std::vector<ca::AuditEntry>& entries) {
  std::ostringstream out;
  for (const auto& e : entries) {
    out << ca::FormatTimeIso(e.at) << "  " << Printable(e.actor) << "  " << e.action << "  "
        << Printable(e.detail) << "\n";
  }
  return out.str();
}

std::string AuditAsJson(const std::vector<ca::AuditEntry>& entries) {
  Array::Ptr list = new Array;
  for (const auto& e : entries) {
    Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("id", e.id);
    o->set("at", ca::FormatTimeIso(e.at));
    o->set("actor", e.actor);
    o->set("action", e.action);
    o->set("detail", e.detail);
    list->add(o);
  }
  return Stringify(list);
}

}  // namespace homeca::cli
