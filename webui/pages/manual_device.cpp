// A device without a shell (a NAS, a printer, a camera with only a web UI):
// upload the CSR its own screen made, or, behind a warning, let homeca make
// the key and hand it out as PKCS#12 or PEM (enroll/manual_device.h). Both
// forms post to webui/admin/admin_manual_device_handlers.cpp.
#include "ca/base/relative_time.h"
#include "webui/pages/pages.h"

namespace homeca::webui::pages {
namespace {

Html FormError(const ManualDeviceView& view, const char* form) {
  Html h;
  if (!view.error.empty() && view.error_form == form) {
    h << "<p class=\"error\" role=\"alert\" data-testid=\"error\">" << Text(view.error) << "</p>";
  }
  return h;
}

Html NameField(const ManualDeviceView& view, const char* id) {
  Html h;
  h << "<label for=\"" << Text(id) << "\">Device name</label><input type=\"text\" id=\"" << Text(id)
    << "\" name=\"name\" required maxlength=\"253\" autocapitalize=\"none\" autocorrect=\"off\" "
       "spellcheck=\"false\" placeholder=\"nas\" value=\""
    << Text(view.name) << "\">";
  return h;
}

// The error (when it is this form's), the form's start and its name field.
Html FormStart(const PageFrame& frame, const ManualDeviceView& view, const char* form,
               const char* name_id) {
  Html h;
  h << FormError(view, form) << "<form class=\"stack\" method=\"post\" action=\"/devices/manual/"
    << Text(form) << "\">" << CsrfInput(frame.csrf_token) << NameField(view, name_id);
  return h;
}

Html Option(const char* value, const std::string& chosen, const char* label) {
  Html h;
  h << "<option value=\"" << Text(value) << "\""
    << (chosen == value ? Markup(" selected") : Markup("")) << ">" << Text(label) << "</option>";
  return h;
}

}  // namespace

Html ManualDeviceCard() {
  Html h;
  h << "<section class=\"card\" id=\"no-shell\"><h2>A device without a shell</h2><p>A NAS, "
       "printer or camera that only has a web page cannot run <code>homeca-enroll</code>. "
       "Upload the certificate request (CSR) its own screen makes, or let homeca make a key "
       "file for its import screen.</p><p><a class=\"button\" href=\"/devices/manual\" "
       "data-testid=\"manual-device\">Upload a CSR or get a key file</a></p></section>";
  return h;
}

Html RenderManualDevicePage(const PageFrame& frame, const ManualDeviceView& view) {
  Html main;
  main << "<h1>A device without a shell</h1><p>Its certificate is for the name you give here: "
          "<code>nas</code> becomes <code>nas.home.arpa</code> (and <code>nas.local</code> "
          "where this CA permits .local). Nothing renews it by itself: before it expires, "
          "come back here with a new CSR for the same name.</p>";

  main << "<section class=\"card\" id=\"csr-form\"><h2>1. Upload its CSR (best)</h2><p>On the "
          "device, create a certificate request: Synology DSM under Control Panel › Security › "
          "Certificate › Add › Create certificate signing request; a printer under its "
          "security or SSL/TLS page. Give it the Common Name <code>nas.home.arpa</code> (your "
          "device's name) or none: a CSR that asks for another name is refused. The key stays "
          "on the device.</p>"
       << FormStart(frame, view, "csr", "csr-name")
       << "<label for=\"csr-file\">The CSR file</label><input type=\"file\" id=\"csr-file\" "
          "accept=\".csr,.pem,.req,.txt\" data-file-into=\"csr-text\" hidden>"
          "<label for=\"csr-text\">or paste it (-----BEGIN CERTIFICATE REQUEST-----...)</label>"
          "<textarea id=\"csr-text\" name=\"csr\" rows=\"8\" required spellcheck=\"false\" "
          "data-testid=\"csr-text\">"
       << Text(view.csr)
       << "</textarea><button type=\"submit\" data-testid=\"csr-submit\">Issue the "
          "certificate</button></form></section>";

  main << "<section class=\"card\" id=\"key-form\"><h2>2. Let homeca make the key</h2>"
          "<p class=\"warning\" data-testid=\"key-warning\"><strong>The key leaves this "
          "box.</strong> "
          "Whoever gets the file (and its password) can pose as the device. Prefer its CSR "
          "(above) or <code>homeca-enroll</code> where the device can run it. Use this only "
          "for an import screen that takes a key file; homeca does not keep the key, so it "
          "is shown this once.</p>"
       << FormStart(frame, view, "key", "key-name")
       << "<label for=\"key-type\">Key</label><select id=\"key-type\" name=\"key_type\">"
       << Option("p256", view.key_type, "EC P-256 (recommended)")
       << Option("rsa2048", view.key_type, "RSA 2048 (old printers)")
       << "</select><label for=\"key-format\">File</label><select id=\"key-format\" "
          "name=\"format\" data-testid=\"key-format\">"
       << Option("p12", view.format, "PKCS#12 (.p12), AES-256")
       << Option("p12-legacy", view.format, "PKCS#12, legacy 3DES")
       << Option("pem", view.format, "PEM key and chain, unencrypted")
       << "</select><p class=\"hint\">Legacy 3DES is for import screens that cannot read AES "
          "(some older Synology and Windows versions); give it a long password.</p>"
          "<label for=\"p12-password\">Password for the .p12 (at least "
       << view.min_password
       << " characters; the import screen asks for it)</label><input type=\"password\" "
          "id=\"p12-password\" name=\"password\" autocomplete=\"new-password\" minlength=\""
       << view.min_password
       << "\"><label for=\"p12-password2\">The same password again</label><input "
          "type=\"password\" id=\"p12-password2\" name=\"password2\" "
          "autocomplete=\"new-password\" minlength=\""
       << view.min_password
       << "\"><label class=\"check\"><input type=\"checkbox\" id=\"key-confirm\" name=\"confirm\" "
          "value=\"yes\" data-testid=\"key-confirm\"> I understand the key leaves this box and "
          "I will delete the file once the device has it.</label><button type=\"submit\" "
          "class=\"danger\" data-requires=\"key-confirm\" data-testid=\"key-submit\">Make the "
          "key and download it</button></form><p class=\"hint\">The file downloads at once; "
          "the device is then listed in <a href=\"/devices\">Devices</a>.</p></section>";
  return RenderPage(frame, main);
}

Html RenderManualIssuedPage(const PageFrame& frame, const ManualIssuedView& view) {
  Html main;
  const std::string name = view.names.empty() ? std::string("device") : view.names.front();
  main << "<h1>Certificate for " << Text(name) << "</h1><section class=\"card\">"
       << "<p data-testid=\"issued\">Issued for ";
  for (std::size_t i = 0; i < view.names.size(); ++i) {
    main << (i == 0 ? Markup("") : Markup(", ")) << "<code>" << Text(view.names[i]) << "</code>";
  }
  main << ", valid until " << LocalTime(view.not_after) << ".</p><p><a class=\"button\" "
       << "href=\"/devices/" << view.device_id
       << "/chain.pem\" download data-testid=\"chain-download\">Download the chain (PEM)</a></p>"
          "<p class=\"hint\">The file holds the device's certificate, then the intermediate "
          "that signed it: import it on the device where it asks for the certificate (DSM: "
          "Certificate › Add › Import, with the key it made). The root is not in it; the "
          "device does not need it.</p></section><section class=\"card\"><h2>Renewing</h2>"
          "<p data-testid=\"renew-by-hand\">This device is <strong>renewed by hand</strong>: "
          "before "
       << LocalTime(view.not_after) << " (" << Text(ca::RelativeTime(view.not_after, view.now))
       << "), make a new CSR on the device and upload it <a href=\"/devices/manual?name="
       << Text(UrlEncode(name))
       << "\">here</a> for the same name. Devices shows it as "
          "\"renewal due\" from "
       << LocalTime(view.renew_by)
       << ".</p></section><p><a href=\"/devices\">See it in Devices</a> · <a "
          "href=\"/certificates/"
       << Text(view.serial) << "\">Certificate details</a></p>";
  return RenderPage(frame, main);
}

}  // namespace homeca::webui::pages
