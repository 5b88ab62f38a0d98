// The certificate list (search, status filter, pages) and one certificate's
// details with its download link and the revoke form.
#include "ca/plain_words.h"
#include "webui/pages/pages.h"

namespace homeca::webui::pages {
namespace {

// The list's own URL for another page, keeping the search and filter.
std::string ListUrl(const CertificatesView& v, int page) {
  std::string url = "/certificates?page=" + std::to_string(page);
  if (!v.query.empty()) url += "&q=" + UrlEncode(v.query);
  if (!v.status.empty()) url += "&status=" + UrlEncode(v.status);
  return url;
}

struct StatusOption {
  const char* value;
  Markup label;
};
constexpr StatusOption kStatusOptions[] = {
    {"", "Any status"}, {"valid", "Valid"}, {"revoked", "Revoked"}, {"expired", "Expired"}};

struct ReasonOption {
  Markup value;
  Markup label;
};
constexpr ReasonOption kReasons[] = {
    {"unspecified", "No particular reason"},
    {"keyCompromise", "The key may be compromised (lost or stolen device)"},
    {"cessationOfOperation", "The device is retired"},
    {"superseded", "Replaced by a newer certificate"},
    {"affiliationChanged", "The device changed owner or role"},
};

}  // namespace

Html RenderCertificatesPage(const PageFrame& frame, const CertificatesView& v) {
  Html main;
  main << "<h1>Certificates</h1>";
  if (!v.error.empty()) {
    main << "<p class=\"error\" data-testid=\"error\">" << Text(v.error) << "</p>";
  }
  main << "<form class=\"filters\" method=\"get\" action=\"/certificates\">"
          "<div><label for=\"q\">Name contains</label><input type=\"search\" id=\"q\" "
          "name=\"q\" maxlength=\"256\" value=\""
       << Text(v.query)
       << "\"></div><div><label for=\"status\">Status</label><select id=\"status\" "
          "name=\"status\">";
  for (const StatusOption& o : kStatusOptions) {
    main << "<option value=\"" << Text(o.value) << "\""
         << (v.status == o.value ? Markup(" selected") : Markup("")) << ">" << o.label
         << "</option>";
  }
  main << "</select></div><button type=\"submit\">Search</button></form>";
  const std::int64_t first = v.total == 0 ? 0 : std::int64_t{v.page - 1} * v.per_page + 1;
  const std::int64_t last = first == 0 ? 0 : first + static_cast<std::int64_t>(v.rows.size()) - 1;
  main << "<p class=\"muted\" data-testid=\"cert-total\">" << first << "–" << last << " of "
       << v.total << "</p>";
  if (!v.rows.empty()) {
    main << "<div class=\"table-wrap\"><table><thead><tr><th>Name</th><th>Status</th>"
            "<th>Expires</th><th class=\"wide-only\">Serial</th></tr></thead><tbody>";
    for (const CertificateRow& r : v.rows) {
      main << "<tr data-testid=\"cert-row\"><td><a href=\"/certificates/" << Text(r.serial) << "\">"
           << Text(r.names.empty() ? r.common_name : r.names)
           << "</a></td><td><span class=\"status status-" << Text(r.status) << "\">"
           << Text(r.status) << "</span></td><td>" << LocalTime(r.not_after)
           << "</td><td class=\"wide-only\"><code data-testid=\"cert-serial\">" << Text(r.serial)
           << "</code></td></tr>";
    }
    main << "</tbody></table></div>";
  }
  main << "<nav class=\"pager\">";
  if (v.page > 1) {
    main << "<a href=\"" << Text(ListUrl(v, v.page - 1)) << "\" data-testid=\"prev-page\">← "
         << "Newer</a>";
  } else {
    main << "<span></span>";
  }
  if (std::int64_t{v.page} * v.per_page < v.total) {
    main << "<a href=\"" << Text(ListUrl(v, v.page + 1)) << "\" data-testid=\"next-page\">Older "
         << "→</a>";
  }
  main << "</nav>";
  return RenderPage(frame, main);
}

Html RenderCertificatePage(const PageFrame& frame, const CertificateView& v) {
  Html main;
  main << "<h1>" << Text(v.row.common_name) << "</h1>";
  if (!v.notice.empty()) {
    main << "<p class=\"notice\" data-testid=\"notice\">" << Text(v.notice) << "</p>";
  }
  if (!v.error.empty()) {
    main << "<p class=\"error\" role=\"alert\" data-testid=\"error\">" << Text(v.error) << "</p>";
  }
  main << "<section class=\"card\"><dl class=\"facts\"><dt>Status</dt><dd><span class=\"status "
          "status-"
       << Text(v.row.status) << "\" data-testid=\"cert-status\">" << Text(v.row.status)
       << "</span>";
  if (v.row.status == "revoked") {
    main << " <span class=\"muted\">(" << Text(v.revocation_reason) << ", "
         << LocalTime(v.revoked_at) << ")</span>";
  }
  main << "</dd><dt>Names</dt><dd>";
  for (const std::string& n : v.names) main << Text(n) << "<br>";
  main << "</dd><dt>Serial</dt><dd><code data-testid=\"cert-serial\">" << Text(v.row.serial)
       << "</code></dd><dt>Valid from</dt><dd>" << LocalTime(v.not_before)
       << "</dd><dt>Valid until</dt><dd>" << LocalTime(v.row.not_after)
       << "</dd><dt>Issued</dt><dd>" << LocalTime(v.row.issued_at) << " to "
       << Text(ca::PlainRequester(v.row.requester)) << "</dd><dt>Key</dt><dd>" << Text(v.key_type)
       << "</dd><dt>SHA-256</dt><dd><code>" << Text(v.fingerprint)
       << "</code></dd></dl><p><a class=\"button\" data-testid=\"cert-download\" "
          "href=\"/certificates/"
       << Text(v.row.serial) << ".pem\">Download PEM</a></p></section>";

  if (v.row.status != "revoked") {
    main << "<section class=\"card\"><h2>Revoke</h2><p>A revoked certificate is listed in the "
            "CRL at once and can no longer be renewed; the device must be paired again to get "
            "a new one.</p><form class=\"stack\" method=\"post\" action=\"/certificates/"
         << Text(v.row.serial) << "/revoke\">" << CsrfInput(frame.csrf_token)
         << "<label for=\"revoke-reason\">Reason</label><select id=\"revoke-reason\" "
            "name=\"reason\">";
    for (const ReasonOption& r : kReasons) {
      main << "<option value=\"" << r.value << "\">" << r.label << "</option>";
    }
    main << "</select><label><input type=\"checkbox\" id=\"revoke-confirm\" name=\"confirm\" "
            "value=\"yes\"> Yes, revoke this certificate. This cannot be undone.</label>"
            "<button type=\"submit\" class=\"danger\" data-requires=\"revoke-confirm\" "
            "data-testid=\"revoke-submit\">Revoke</button></form></section>";
  }
  return RenderPage(frame, main);
}

}  // namespace homeca::webui::pages
