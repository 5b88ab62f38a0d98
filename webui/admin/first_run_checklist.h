// The Overview's first-run checklist: the four things a household needs
// before homeca is any use, each judged from what the server knows (the
// address the page was loaded by, the store, the name methods), each with
// where to fix it. Whether this browser trusts the root only the browser
// can tell: that item starts "checking" and the page's script settles it
// (webui/assets/app.js, checkTrust).
//
// Thread-safety: a pure function over plain values.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "webui/pages/pages.h"

namespace homeca::webui {

struct ChecklistFacts {
  std::string admin_base;    // "https://homeserver.local:8443", what every link uses
  std::string admin_host;    // its host, lower case ("homeserver.local")
  std::string request_host;  // the host this page was loaded by, lower case
  std::int64_t device_count = 0;
  bool mdns_on = false;      // homecad announces devices' .local names
  std::string export_dir;    // the DNS name export, "" when off
  std::string export_error;  // its last error, "" when it worked
};

// In order: trust, address, device, names.
std::vector<pages::ChecklistItem> FirstRunChecklist(const ChecklistFacts& facts);

// True when every item the server can judge is done (then the page folds
// the list away; the trust item's script unfolds it if the browser fails).
bool ChecklistDoneOnServer(const std::vector<pages::ChecklistItem>& items);

}  // namespace homeca::webui
