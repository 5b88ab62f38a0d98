// The onboarding content: what homeca is, the root's fingerprint, and how to
// install the root on each platform. Served read-only over plain HTTP (a
// phone that does not trust the root yet cannot use HTTPS) and again on the
// admin's Trust page.
#include "webui/pages/pages.h"

namespace homeca::webui::pages {

Html RenderOnboardingBody(const OnboardingView& v) {
  Html h;
  h << "<section class=\"card\"><p>This network has its own certificate authority, "
       "<strong>"
    << Text(v.ca_name)
    << "</strong> (homeca). It gives the devices at home, like the NAS or the printer, "
       "certificates for their <code>.home.arpa</code> names, so their web pages open over "
       "HTTPS without warnings. Install its root certificate once on each phone, tablet and "
       "computer that should trust them.</p>"
       "<p>The root can only vouch for names under <code>home.arpa</code> (and whatever else "
       "the administrator permitted when creating it): it cannot be used to impersonate any "
       "public website.</p>"
       "<h2>Root certificate fingerprint (SHA-256)</h2>"
       "<p class=\"fingerprint\" data-testid=\"root-fingerprint\">"
    << Fingerprint(v.fingerprint)
    << "</p><p class=\"hint\">Before you trust it, check that the fingerprint your device "
       "shows is exactly this one. Valid until "
    << LocalTime(v.root_not_after) << ".</p></section>";

  h << "<section class=\"card\"><h2>Open this page on a phone</h2>"
       "<img class=\"qr\" data-testid=\"qr\" src=\"/qr.svg\" alt=\"QR code for "
    << Text(v.page_url) << "\" width=\"176\" height=\"176\"><p class=\"hint\">" << Text(v.page_url)
    << "</p></section>";

  h << "<h2>Install the root certificate</h2><div class=\"platforms\">";

  h << "<section class=\"card\" id=\"apple\"><h3>iPhone and iPad</h3>"
       "<p><a class=\"button\" data-testid=\"download-mobileconfig\" "
       "href=\"/homeca-root.mobileconfig\">Download profile</a></p><ol>"
       "<li>Open this page in Safari and tap <em>Download profile</em>, then "
       "<em>Allow</em>. The phone says <em>Profile Downloaded</em>.</li>"
       "<li>Open <em>Settings</em>; tap <em>Profile Downloaded</em> near the top (or "
       "<em>General → VPN &amp; Device Management</em>), then <em>Install</em> and "
       "enter your passcode.</li>"
       "<li>Go to <em>Settings → General → About → Certificate Trust Settings</em> and "
       "turn on full trust for <strong>"
    << Text(v.ca_name)
    << "</strong>. Without this last step Safari still warns.</li></ol></section>";

  h << "<section class=\"card\" id=\"macos\"><h3>macOS</h3>"
       "<p><a class=\"button\" href=\"/homeca-root.mobileconfig\">Download profile</a></p><ol>"
       "<li>Download the profile and double-click the file; macOS says to review it in System "
       "Settings.</li>"
       "<li>Open <em>System Settings → Privacy &amp; Security → Profiles</em> (on macOS 15 and "
       "later: <em>General → Device Management</em>), double-click the profile there and "
       "choose <em>Install</em>.</li>"
       "<li>If Safari or Chrome still warns, open <em>Keychain Access</em>, double-click "
       "<strong>"
    << Text(v.ca_name)
    << "</strong>, and under <em>Trust</em> set <em>When using this certificate</em> to "
       "<em>Always Trust</em>.</li></ol></section>";

  h << "<section class=\"card\" id=\"android\"><h3>Android</h3>"
       "<p><a class=\"button\" data-testid=\"download-crt\" href=\"/homeca-root.crt\">"
       "Download certificate (.crt)</a></p><ol>"
       "<li>Download the certificate.</li>"
       "<li>Open <em>Settings → Security → Encryption &amp; credentials → Install a "
       "certificate → CA certificate</em>, tap <em>Install anyway</em> and pick the "
       "downloaded file. (The menu names vary by maker; searching Settings for "
       "<em>CA certificate</em> finds it.)</li></ol>"
       "<p class=\"hint\">Chrome and other browsers then trust it, but apps only honour "
       "certificates you installed if their developers opted in, so some apps will still "
       "refuse.</p></section>";

  h << "<section class=\"card\" id=\"windows\"><h3>Windows</h3>"
       "<p><a class=\"button\" data-testid=\"download-cer\" href=\"/homeca-root.cer\">"
       "Download certificate (.cer)</a></p><ol>"
       "<li>Open the downloaded file and choose <em>Install Certificate…</em>.</li>"
       "<li>Pick <em>Current User</em> (or <em>Local Machine</em> for everyone), then "
       "<em>Place all certificates in the following store → Trusted Root Certification "
       "Authorities</em>, and finish.</li></ol>"
       "<p class=\"hint\">Edge and Chrome use this store; for Firefox see below.</p></section>";

  h << "<section class=\"card\" id=\"linux\"><h3>Linux</h3>"
       "<p><a class=\"button\" data-testid=\"download-pem\" href=\"/homeca-root.pem\">"
       "Download certificate (PEM)</a></p>"
       "<p>Debian and Ubuntu (the file must end in <code>.crt</code> there):</p>"
       "<pre>sudo cp homeca-root.pem /usr/local/share/ca-certificates/homeca-root.crt\n"
       "sudo update-ca-certificates</pre>"
       "<p>Fedora: copy it to <code>/etc/pki/ca-trust/source/anchors/</code> and run "
       "<code>sudo update-ca-trust</code>. Chrome and Chromium on Linux keep their own "
       "list: <em>Settings → Privacy and security → Security → Manage certificates → "
       "Authorities → Import</em>.</p></section>";

  h << "<section class=\"card\" id=\"firefox\"><h3>Firefox</h3>"
       "<p>Firefox keeps its own list of authorities. Either import the root: "
       "<em>Settings → Privacy &amp; Security → Certificates → View Certificates… → "
       "Authorities → Import…</em>, pick <a href=\"/homeca-root.pem\">the PEM file</a> and tick "
       "<em>Trust this CA to identify websites</em>. Or, on Windows and macOS after installing "
       "the root there, let Firefox use the system's list: open <code>about:config</code> and "
       "set <code>security.enterprise_roots.enabled</code> to <code>true</code>.</p></section>";

  h << "</div>";
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
    main << "<p class=\"hint\">Administrator? After installing the root, go to <a href=\""
         << Text(view.admin_url) << "/\">" << Text(view.admin_url) << "</a>.</p>";
  }
  return RenderPage(PageFrame{"Trust this network", "", ""}, main);
}

}  // namespace homeca::webui::pages
