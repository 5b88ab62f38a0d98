// The audit log, newest first, a page at a time.
#include "ca/plain_words.h"
#include "webui/pages/pages.h"

namespace homeca::webui::pages {

Html RenderAuditPage(const PageFrame& frame, const AuditView& v) {
  Html main;
  main << "<h1>Audit log</h1><p class=\"muted\">Every change to the CA, who made it and when. "
          "Entries can be added but never changed.</p>";
  if (v.rows.empty()) {
    main << "<p class=\"card\">No entries on this page.</p>";
  } else {
    main << "<div class=\"table-wrap\"><table><thead><tr><th>When</th><th>Who</th>"
            "<th>What</th><th>Details</th></tr></thead><tbody>";
    for (const AuditRow& r : v.rows) {
      main << "<tr data-testid=\"audit-row\"><td>" << LocalTime(r.at) << "</td><td>"
           << Text(ca::PlainActor(r.actor)) << "</td><td>" << Text(ca::PlainAuditAction(r.action))
           << "</td><td>" << Text(r.detail) << "</td></tr>";
    }
    main << "</tbody></table></div>";
  }
  main << "<nav class=\"pager\">";
  if (v.page > 1) {
    main << "<a href=\"/audit?page=" << (v.page - 1) << "\" data-testid=\"prev-page\">← Newer</a>";
  } else {
    main << "<span></span>";
  }
  if (v.has_next) {
    main << "<a href=\"/audit?page=" << (v.page + 1) << "\" data-testid=\"next-page\">Older →</a>";
  }
  main << "</nav>";
  return RenderPage(frame, main);
}

}  // namespace homeca::webui::pages
