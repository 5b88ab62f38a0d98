// The Devices page: paired devices with the head of their renewal lineage
// (the certificate that renews) and a Revoke form, pairings still waiting for
// their device, and what discovery sees on the LAN.
#include "ca/base/relative_time.h"
#include "webui/pages/pages.h"

namespace homeca::webui::pages {
namespace {

std::string StatusClass(const std::string& status) {
  std::string out = "status status-";
  for (char c : status) out.push_back(c == ' ' ? '-' : c);
  return out;
}

// Revoke device: a small form per active device; the router checks the
// session and the CSRF token before the handler runs.
Html RevokeForm(const PageFrame& frame, const DeviceRow& d) {
  Html h;
  const std::string id = std::to_string(d.id);
  h << "<form class=\"inline\" method=\"post\" action=\"/devices/" << Text(id) << "/revoke\">"
    << CsrfInput(frame.csrf_token)
    << "<input type=\"hidden\" name=\"reason\" "
       "value=\"keyCompromise\"><label><input type=\"checkbox\" id=\"revoke-device-"
    << Text(id)
    << "\" name=\"confirm\" value=\"yes\"> revoke all its certificates</label> "
       "<button type=\"submit\" class=\"danger\" data-requires=\"revoke-device-"
    << Text(id) << "\" data-testid=\"revoke-device\">Revoke device</button></form>";
  return h;
}

// Where the device's names point and how fresh that is, its links, anyone
// else claiming its .local name, and the pin form.
Html DeviceWhereabouts(const PageFrame& frame, const DeviceRow& d, std::int64_t now) {
  Html h;
  if (d.state != "active") return h;
  for (const std::string& name : d.names) {
    if (name.find('.') == std::string::npos || name.find(':') != std::string::npos) continue;
    h << "<br><a data-testid=\"device-link\" href=\"https://" << Text(name) << "/\">https://"
      << Text(name) << "/</a>";
  }
  h << "<br><span data-testid=\"device-published\">";
  if (d.published.empty()) {
    h << "address not known yet: it is learned when the device pairs, renews or checks in";
  } else {
    h << "names point to ";
    for (std::size_t i = 0; i < d.published.size(); ++i) {
      h << (i == 0 ? Markup("") : Markup(", ")) << Text(d.published[i]);
    }
  }
  h << "</span>";
  if (d.last_seen != 0) {
    h << "<br><span class=\"muted\" data-testid=\"device-last-seen\">last seen "
      << Text(ca::RelativeTime(d.last_seen, now)) << "</span>";
  }
  if (!d.mdns.empty()) {
    h << "<br><span class=\"muted\" data-testid=\"device-mdns\">.local: " << Text(d.mdns)
      << "</span>";
  }
  for (const std::string& conflict : d.conflicts) {
    h << "<br><span class=\"status status-revoked\" data-testid=\"device-conflict\">conflict: "
      << Text(conflict) << " (not this device's address; ignored)</span>";
  }
  const std::string id = std::to_string(d.id);
  h << "<details><summary class=\"muted\">pin an address</summary><form class=\"inline\" "
       "method=\"post\" action=\"/devices/"
    << Text(id) << "/address\">" << CsrfInput(frame.csrf_token)
    << "<label>Address <input name=\"address\" data-testid=\"pin-address\" value=\""
    << Text(d.pinned)
    << "\" placeholder=\"192.168.1.20\" size=\"18\"></label> "
       "<button type=\"submit\" data-testid=\"pin-submit\">Pin</button> <span class=\"muted\">"
       "empty: follow the device again</span></form></details>";
  return h;
}

// A device enrolled by hand renews only when the admin brings a new CSR:
// say so where its renewals are shown, with the way to do it.
Html RenewalNote(const DeviceRow& d) {
  Html h;
  if (!d.renewed_by_hand || d.state != "active") return h;
  h << "<span class=\"muted\" data-testid=\"device-renews-by-hand\">renewed by hand: "
       "<a href=\"/devices/manual?name="
    << Text(UrlEncode(d.name)) << "\">upload a new CSR</a> before it expires</span><br>";
  return h;
}

Html DeviceTable(const PageFrame& frame, const DevicesView& view) {
  Html h;
  if (view.devices.empty()) {
    h << "<p class=\"card\" data-testid=\"no-devices\">No devices yet. "
         "<a href=\"/devices/add\">Add a device</a> to pair the first one.</p>";
    return h;
  }
  h << "<div class=\"table-wrap\"><table><thead><tr><th>Name</th><th>Certificate</th>"
       "<th>Expires</th><th>Last renewal</th><th>Device</th></tr></thead><tbody>";
  for (const DeviceRow& d : view.devices) {
    h << "<tr data-testid=\"device-row\" data-device-id=\"" << Text(std::to_string(d.id))
      << "\"><td><span data-testid=\"device-name\">" << Text(d.name) << "</span>";
    for (std::size_t i = 1; i < d.names.size(); ++i) {
      h << "<br><span class=\"muted\">" << Text(d.names[i]) << "</span>";
    }
    h << DeviceWhereabouts(frame, d, view.now);
    if (!d.addresses.empty()) {
      h << "<br><span class=\"muted\" data-testid=\"device-address\">on the network at "
        << Text(d.addresses.front()) << " (seen over mDNS)</span>";
    }
    h << "</td><td><span class=\"" << Text(StatusClass(d.status))
      << "\" data-testid=\"device-status\">" << Text(d.status) << "</span>";
    if (!d.serial.empty()) {
      h << "<br><a class=\"muted\" href=\"/certificates/" << Text(d.serial) << "\">details</a>";
    }
    h << "</td><td>";
    if (d.not_after != 0) {
      h << LocalTime(d.not_after) << "<br><span class=\"muted\">"
        << Text(ca::RelativeTime(d.not_after, view.now)) << "</span>";
    }
    h << "</td><td>" << RenewalNote(d);
    if (d.last_renewal == 0) {
      h << "never <span class=\"muted\">(paired " << Text(ca::RelativeTime(d.paired_at, view.now))
        << ")</span>";
    } else {
      h << LocalTime(d.last_renewal) << "<br><span class=\"muted\">" << d.renewals
        << (d.renewals == 1 ? Markup(" renewal") : Markup(" renewals")) << "</span>";
    }
    h << "</td><td><span data-testid=\"device-state\">" << Text(d.state) << "</span>";
    if (d.state == "revoked") {
      h << "<br><span class=\"muted\">" << LocalTime(d.revoked_at)
        << "; its certificates no longer renew</span>";
    } else {
      h << "<br>" << RevokeForm(frame, d);
    }
    h << "</td></tr>";
  }
  h << "</tbody></table></div>";
  return h;
}

Html PendingTable(const DevicesView& view) {
  Html h;
  if (view.pending.empty()) return h;
  h << "<h2>Pairings in progress</h2><div class=\"table-wrap\"><table><thead><tr>"
       "<th>Name</th><th>Waiting for</th><th>Expires</th></tr></thead><tbody>";
  for (const PendingPairingRow& p : view.pending) {
    h << "<tr data-testid=\"pending-row\"><td><a href=\"/pairings/" << p.id << "\">" << Text(p.name)
      << "</a></td><td>" << Text(p.waiting_for) << "</td><td>"
      << Text(ca::RelativeTime(p.expires_at, view.now)) << "</td></tr>";
  }
  h << "</tbody></table></div>";
  return h;
}

Html DiscoverySection(const DevicesView& view) {
  Html h;
  h << "<h2>Waiting to pair</h2>";
  if (!view.discovery_enabled) {
    h << "<p class=\"card muted\" data-testid=\"discovery-off\">Discovery is off ("
      << Text(view.discovery_status)
      << "), so devices "
         "waiting with their own code do not show up here. You can still pair one: "
         "<a href=\"/devices/add#device-code-form\">enter its id and code</a>.</p>";
    return h;
  }
  if (view.waiting.empty()) {
    h << "<p class=\"card muted\">No device on the network is waiting to pair.</p>";
  } else {
    h << "<div class=\"table-wrap\"><table><thead><tr><th>Device</th><th>Model</th>"
         "<th>Address</th><th></th></tr></thead><tbody>";
    for (const WaitingDevice& w : view.waiting) {
      h << "<tr data-testid=\"waiting-row\"><td>" << Text(w.device_id) << "</td><td>"
        << Text(w.model) << "</td><td>" << Text(w.address)
        << "</td><td><a href=\"/devices/add?device_id=" << Text(UrlEncode(w.device_id))
        << "#device-code-form\">Pair…</a></td></tr>";
    }
    h << "</tbody></table></div>";
  }
  h << "<h2>On the network</h2>";
  if (view.inventory.empty()) {
    h << "<p class=\"card muted\">Nothing seen yet.</p>";
    return h;
  }
  h << "<div class=\"table-wrap\"><table><thead><tr><th>Name</th><th>Service</th>"
       "<th>Host</th><th>Address</th></tr></thead><tbody>";
  for (const NetworkService& s : view.inventory) {
    h << "<tr data-testid=\"inventory-row\"><td>" << Text(s.instance_name) << "</td><td>"
      << Text(s.service_type) << "</td><td>" << Text(s.host) << "</td><td>" << Text(s.address)
      << ":" << s.port << "</td></tr>";
  }
  h << "</tbody></table></div>";
  return h;
}

}  // namespace

Html RenderDevicesPage(const PageFrame& frame, const DevicesView& view) {
  Html main;
  main << "<h1>Devices</h1><p><a class=\"button\" href=\"/devices/add\">Add a device</a></p>"
       << DeviceTable(frame, view) << PendingTable(view) << RenderNameMethods(view.names, view.now)
       << DiscoverySection(view);
  return RenderPage(frame, main);
}

}  // namespace homeca::webui::pages
