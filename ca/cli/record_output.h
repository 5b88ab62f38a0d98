// Rendering certificate records and audit entries for the terminal and as
// JSON (Poco::JSON, so strings from CSRs are always escaped correctly).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ca/audit_entry.h"
#include "ca/certificate_record.h"

namespace homeca::cli {

std::string RecordsAsJson(const std::vector<ca::CertificateRecord>& records, std::int64_t now);
std::string RecordAsJson(const ca::CertificateRecord& record, std::int64_t now);
std::string RecordsAsTable(const std::vector<ca::CertificateRecord>& records, std::int64_t now);
std::string RecordAsText(const ca::CertificateRecord& record, std::int64_t now);
std::string AuditAsText(const std::vector<ca::AuditEntry>& entries);
std::string AuditAsJson(const std::vector<ca::AuditEntry>& entries);

}  // namespace homeca::cli
