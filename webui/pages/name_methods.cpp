// "How names reach your devices": which ways of resolving device names work
// now, and the one router setting .home.arpa names need, per router family.
// docs/operations.md, "Make names resolve", has the long form.
#include "ca/base/relative_time.h"
#include "webui/pages/pages.h"

namespace homeca::webui::pages {
namespace {

// One router family's steps, folded away until asked for.
Html RouterSteps(const char* id, const char* title, const Html& body) {
  Html h;
  h << "<details data-testid=\"router-" << Text(id) << "\"><summary>" << Text(title) << "</summary>"
    << body << "</details>";
  return h;
}

}  // namespace

Html RenderNameMethods(const NameMethods& m, std::int64_t now) {
  Html h;
  h << "<h2 id=\"names\">How names reach your devices</h2><div class=\"card\">"
       "<p data-testid=\"names-mdns\"><strong>name.local</strong> (mDNS): ";
  if (m.mdns_on) {
    h << "on. Phones and computers find every paired device at its <code>.local</code> name "
         "with no setup; homeca announces the name for devices that do not announce it "
         "themselves, at the address the device last reported.";
  } else {
    h << "off (" << Text(m.mdns_status)
      << "). Devices must announce their .local names "
         "themselves.";
  }
  h << "</p><p data-testid=\"names-dns\"><strong>name.home.arpa</strong> (DNS): ";
  if (m.export_dir.empty()) {
    h << "homeca writes no files for a DNS server (names.export_dir is not set).";
  } else if (!m.export_error.empty()) {
    h << "<span class=\"status status-expired\">failing</span>: " << Text(m.export_error);
  } else {
    h << "homeca keeps the files a DNS server reads up to date in <code>" << Text(m.export_dir)
      << "</code>";
    if (m.exported_at != 0) h << " (checked " << Text(ca::RelativeTime(m.exported_at, now)) << ")";
    h << ". They work once your network's DNS server reads them or asks this box about "
         "<code>home.arpa</code>: one setting, once.";
  }
  h << "</p>";
  if (!m.export_dir.empty()) {
    const std::string box = "BOX-IP";
    h << "<p class=\"muted\">Below, " << Text(box) << " is this box's address on your LAN";
    if (!m.box_name.empty()) h << " (the one " << Text(m.box_name) << " resolves to)";
    h << ".</p>";
    Html dnsmasq;
    dnsmasq << "<p>When dnsmasq runs on this box, switch on homeca's ready drop-in; dnsmasq "
               "then picks up every change by itself:</p><pre>sudo ln -s "
               "/usr/share/homeca/dnsmasq/homeca.conf /etc/dnsmasq.d/homeca.conf\n"
               "sudo systemctl restart dnsmasq</pre><p>Then give this box as the DNS server "
               "in your router's DHCP settings, or forward home.arpa to it as below.</p>";
    h << RouterSteps("dnsmasq", "dnsmasq on this box", dnsmasq);
    Html openwrt;
    openwrt << "<p>LuCI: Network → DHCP and DNS → Forwards: add <code>/home.arpa/" << Text(box)
            << "</code> under DNS forwardings, and <code>home.arpa</code> under "
               "Domain whitelist for rebind protection (on the Filter tab). Or on the "
               "router's shell:</p><pre>uci add_list dhcp.@dnsmasq[0].server='/home.arpa/"
            << Text(box)
            << "'\nuci add_list dhcp.@dnsmasq[0].rebind_domain='home.arpa'\n"
               "uci commit dhcp\n/etc/init.d/dnsmasq restart</pre>";
    h << RouterSteps("openwrt", "OpenWrt", openwrt);
    Html pihole;
    pihole << "<p>Pi-hole v6: Settings → All settings → Miscellaneous → "
              "<code>misc.dnsmasq_lines</code>, add:</p><pre>server=/home.arpa/"
           << Text(box)
           << "</pre><p>Pi-hole v5: put that line in "
              "<code>/etc/dnsmasq.d/05-homeca.conf</code> and run "
              "<code>pihole restartdns</code>. If Pi-hole runs on this box, use "
              "the dnsmasq drop-in above instead.</p>";
    h << RouterSteps("pihole", "Pi-hole", pihole);
    Html fritz;
    fritz << "<p>A FRITZ!Box, and many routers like it, cannot send one domain to another "
             "server. Either give this box (running dnsmasq with the drop-in above) as the "
             "local DNS server: Home Network → Network → Network Settings → IPv4 Settings → "
             "Local DNS server: "
          << Text(box)
          << "; or use the devices' <code>.local</code> names, which need no router at "
             "all.</p>";
    h << RouterSteps("fritzbox", "FRITZ!Box and routers without DNS forwarding", fritz);
    Html unbound;
    unbound << "<p>Include homeca's file in unbound's configuration and reload unbound "
               "after each change (homeca runs <code>names.reload_command</code> for "
               "that):</p><pre>include: \""
            << Text(m.export_dir)
            << "/unbound.conf\"\n# homeca.conf: names.reload_command = unbound-control "
               "reload</pre>";
    h << RouterSteps("unbound", "unbound (OPNsense, pfSense, a server)", unbound);
  }
  h << "</div>";
  return h;
}

}  // namespace homeca::webui::pages
