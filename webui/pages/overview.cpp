// The Overview page: the first-run checklist, the CA itself, counts, and
// what needs attention soon.
#include "ca/base/relative_time.h"
#include "ca/x509/certificate.h"
#include "webui/pages/pages.h"

namespace homeca::webui::pages {
namespace {

Html Checklist(const std::vector<ChecklistItem>& items) {
  bool server_done = true;
  for (const ChecklistItem& item : items) server_done = server_done && item.state != "todo";
  Html list;
  list << "<ol class=\"checklist\">";
  for (const ChecklistItem& item : items) {
    list << "<li class=\"check check-" << Text(item.state) << "\" data-testid=\"check-"
         << Text(item.id) << "\" data-state=\"" << Text(item.state) << "\"";
    if (item.id == "trust") list << " data-trust-check";
    list << "><span class=\"check-state\" data-check-state>"
         << (item.state == "done"       ? Markup("done")
             : item.state == "checking" ? Markup("checking…")
                                        : Markup("to do"))
         << "</span> <strong>" << Text(item.title) << "</strong><br><span class=\"hint\">"
         << Text(item.detail) << "</span>";
    if (!item.link.empty()) {
      list << " <a href=\"" << Text(item.link) << "\">" << Text(item.link_text) << "</a>";
    }
    list << "</li>";
  }
  list << "</ol>";
  Html h;
  // Folded away once all the server can judge is done; the trust check
  // unfolds it when this browser turns out not to trust the root.
  h << "<details class=\"card checklist-card\" data-testid=\"checklist\""
    << (server_done ? Markup("") : Markup(" open")) << "><summary><h2>First steps"
    << (server_done ? Markup(": done") : Markup("")) << "</h2></summary>" << list << "</details>";
  return h;
}

}  // namespace

Html RenderOverviewPage(const PageFrame& frame, const OverviewView& v) {
  Html main;
  main << "<h1>Overview</h1>";
  if (!v.checklist.empty()) main << Checklist(v.checklist);
  main << "<div class=\"stats\">"
          "<a class=\"stat\" href=\"/devices\"><div class=\"value\" data-testid=\"device-count\">"
       << v.device_count
       << "</div>devices</a>"
          "<a class=\"stat\" href=\"/certificates\"><div class=\"value\" "
          "data-testid=\"certificate-count\">"
       << v.certificate_count
       << "</div>certificates</a>"
          "<a class=\"stat\" href=\"/certificates?status=valid\"><div class=\"value\">"
       << v.valid_count
       << "</div>valid</a>"
          "<a class=\"stat\" href=\"/certificates?status=revoked\"><div class=\"value\">"
       << v.revoked_count
       << "</div>revoked</a>"
          "<a class=\"stat\" href=\"/certificates?status=expired\"><div class=\"value\">"
       << v.expired_count << "</div>expired</a></div>";
  if (v.root_key_on_box) {
    main << "<p class=\"notice\" data-testid=\"root-key-offer\">The root key is on this box. "
            "It is needed only to renew the intermediate every few years, and anyone who "
            "copies it can make certificates all your devices trust. <a "
            "href=\"/settings#root-key\">Take it offline</a>: download it encrypted, then "
            "delete it here.</p>";
  }

  if (v.device_count == 0) {
    // Nothing to watch yet: the checklist above says what comes first.
  } else if (v.attention.empty()) {
    main << "<h2>Needs attention soon</h2>";
    main << "<p class=\"card\" data-testid=\"attention-none\">Nothing: every device's "
            "certificate is far from its renewal date.</p>";
  } else {
    main << "<h2>Needs attention soon</h2>";
    main << "<div class=\"table-wrap\"><table><thead><tr><th>Device</th><th>Status</th>"
            "<th>Expires</th></tr></thead><tbody>";
    for (const DeviceRow& d : v.attention) {
      main << "<tr data-testid=\"attention-row\"><td>" << Text(d.name) << "</td><td>"
           << Text(d.status) << "</td><td>" << LocalTime(d.not_after) << " <span class=\"muted\">("
           << Text(ca::RelativeTime(d.not_after, v.now)) << ")</span></td></tr>";
    }
    main << "</tbody></table></div><p class=\"hint\">Devices renew by themselves at about "
            "two thirds of their certificate's life; one that stays on this list is probably "
            "offline.</p>";
  }
  if (v.waiting_pairings > 0) {
    main << "<p><a href=\"/devices\">" << v.waiting_pairings
         << (v.waiting_pairings == 1 ? Markup(" pairing is") : Markup(" pairings are"))
         << " waiting for a device.</a></p>";
  }

  main << "<h2>This certificate authority</h2><section class=\"card\"><dl class=\"facts\">"
          "<dt>Root</dt><dd>"
       << Text(v.root_name)
       << "</dd><dt>Fingerprint (SHA-256)</dt><dd class=\"fingerprint\" "
          "data-testid=\"root-fingerprint\">"
       << Fingerprint(v.fingerprint) << "</dd><dt>Root valid until</dt><dd>"
       << LocalTime(v.root_not_after) << " (" << Text(ca::RelativeTime(v.root_not_after, v.now))
       << ")</dd><dt>Intermediate valid until</dt><dd>" << LocalTime(v.intermediate_not_after)
       << " (" << Text(ca::RelativeTime(v.intermediate_not_after, v.now))
       << ")</dd><dt>Root key</dt><dd><span data-testid=\"root-key-location\">"
       << Text(v.root_key_location)
       << "</span> (<a href=\"/settings#root-key\">details</a>)</dd><dt>New certificates "
          "last</dt><dd>"
       << v.default_days << " days</dd><dt>Revocation list (CRL)</dt><dd>";
  if (v.crl_next_update == 0) {
    main << "<span data-testid=\"crl-missing\">not published; homecad republishes it within "
            "the hour</span>";
  } else {
    main << "number " << v.crl_number << ", published " << LocalTime(v.crl_this_update)
         << ", next update <span data-testid=\"crl-next-update\">"
         << Text(ca::FormatTime(v.crl_next_update)) << "</span> ("
         << Text(ca::RelativeTime(v.crl_next_update, v.now)) << "); republished daily. ";
  }
  main << "<a href=\"/crl.der\">crl.der</a>, <a href=\"/crl.pem\">crl.pem</a>";
  if (!v.crl_url.empty()) {
    main << " (also on plain HTTP: <span class=\"fingerprint\">" << Text(v.crl_url) << "</span>)";
  }
  main << "</dd></dl></section>";
  return RenderPage(frame, main);
}

}  // namespace homeca::webui::pages
