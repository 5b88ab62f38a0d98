// Settings, "Root key": where the root key is, and taking it offline in two
// steps: download it encrypted with a passphrase, then (after the admin
// confirms the download) delete it from this box.
#include "webui/pages/pages.h"

namespace homeca::webui::pages {

Html RenderRootKeySection(const PageFrame& frame, const SettingsView& v) {
  Html h;
  h << "<section class=\"card\" id=\"root-key\"><h2>Root key</h2><p>The root key is <strong "
       "data-testid=\"root-key-location\">"
    << Text(v.root_key_location)
    << "</strong>.</p><p class=\"hint\">It only signs the intermediate that issues every "
       "certificate, so it is needed again only to renew that intermediate (every few years, "
       "with <code>homeca intermediate renew --root-key FILE</code>). Issuing, renewal, "
       "pairing and revocation never use it. Anyone who copies it from this box can make "
       "certificates every device here trusts; offline, it is out of reach.</p>";
  if (!v.root_key_on_box) return h << "</section>";

  h << "<h3>1. Download it, encrypted</h3><form class=\"stack\" method=\"post\" "
       "action=\"/settings/root-key/export\">"
    << CsrfInput(frame.csrf_token);
  if (v.root_key_encrypted_on_box) {
    h << "<label for=\"root-key-current\">Its current passphrase (set when the CA was "
         "made)</label><input type=\"password\" id=\"root-key-current\" name=\"current\" "
         "autocomplete=\"current-password\" required>";
  }
  h << "<label for=\"root-key-pass\">New passphrase for the file (at least 12 characters)"
       "</label><input type=\"password\" id=\"root-key-pass\" name=\"passphrase\" "
       "minlength=\"12\" autocomplete=\"new-password\" required><label "
       "for=\"root-key-pass2\">The same passphrase again</label><input type=\"password\" "
       "id=\"root-key-pass2\" name=\"passphrase2\" minlength=\"12\" "
       "autocomplete=\"new-password\" required><button type=\"submit\" "
       "data-testid=\"root-key-export\">Download the encrypted root key</button></form>"
       "<p class=\"hint\">The file is encrypted PKCS#8 (PBKDF2-HMAC-SHA256, AES-256): "
       "<code>openssl pkey -in homeca-root-key.pem</code> asks for the passphrase. Keep it "
       "off this box, on a USB stick in a drawer for example, and the passphrase apart from "
       "it.</p>";

  h << "<h3>2. Delete it from this box</h3>";
  if (v.root_key_exported_at == 0) {
    return h << "<p>Download it first (step 1), then reload this page.</p></section>";
  }
  h << "<p>Last downloaded " << LocalTime(v.root_key_exported_at)
    << ".</p><form class=\"stack\" method=\"post\" action=\"/settings/root-key/delete\">"
    << CsrfInput(frame.csrf_token)
    << "<label><input type=\"checkbox\" name=\"confirm\" value=\"yes\" required "
       "data-testid=\"root-key-confirm\"> I have stored the downloaded file and its "
       "passphrase safely off this box, and opened it once to check.</label><button "
       "type=\"submit\" class=\"danger\" data-testid=\"root-key-delete\">Delete the root key "
       "from this box</button></form></section>";
  return h;
}

}  // namespace homeca::webui::pages
