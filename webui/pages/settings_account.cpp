// Settings, "Admin password" and "Backup": the two things an admin expects
// to do without a shell on the box.
#include "ca/base/password_hash.h"
#include "ca/pwri_envelope.h"
#include "webui/pages/pages.h"

namespace homeca::webui::pages {

Html RenderAccountSections(const PageFrame& frame) {
  Html h;
  h << "<section class=\"card\" id=\"password\"><h2>Admin password</h2><form class=\"stack\" "
       "method=\"post\" action=\"/settings/password\">"
    << CsrfInput(frame.csrf_token)
    << "<label for=\"password-current\">Current password</label><input type=\"password\" "
       "id=\"password-current\" name=\"current\" autocomplete=\"current-password\" required>"
       "<label for=\"password-new\">New password (at least "
    << ca::kMinPasswordLength
    << " characters)</label><input type=\"password\" id=\"password-new\" name=\"password\" "
       "minlength=\""
    << ca::kMinPasswordLength << "\" maxlength=\"" << ca::kMaxPasswordLength
    << "\" autocomplete=\"new-password\" required><label for=\"password-new2\">The new "
       "password again</label><input type=\"password\" id=\"password-new2\" "
       "name=\"password2\" minlength=\""
    << ca::kMinPasswordLength << "\" maxlength=\"" << ca::kMaxPasswordLength
    << "\" autocomplete=\"new-password\" required><button type=\"submit\" "
       "data-testid=\"change-password\">Change password</button></form><p class=\"hint\">Every "
       "other browser logged in as admin is logged out. A wrong current password counts as a "
       "failed login. Forgotten it? Run <code>sudo homeca admin set-password</code> on the "
       "box.</p></section>";

  h << "<section class=\"card\" id=\"backup\"><h2>Backup</h2><p>One encrypted file with "
       "everything needed to bring this CA back on a new box: the certificates, devices and "
       "audit log, the intermediate key, and the root key while it is on this box. Without a "
       "backup, a dead SD card means every device and phone has to be set up again.</p><form "
       "class=\"stack\" method=\"post\" action=\"/settings/backup\">"
    << CsrfInput(frame.csrf_token)
    << "<label for=\"backup-pass\">Passphrase for the file (at least " << ca::kMinPassphraseLength
    << " characters)</label><input type=\"password\" id=\"backup-pass\" name=\"passphrase\" "
       "minlength=\""
    << ca::kMinPassphraseLength
    << "\" autocomplete=\"new-password\" required><label for=\"backup-pass2\">The same "
       "passphrase again</label><input type=\"password\" id=\"backup-pass2\" "
       "name=\"passphrase2\" minlength=\""
    << ca::kMinPassphraseLength
    << "\" autocomplete=\"new-password\" required><button type=\"submit\" "
       "data-testid=\"download-backup\">Download a backup</button></form><p "
       "class=\"hint\">Keep it off this box, and the passphrase apart from it: without the "
       "passphrase nobody, homeca included, can open it. To restore on a new box: "
       "<code>sudo homeca restore --from FILE</code>. For backups on a schedule, run "
       "<code>homeca backup</code> from cron (see the operations guide).</p></section>";
  return h;
}

}  // namespace homeca::webui::pages
