// The Overview's first-run checklist: what the server can judge (the address
// the page was loaded by, the store, the name methods), each item with where
// to fix it, and the trust item left to the browser's own check.
#include "webui/admin/first_run_checklist.h"

#include <catch2/catch.hpp>

namespace homeca::webui {
namespace {

ChecklistFacts Fresh() {
  ChecklistFacts f;
  f.admin_base = "https://homeserver.local:8443";
  f.admin_host = "homeserver.local";
  f.request_host = "homeserver.local";
  f.export_dir = "/var/lib/homeca/names";
  return f;
}

const pages::ChecklistItem& Item(const std::vector<pages::ChecklistItem>& items,
                                 const std::string& id) {
  for (const auto& item : items) {
    if (item.id == id) return item;
  }
  FAIL("no item " << id);
  throw;
}

TEST_CASE("checklist: a fresh CA reached by its name") {
  const auto items = FirstRunChecklist(Fresh());
  REQUIRE(items.size() == 4);
  CHECK(items[0].id == "trust");
  CHECK(items[1].id == "address");
  CHECK(items[2].id == "device");
  CHECK(items[3].id == "names");
  CHECK(Item(items, "trust").state == "checking");  // the browser settles it
  CHECK(Item(items, "trust").link == "/trust");
  CHECK(Item(items, "address").state == "done");
  CHECK(Item(items, "device").state == "todo");
  CHECK(Item(items, "device").link == "/devices/add");
  CHECK(Item(items, "names").state == "todo");  // nothing to resolve yet
  CHECK(Item(items, "names").link == "/devices#names");
  CHECK_FALSE(ChecklistDoneOnServer(items));
}

TEST_CASE("checklist: reached by another name, the address item says which to use") {
  ChecklistFacts f = Fresh();
  f.request_host = "ca.home.arpa";
  const pages::ChecklistItem address = Item(FirstRunChecklist(f), "address");
  CHECK(address.state == "todo");
  CHECK(address.detail.find("loaded at ca.home.arpa") != std::string::npos);
  CHECK(address.detail.find("use homeserver.local") != std::string::npos);
  CHECK(address.link == "https://homeserver.local:8443/");
  f.request_host = "";
  CHECK(Item(FirstRunChecklist(f), "address").detail.find("an unknown address") !=
        std::string::npos);
}

TEST_CASE("checklist: a CA without .local names the router as what is missing") {
  ChecklistFacts f = Fresh();
  f.admin_base = "https://ca.home.arpa";
  f.admin_host = "ca.home.arpa";
  f.request_host = "192.168.1.2";
  const pages::ChecklistItem address = Item(FirstRunChecklist(f), "address");
  CHECK(address.state == "todo");
  CHECK(address.detail.find("router") != std::string::npos);
}

TEST_CASE("checklist: after the first device, its names") {
  ChecklistFacts f = Fresh();
  f.device_count = 1;
  SECTION("the export is written: done") {
    const auto items = FirstRunChecklist(f);
    CHECK(Item(items, "device").state == "done");
    CHECK(Item(items, "device").detail == "1 device has a certificate.");
    CHECK(Item(items, "names").state == "done");
    CHECK(Item(items, "names").detail.find("/var/lib/homeca/names") != std::string::npos);
    CHECK(ChecklistDoneOnServer(items));
  }
  SECTION("mDNS on, the export off: done") {
    f.export_dir.clear();
    f.mdns_on = true;
    CHECK(Item(FirstRunChecklist(f), "names").state == "done");
  }
  SECTION("both off: to do") {
    f.export_dir.clear();
    const pages::ChecklistItem names = Item(FirstRunChecklist(f), "names");
    CHECK(names.state == "todo");
    CHECK(names.detail.find("both off") != std::string::npos);
  }
  SECTION("the export failing, mDNS off: to do, with the error") {
    f.export_error = "cannot write hosts: Permission denied";
    const pages::ChecklistItem names = Item(FirstRunChecklist(f), "names");
    CHECK(names.state == "todo");
    CHECK(names.detail.find("Permission denied") != std::string::npos);
  }
}

}  // namespace
}  // namespace homeca::webui
