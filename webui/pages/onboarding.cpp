// The onboarding content: what homeca is, how to install the root on the
// visitor's platform (first, its button on the first screen of a phone),
// every other platform one tap away, and the fingerprint with honest advice
// on where to compare it. Served read-only over plain HTTP (a phone that does
// not trust the root yet cannot use HTTPS) and again on the admin's Trust
// page.
#include "webui/pages/pages.h"

namespace homeca::webui::pages {
namespace {

// One platform's instructions: its title, its download button(s) and steps.
struct PlatformCard {
  const char* id;
  const char* title;  // "iPhone and iPad"
  Html body;
};

// Its download (`testid` "" for none: each test id names one button) and
// the steps that follow it.
struct Download {
  const char* testid;
  const char* href;
  const char* label;
};

PlatformCard Card(const char* id, const char* title, Download d, const Html& steps) {
  PlatformCard c{id, title, {}};
  c.body << "<p><a class=\"button\"";
  if (d.testid[0] != '\0') c.body << " data-testid=\"" << Text(d.testid) << "\"";
  c.body << " href=\"" << Text(d.href) << "\">" << Text(d.label) << "</a></p>" << steps;
  return c;
}

PlatformCard Ios(const OnboardingView& v) {
  Html steps;
  steps << "<ol><li>Open this page in Safari, tap <em>Download profile</em>, then "
           "<em>Allow</em>. The phone says <em>Profile Downloaded</em>.</li>"
           "<li>Open <em>Settings → General → VPN &amp; Device Management</em>, tap the "
           "profile, then <em>Install</em> and enter your passcode. iOS marks it <strong>Not "
           "Verified</strong> in red: the profile itself is not signed, which is expected. "
           "That label says nothing about the certificate inside; its fingerprint "
           "(below) does.</li>"
           "<li>Go to <em>Settings → General → About → Certificate Trust Settings</em> and "
           "turn on full trust for <strong>"
        << Text(v.ca_name) << "</strong>. Without this last step Safari still warns.</li></ol>";
  return Card("ios", "iPhone and iPad",
              {"download-mobileconfig", "/homeca-root.mobileconfig", "Download profile"}, steps);
}

PlatformCard Android() {
  Html steps;
  steps << "<ol><li>Download the certificate.</li>"
           "<li>Open <em>Settings → Security → Encryption &amp; credentials → Install a "
           "certificate → CA certificate</em>, tap <em>Install anyway</em> and pick the "
           "downloaded file. (The menu names vary by maker; searching Settings for "
           "<em>CA certificate</em> finds it.)</li></ol>"
           "<p class=\"hint\">Chrome and other browsers then trust it, but apps only honour "
           "certificates you installed if their developers opted in, so some apps will still "
           "refuse.</p>";
  return Card("android", "Android",
              {"download-crt", "/homeca-root.crt", "Download certificate (.crt)"}, steps);
}

PlatformCard Windows() {
  Html steps;
  steps << "<ol><li>Open the downloaded file and choose <em>Install Certificate…</em>.</li>"
           "<li>Pick <em>Current User</em> (or <em>Local Machine</em> for everyone), then "
           "<em>Place all certificates in the following store → Trusted Root Certification "
           "Authorities</em>, and finish.</li></ol>"
           "<p class=\"hint\">Edge and Chrome use this store; Firefox has its own (see "
           "Firefox). Windows shows only the SHA-1 fingerprint (<em>Thumbprint</em>).</p>";
  return Card("windows", "Windows",
              {"download-cer", "/homeca-root.cer", "Download certificate (.cer)"}, steps);
}

PlatformCard Macos(const OnboardingView& v) {
  Html steps;
  steps << "<ol><li>Download the profile and double-click the file; macOS says to review it "
           "in System Settings.</li>"
           "<li>Open <em>System Settings → Privacy &amp; Security → Profiles</em> (on macOS "
           "15 and later: <em>General → Device Management</em>), double-click the profile "
           "there and choose <em>Install</em>.</li>"
           "<li>If Safari or Chrome still warns, open <em>Keychain Access</em>, double-click "
           "<strong>"
        << Text(v.ca_name)
        << "</strong>, and under <em>Trust</em> set <em>When using this certificate</em> to "
           "<em>Always Trust</em>.</li></ol><p class=\"hint\">An iPad says it is a Mac: on an "
           "iPad, follow the iPhone and iPad steps with the same profile.</p>";
  return Card("macos", "macOS", {"", "/homeca-root.mobileconfig", "Download profile"}, steps);
}

PlatformCard Linux() {
  Html steps;
  steps << "<p>Chrome and Chromium keep their own list: in the folder you downloaded to, run "
           "(Debian and Ubuntu: <code>sudo apt install libnss3-tools</code> first), then "
           "restart the browser:</p>"
           "<pre data-testid=\"nss-command\">certutil -d sql:$HOME/.pki/nssdb -A -t C,, -n "
           "homeca -i homeca-root.pem</pre>"
           "<p>For the rest of the system on Debian and Ubuntu (the file must end in "
           "<code>.crt</code> there):</p>"
           "<pre>sudo cp homeca-root.pem /usr/local/share/ca-certificates/homeca-root.crt\n"
           "sudo update-ca-certificates</pre>"
           "<p>Fedora: copy it to <code>/etc/pki/ca-trust/source/anchors/</code> and run "
           "<code>sudo update-ca-trust</code>.</p>";
  return Card("linux", "Linux", {"download-pem", "/homeca-root.pem", "Download certificate (PEM)"},
              steps);
}

PlatformCard ChromeOs() {
  Html steps;
  steps << "<ol><li>Download the certificate.</li>"
           "<li>Open <em>Settings → Privacy and security → Security → Manage certificates → "
           "Authorities → Import</em>, pick the file, and tick <em>Trust this certificate for "
           "identifying websites</em>.</li></ol>";
  return Card("chromeos", "ChromeOS", {"", "/homeca-root.pem", "Download certificate (PEM)"},
              steps);
}

PlatformCard Firefox() {
  Html steps;
  steps << "<p>Firefox keeps its own list of authorities on every computer. Import the root: "
           "<em>Settings → Privacy &amp; Security → Certificates → View Certificates… → "
           "Authorities → Import…</em>, pick the file and tick <em>Trust this CA to identify "
           "websites</em>. Or, on Windows and macOS after installing the root there, let "
           "Firefox use the system's list: open <code>about:config</code> and set "
           "<code>security.enterprise_roots.enabled</code> to <code>true</code>.</p>";
  return Card("firefox", "Firefox on a computer",
              {"", "/homeca-root.pem", "Download certificate (PEM)"}, steps);
}

// The visitor's card first: desktop Firefox's own store, else the OS's.
const char* PrimaryId(const VisitorPlatform& p) {
  return p.desktop_firefox ? "firefox" : PlatformId(p.os);
}

Html FingerprintCard(const OnboardingView& v) {
  Html h;
  h << "<section class=\"card\" id=\"fingerprint\"><h2>Check the fingerprint</h2>"
       "<p>SHA-256:</p><p class=\"fingerprint\" data-testid=\"root-fingerprint\">"
    << Fingerprint(v.fingerprint)
    << "</p><p>SHA-1 (what Windows shows):</p><p class=\"fingerprint\" "
       "data-testid=\"root-fingerprint-sha1\">"
    << Fingerprint(v.fingerprint_sha1)
    << "</p><p>This page came over plain HTTP, so it cannot vouch for itself: whoever could "
       "swap the certificate on the way could swap this fingerprint too. Compare what your "
       "device shows with a copy you got another way: the <em>Overview</em> of the admin "
       "pages on a computer that already trusts the root, <code>homeca info</code> on the "
       "box, or a printout of either kept by the router.</p><ul class=\"hint\">"
       "<li>iPhone and iPad show both fingerprints under the profile's <em>More "
       "Details</em>; Android under <em>Trusted credentials → User</em> once installed; macOS "
       "in Keychain Access; Firefox and Chrome in their certificate viewers.</li>"
       "<li>Windows shows only SHA-1 (the <em>Thumbprint</em> on the <em>Details</em> tab): "
       "compare it with the SHA-1 line (on the box: <code>openssl x509 -in "
       "/var/lib/homeca/root.pem -noout -fingerprint -sha1</code>).</li>"
       "<li>A device that shows no fingerprint cannot check it: download on your own home "
       "network (not a guest or public one), or copy the file from a computer where you "
       "checked it.</li></ul><p class=\"hint\">Valid until "
    << LocalTime(v.root_not_after) << ".</p></section>";
  return h;
}

}  // namespace

Html RenderOnboardingBody(const OnboardingView& v) {
  std::vector<PlatformCard> cards;
  cards.push_back(Ios(v));
  cards.push_back(Android());
  cards.push_back(Windows());
  cards.push_back(Macos(v));
  cards.push_back(Linux());
  cards.push_back(ChromeOs());
  cards.push_back(Firefox());
  const std::string primary = PrimaryId(v.platform);

  Html h;
  for (const PlatformCard& c : cards) {
    if (c.id != primary) continue;
    h << "<section class=\"card platform-card\" id=\"" << Text(c.id)
      << "\" data-testid=\"platform-card\" data-platform=\"" << Text(c.id) << "\"><h2>"
      << Text(c.title) << "</h2>" << c.body << "</section>";
  }
  h << FingerprintCard(v);
  h << "<h2>" << (primary == "unknown" ? Markup("Pick your device") : Markup("Other devices"))
    << "</h2><div class=\"other-platforms\">";
  for (const PlatformCard& c : cards) {
    if (c.id == primary) continue;
    h << "<details class=\"card\" id=\"" << Text(c.id)
      << "\" data-testid=\"other-platform\"><summary>" << Text(c.title) << "</summary>" << c.body
      << "</details>";
  }
  h << "</div>";
  // A QR code helps only where the page is open on a bigger screen than the
  // phone that should scan it.
  if (!v.platform.mobile()) {
    h << "<section class=\"card\"><h2>Open this page on a phone</h2>"
         "<img class=\"qr\" data-testid=\"qr\" src=\"/qr.svg\" alt=\"QR code for "
      << Text(v.page_url) << "\" width=\"176\" height=\"176\"><p class=\"hint\">"
      << Text(v.page_url) << "</p></section>";
  }
  h << "<section class=\"card\"><h2>What this is</h2><p>This network has its own certificate "
       "authority, <strong>"
    << Text(v.ca_name)
    << "</strong> (homeca). It gives the devices at home, like the NAS or the printer, "
       "certificates for their names, so their web pages open over HTTPS without warnings. "
       "Install its root certificate once on each phone, tablet and computer that should "
       "trust them.</p><p>The root can only vouch for names under <code>home.arpa</code> "
       "(and whatever else the administrator permitted when creating it, such as "
       "<code>.local</code>): it cannot be used to impersonate any public website.</p>"
       "</section>";
  return h;
}

Html RenderOnboardingPage(const OnboardingView& view) {
  Html main;
  main << "<h1>Trust this home network's certificates</h1>" << RenderOnboardingBody(view);
  // How names reach devices, in the household's words; the admin's Devices
  // page has the router steps.
  main << "<section class=\"card\" data-testid=\"onboarding-names\"><h2>Then open your "
          "devices by name</h2><p>Once the root is installed, each paired device opens with a "
          "padlock at <code>https://<em>name</em>.local/</code> (for example "
          "<code>https://nas.local/</code>) on phones and computers on this network, with no "
          "setup. <code>https://<em>name</em>.home.arpa/</code> works too once the router "
          "sends <code>home.arpa</code> to this box: the administrator finds the one setting "
          "for each kind of router on the Devices page.</p></section>";
  if (!view.admin_url.empty()) {
    main << "<p class=\"hint\">Administrator? After installing the root, go to <a "
            "data-testid=\"admin-link\" href=\""
         << Text(view.admin_url) << "/\">" << Text(view.admin_url) << "</a>.";
    if (view.admin_url.find(".home.arpa") != std::string::npos) {
      // A CA made without .local: its only name needs the router's help.
      main << " It opens once the router sends <code>home.arpa</code> names to this box (or "
              "with a hosts-file line on your computer); the box's address is not in its "
              "certificate and always warns.";
    }
    main << "</p>";
  }
  return RenderPage(PageFrame{"Trust this network", "", ""}, main);
}

}  // namespace homeca::webui::pages
