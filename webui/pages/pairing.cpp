// Adding a device (a code the CA makes, or arming a device's own code) and
// the page that follows one pairing live (through /assets/app.js).
#include "webui/pages/pages.h"

namespace homeca::webui::pages {
namespace {

Html FormError(const AddDeviceView& view, const char* form) {
  Html h;
  if (!view.error.empty() && view.error_form == form) {
    h << "<p class=\"error\" role=\"alert\" data-testid=\"error\">" << Text(view.error) << "</p>";
  }
  return h;
}

// The replace choice beside a refused name: the same form, confirmed.
Html ReplaceChoice(const PageFrame& frame, const AddDeviceView& view, const char* form) {
  Html h;
  if (!view.offer_replace || view.error_form != form) return h;
  h << "<form class=\"actions\" method=\"post\" action=\"/devices/add\">"
    << CsrfInput(frame.csrf_token) << "<input type=\"hidden\" name=\"name\" value=\""
    << Text(view.device_name) << "\"><input type=\"hidden\" name=\"ttl\" value=\""
    << view.ttl_minutes
    << "\"><input type=\"hidden\" name=\"replace\" value=\"on\">"
       "<button type=\"submit\" data-testid=\"replace-device\">Replace "
    << Text(view.replace_what)
    << "</button></form><p class=\"hint\">Replacing makes a new code for this name. When the "
       "device pairs with it, the old certificates are revoked and stop renewing.</p>";
  return h;
}

// What to do once the device has its certificate (a device that paired with
// homeca-enroll: an ACME client has its own client doing this).
Html NextSteps(const PairingView& view) {
  Html h;
  h << "<section class=\"card\" data-when-paired data-testid=\"next-steps\""
    << (view.status == "paired" ? Markup("") : Markup(" hidden"))
    << "><h2>Next steps on the device</h2><ol class=\"steps\">"
       "<li><strong>Its files.</strong> homeca-enroll wrote the key and certificate to "
       "<code>/var/lib/homeca-enroll</code> (or the <code>--dir</code> you gave): "
       "<code>key.pem</code>, <code>chain.pem</code> (certificate and intermediate), "
       "<code>cert.pem</code> and <code>root.pem</code>.</li>"
       "<li><strong>Point its web server at them.</strong> For nginx:<pre>ssl_certificate "
       "/var/lib/homeca-enroll/chain.pem;\nssl_certificate_key "
       "/var/lib/homeca-enroll/key.pem;</pre></li>"
       "<li><strong>Keep it renewed.</strong> Run <code>homeca-enroll run</code>, or with the "
       "package <code>sudo systemctl enable --now homeca-enroll</code>; set "
       "<code>HOMECA_ENROLL_EXEC=\"systemctl reload nginx\"</code> in "
       "<code>/etc/default/homeca-enroll</code> to reload the server after each renewal.</li>"
       "<li><strong>Open it.</strong>";
  for (const std::string& n : view.names) {
    h << " <a data-testid=\"device-link\" href=\"https://" << Text(n) << "/\">https://" << Text(n)
      << "/</a>";
  }
  h << "</li></ol></section>";
  return h;
}

}  // namespace

Html RenderAddDevicePage(const PageFrame& frame, const AddDeviceView& view) {
  Html main;
  main << "<h1>Add a device</h1>";
  main << "<section class=\"card\" id=\"code-form\"><h2>Get a pairing code</h2>"
          "<p>Choose the device's name; homeca makes a one-time code for it. A bare name like "
          "<code>nas</code> becomes <code>nas.home.arpa</code>.</p>"
       << FormError(view, "code") << ReplaceChoice(frame, view, "code")
       << "<form class=\"stack\" method=\"post\" action=\"/devices/add\">"
       << CsrfInput(frame.csrf_token)
       << "<label for=\"device-name\">Device name</label>"
          "<input type=\"text\" id=\"device-name\" name=\"name\" required maxlength=\"253\" "
          "autocapitalize=\"none\" autocorrect=\"off\" spellcheck=\"false\" "
          "placeholder=\"nas\" value=\""
       << Text(view.device_name)
       << "\"><label for=\"ttl\">Code valid for (minutes)</label>"
          "<input type=\"number\" id=\"ttl\" name=\"ttl\" min=\"1\" max=\"1440\" value=\""
       << view.ttl_minutes
       << "\"><label class=\"check\"><input type=\"checkbox\" name=\"acme\" value=\"on\" "
          "data-testid=\"acme-client\"> It has an ACME client (certbot, lego, Proxmox, Caddy...): "
          "make an EAB key id and HMAC key instead of a code</label>"
          "<button type=\"submit\" data-testid=\"make-code\">Make a pairing code</button>"
          "</form></section>";

  main << "<section class=\"card\" id=\"device-code-form\"><h2>The device has its own code</h2>"
          "<p>Some devices show a code on their screen or label and wait to be paired. Enter "
          "the id it advertises, its code and the name it should get; it pairs on its next "
          "attempt.</p>"
       << FormError(view, "device")
       << "<form class=\"stack\" method=\"post\" action=\"/devices/arm\">"
       << CsrfInput(frame.csrf_token)
       << "<label for=\"device-id\">Device id</label>"
          "<input type=\"text\" id=\"device-id\" name=\"device_id\" required maxlength=\"64\" "
          "autocapitalize=\"none\" autocorrect=\"off\" spellcheck=\"false\" value=\""
       << Text(view.device_id)
       << "\"><label for=\"device-code\">The device's code</label>"
          "<input type=\"text\" id=\"device-code\" name=\"code\" required maxlength=\"20\" "
          "inputmode=\"numeric\" autocomplete=\"off\" placeholder=\"0735-2918-6402\">"
          "<label for=\"armed-name\">Device name</label>"
          "<input type=\"text\" id=\"armed-name\" name=\"name\" required maxlength=\"253\" "
          "autocapitalize=\"none\" autocorrect=\"off\" spellcheck=\"false\" value=\""
       << Text(view.armed_name)
       << "\"><button type=\"submit\" data-testid=\"arm-device\">Pair this device</button>"
          "</form>";
  if (view.discovery_enabled && !view.waiting.empty()) {
    main << "<p class=\"hint\">Waiting on the network:";
    for (const WaitingDevice& w : view.waiting) {
      main << " <a href=\"/devices/add?device_id=" << Text(UrlEncode(w.device_id))
           << "#device-code-form\">" << Text(w.device_id) << "</a>";
    }
    main << "</p>";
  } else if (!view.discovery_enabled) {
    main << "<p class=\"hint\" data-testid=\"discovery-off\">Discovery is off ("
         << Text(view.discovery_status)
         << "): devices "
            "waiting to pair are not listed automatically.</p>";
  }
  main << "</section>" << ManualDeviceCard();
  return RenderPage(frame, main);
}

Html RenderPairingPage(const PageFrame& frame, const PairingView& view) {
  Html main;
  const std::string name = view.names.empty() ? std::string("device") : view.names.front();
  main << "<h1>Pairing " << Text(name) << "</h1>"
       << "<div class=\"card\" data-status-url=\"/pairings/" << view.id << "/status\">"
       << "<p>Status: <span class=\"status status-" << Text(view.status)
       << "\" data-testid=\"pairing-status\">" << Text(view.status) << "</span>"
       << "<span data-when-waiting" << (view.status == "waiting" ? Markup("") : Markup(" hidden"))
       << "> · <span data-testid=\"pairing-expiry\" data-seconds-left=\"" << view.seconds_left
       << "\">valid until " << LocalTime(view.expires_at) << "</span></span></p>"
       << "<p data-testid=\"pairing-summary\" class=\""
       << (view.wrong_code ? Markup("error") : Markup("muted")) << "\" aria-live=\"polite\">"
       << Text(view.summary) << "</p><p data-when-paired"
       << (view.status == "paired" ? Markup("") : Markup(" hidden"))
       << "><a href=\"/devices\">See it in Devices.</a></p>";
  if (view.replaces > 0) {
    main << "<p class=\"hint\" data-testid=\"pairing-replaces\">When it pairs, it replaces "
            "<a href=\"/devices\">device "
         << view.replaces << "</a>: the old certificates are revoked.</p>";
  }
  main << "<form class=\"actions\" method=\"post\" data-when-new-code action=\"/pairings/"
       << view.id << "/new-code\"" << (view.can_make_new_code ? Markup("") : Markup(" hidden"))
       << ">" << CsrfInput(frame.csrf_token)
       << "<button type=\"submit\" data-testid=\"new-code\">New code</button> <span "
          "class=\"hint\">The same name with a fresh code; this code stops working.</span>"
          "</form></div>";
  if (!view.acme) main << NextSteps(view);

  if (view.acme && !view.acme_hmac_key.empty()) {
    main << "<section class=\"card\" data-when-waiting><h2>ACME client</h2>"
            "<dl class=\"facts\"><dt>Directory</dt><dd><code data-testid=\"acme-directory\">"
         << Text(view.acme_directory)
         << "</code></dd><dt>EAB key id</dt><dd><code data-testid=\"acme-key-id\">"
         << Text(view.acme_key_id)
         << "</code></dd><dt>EAB HMAC key</dt><dd><code data-testid=\"acme-hmac-key\">"
         << Text(view.acme_hmac_key)
         << "</code></dd></dl><p class=\"hint\">Shown once: once you leave this page the "
            "HMAC key cannot be shown again. The first ACME account registered with it is "
            "bound to this device; no other key can use it. No challenge is asked: the "
            "pairing is the authorization.</p>"
            "<h2>With certbot</h2><pre id=\"acme-command\" data-testid=\"acme-command\">"
         << Text(view.acme_command)
         << "</pre><p><button type=\"button\" data-copy=\"acme-command\" hidden>Copy "
            "command</button></p><p class=\"hint\">The client must trust this CA's root. "
            "Recipes for other clients: docs/acme.md.</p></section>";
  } else if (view.acme && view.status == "waiting") {
    main << "<section class=\"card\" data-when-waiting><p data-testid=\"acme-waiting\">Waiting "
            "for the ACME "
            "client's first account and certificate (directory <code>"
         << Text(view.acme_directory) << "</code>).</p></section>";
  } else if (!view.code.empty()) {
    // data-when-waiting: the script hides a used code and its command.
    main << "<section class=\"card\" data-when-waiting><h2>Pairing code</h2>"
            "<p class=\"code-big\" data-testid=\"pairing-code\">"
         << Text(view.code)
         << "</p><p class=\"hint\">Works once, for this device only. It is not stored: once "
            "you leave this page it is gone.</p>"
            "<h2>On the device, run</h2><pre id=\"enroll-command\" "
            "data-testid=\"enroll-command\">"
         << Text(view.enroll_command)
         << "</pre><p><button type=\"button\" data-copy=\"enroll-command\" hidden>Copy "
            "command</button></p>"
            "<p class=\"hint\">Add <code>--dir</code> to choose where the key and certificate "
            "go, then <code>homeca-enroll run</code> keeps them renewed.</p></section>";
  } else if (!view.device_id.empty() && view.status == "waiting") {
    // Only while it waits: beside "paired" it would contradict the status.
    main << "<section class=\"card\" data-when-waiting><p>Waiting for device <strong>"
         << Text(view.device_id)
         << "</strong>, which pairs with its own code on its next attempt.</p></section>";
  } else if (view.status == "waiting" && !view.acme && view.device_id.empty()) {
    main << "<section class=\"card\" data-when-waiting><p data-testid=\"code-not-shown\">The code "
            "was shown "
            "once, when the pairing was made, and homeca does not store it. If it is lost, "
            "cancel this pairing and make a new one.</p></section>";
  }
  if (view.status == "waiting") {
    main << "<form class=\"actions\" method=\"post\" data-when-waiting action=\"/pairings/"
         << view.id << "/cancel\">" << CsrfInput(frame.csrf_token)
         << "<button type=\"submit\" class=\"danger\" data-testid=\"cancel-pairing\">Cancel "
            "this pairing</button></form>";
  }
  main << "<section class=\"card\"><dl class=\"facts\"><dt>Names</dt><dd>";
  for (const std::string& n : view.names) main << Text(n) << "<br>";
  main << "</dd>";
  if (!view.certificate_serial.empty()) {
    main << "<dt>Certificate</dt><dd><a href=\"/certificates/" << Text(view.certificate_serial)
         << "\">" << Text(view.certificate_serial) << "</a></dd>";
  }
  main << "</dl></section>";
  return RenderPage(frame, main);
}

}  // namespace homeca::webui::pages
